"""The household's referral form (server-rendered, works without JavaScript)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.referrals.summary import ROLE_LABELS, STAGE_LABELS

# Deliberately loose: one @, something on each side, a dot in the domain.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_ALLOWED = re.compile(r"^[0-9+ .()\-]{4,40}$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _phone_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


class ReferralForm(FlaskForm):
    # Only asked when no questionnaire or chat answers are in the session.
    role = RadioField(_l("Vous êtes"), choices=[(k, v) for k, v in ROLE_LABELS.items()], validators=[Optional()])
    stage = SelectField(_l("Où en est la procédure ?"),
                        choices=[("", _l("Je ne sais pas"))] + [(k, v) for k, v in STAGE_LABELS.items()],
                        validators=[Optional()])
    commune = SelectField(_l("Commune du logement"), choices=[], validators=[Optional()])

    contact_name = StringField(_l("Votre nom ou prénom"), validators=[
        DataRequired(_l("Indiquez un nom ou un prénom, pour que la personne qui vous rappelle sache à qui parler.")),
        Length(max=200, message=_l("200 caractères au plus."))])
    contact_phone = StringField(_l("Téléphone"), validators=[
        Optional(), Regexp(PHONE_ALLOWED, message=_l("Ce numéro n'est pas valide. Exemple : 06 12 34 56 78."))])
    contact_email = StringField(_l("Adresse e-mail"), validators=[
        Optional(), Length(max=254, message=_l("254 caractères au plus.")),
        Regexp(EMAIL, message=_l("Cette adresse e-mail n'est pas valide. Exemple : nom@exemple.fr."))])
    preferred_times = StringField(_l("Quand préférez-vous être appelé·e ?"), validators=[
        Optional(), Length(max=300, message=_l("300 caractères au plus."))])
    preferred_language = StringField(_l("Langue dans laquelle vous préférez parler"), validators=[
        Optional(), Length(max=100, message=_l("100 caractères au plus."))])
    accessibility_needs = TextAreaField(_l("Besoins d'accessibilité"), validators=[
        Optional(), Length(max=500, message=_l("500 caractères au plus."))])
    description = TextAreaField(_l("Décrivez votre situation (facultatif)"), validators=[
        Optional(), Length(max=3000, message=_l("3 000 caractères au plus."))])
    structures = MultiCheckboxField(_l("À qui envoyer votre demande ?"), choices=[], validate_choice=True)
    consent = BooleanField(_l("J'accepte que ces informations soient transmises aux structures cochées, "
                              "dans les conditions ci-dessus."),
                           validators=[InputRequired(_l("Sans votre accord, nous ne pouvons pas transmettre "
                                                        "votre demande. Cochez la case pour continuer."))])

    def validate_contact_phone(self, field):
        if field.data and len(_phone_digits(field.data)) < 4:
            raise ValidationError(_l("Ce numéro n'est pas valide. Exemple : 06 12 34 56 78."))

    def validate_structures(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez au moins une structure."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.contact_phone.data or "").strip() and not (self.contact_email.data or "").strip():
            self.contact_phone.errors = list(self.contact_phone.errors) + [
                _l("Indiquez un téléphone ou une adresse e-mail pour être recontacté·e.")]
            ok = False
        return ok


class ConfirmForm(FlaskForm):
    """The review page's single button; the form only carries the CSRF token."""
