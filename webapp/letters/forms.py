"""The letter editing forms: the text as it will be printed, and the schedule's inputs."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from webapp.landlord.forms import DATE_FORMATS, EuroField, WholeNumberField, _amount, plausible_date
from webapp.letters.models import MAX_LENGTHS


def _len(name: str):
    return Length(max=MAX_LENGTHS[name], message=_l("Texte trop long : %(max)d caractères au plus."))


class LetterForm(FlaskForm):
    # The letter's text is French whatever the site language: lang="fr" on
    # each box (not the labels) so screen readers switch voice for the text only.
    sender = TextAreaField(_l("Expéditeur (vous)"), validators=[_len("sender")], render_kw={"rows": 4, "lang": "fr"})
    recipient = TextAreaField(_l("Destinataire"), validators=[_len("recipient")], render_kw={"rows": 4, "lang": "fr"})
    place_date = StringField(_l("Lieu et date"), validators=[_len("place_date")], render_kw={"lang": "fr"})
    subject = StringField(_l("Objet"), validators=[_len("subject")], render_kw={"lang": "fr"})
    body = TextAreaField(_l("Texte du courrier"),
                         validators=[InputRequired(_l("Le texte du courrier ne peut pas être vide.")), _len("body")],
                         render_kw={"rows": 22, "lang": "fr"})


class RepaymentLetterForm(LetterForm):
    amount = EuroField(_l("Somme à rembourser, en euros"),
                       validators=[_amount(_l("Indiquez la somme à rembourser."), positive=True)])
    months = WholeNumberField(_l("Nombre de mensualités"),
                              validators=[InputRequired(_l("Indiquez un nombre de mensualités."))],
                              not_figures=_l("Écrivez le nombre de mensualités en chiffres, par exemple 12."))
    first_due = DateField(_l("Date de la première mensualité"), format=DATE_FORMATS,
                          validators=[InputRequired(_l("Indiquez la date de la première mensualité.")), plausible_date],
                          description=_l("Format JJ/MM/AAAA. Les mensualités suivantes tombent le même jour des mois suivants."))

    def check_months(self, max_months: int) -> bool:
        if self.months.data is not None and not 1 <= self.months.data <= max_months:
            self.months.errors = list(self.months.errors) + [
                str(_l("Indiquez un nombre de mensualités entre 1 et %(max)s.", max=max_months))]
            return False
        return True
