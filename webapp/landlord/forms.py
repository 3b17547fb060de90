"""One form per questionnaire step. Labels are lazy: they are read in the
visitor's language when rendered, not when the module is imported."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import TextInput

from webapp.landlord import clock
from webapp.triage.situation import date_in_range

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_EUR = Decimal("1000000")
MAX_MONTHS_UNPAID = 240


class EuroField(Field):
    """An amount in euros typed with a comma or a point ("1 250,50 €", "650.5"); "1,250.50" is ambiguous and refused."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data}".replace(".", ",")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        raw = valuelist[0].strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not raw:
            return
        if raw.count(",") + raw.count(".") > 1:
            raise ValueError(_l("Écrivez le montant sans séparateur de milliers, par exemple 1250,50."))
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_l("Écrivez un montant en euros, par exemple 650 ou 650,50.")) from None
        if not value.is_finite() or value.as_tuple().exponent < -2:
            raise ValueError(_l("Écrivez un montant en euros avec au plus deux chiffres après la virgule."))
        self.data = value


class WholeNumberField(IntegerField):
    """A count typed in figures in a text box (inputmode="numeric").

    Not type="number": a browser drops what such a box holds when it is not a
    number ("deux"), so the visitor would be told nothing was typed. Here the
    text is sent as typed, kept in the box, and answered with `not_figures`.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, not_figures=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.not_figures = not_figures or _l("Écrivez un nombre en chiffres, par exemple 2.")

    def process_formdata(self, valuelist):
        self.data = None
        raw = re.sub(r"\s", "", valuelist[0]) if valuelist else ""
        if not raw:
            return
        if not re.fullmatch(r"[+-]?[0-9]+", raw):
            raise ValueError(self.not_figures)
        self.data = int(raw)

    def pre_validate(self, form):
        # Text that is not a number gets its own message only, not "between 1 and 240" as well.
        if self.process_errors:
            raise StopValidation()


def _amount(required_message=None, positive: bool = False):
    """Checks a parsed amount: present when required, not negative (or > 0), not absurd."""
    def check(form, field):
        if field.data is None:
            if required_message is not None and not field.process_errors:
                raise ValidationError(required_message)
            return
        if positive and field.data <= 0:
            raise ValidationError(_l("Le montant doit être supérieur à 0 €."))
        if field.data < 0:
            raise ValidationError(_l("Le montant ne peut pas être négatif."))
        if field.data > MAX_EUR:
            raise ValidationError(_l("Ce montant semble trop élevé : vérifiez-le."))
    return check


def not_in_future(form, field):
    if field.data is not None and field.data > clock.today():
        raise ValidationError(_l("Cette date est dans le futur. Indiquez une date passée ou celle d'aujourd'hui."))


def plausible_date(form, field):
    """The engine's range (a year typed "2926" or "0001" is a slip): refused at the field."""
    if field.data is not None and not date_in_range(field.data):
        raise ValidationError(_l("Vérifiez l'année de cette date."))


def _date(label, description=""):
    return DateField(label, validators=[Optional(), plausible_date], format=DATE_FORMATS, description=description)


class EntityForm(FlaskForm):
    landlord_entity = RadioField(
        _l("Vous louez le logement en tant que :"),
        choices=[
            SelectChoice("individual", _l("Particulier (en votre nom propre, seul ou en couple)")),
            SelectChoice("family_sci", _l("SCI familiale (associés de la même famille, jusqu'au 4e degré)")),
            SelectChoice("legal_person", _l("Société ou autre personne morale (SCI non familiale, SARL, association…)")),
        ],
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )


class CommuneForm(FlaskForm):
    commune_query = StringField(
        _l("Commune ou code postal du logement loué"),
        description=_l("Par exemple : Belfort, Delle ou 90300."),
        validators=[InputRequired(_l("Indiquez la commune du logement."))],
        render_kw={"autocomplete": "off"},
    )
    # Choices depend on the query: filled by the view, checked against the directory.
    insee = RadioField(_l("Plusieurs communes correspondent. Laquelle ?"), choices=[], validate_choice=False,
                       validators=[Optional()])


class LeaseForm(FlaskForm):
    lease_date = _date(
        # The first signature, not a renewal: whether a pre-2023 lease renewed
        # since has 6 weeks is debated (brief §1.2); its first date gives the
        # landlord the period that cannot make an assignation too early.
        _l("Date de signature du bail"),
        _l("La date où le bail a été signé pour la première fois, même s'il a été renouvelé depuis. "
           "Format JJ/MM/AAAA. Elle fixe le délai laissé au locataire après un commandement de payer. "
           "Laissez vide si vous ne la connaissez pas : le plan comptera le délai le plus long."),
    )
    rent = EuroField(_l("Loyer mensuel hors charges, en euros"),
                     validators=[_amount(_l("Indiquez le loyer mensuel."), positive=True)])
    charges = EuroField(_l("Charges mensuelles, en euros"), description=_l("0 s'il n'y a pas de charges."),
                        validators=[_amount()])

    def validate_lease_date(self, field):
        not_in_future(self, field)


class ArrearsForm(FlaskForm):
    debt = EuroField(_l("Montant total impayé aujourd'hui, en euros"),
                     validators=[_amount(_l("Indiquez le montant impayé."), positive=True)])
    months_unpaid = WholeNumberField(
        _l("Nombre de mois concernés par un impayé"),
        description=_l("Comptez chaque mois où le loyer n'a pas été payé en entier."),
        validators=[InputRequired(_l("Indiquez un nombre de mois.")),
                    NumberRange(1, MAX_MONTHS_UNPAID, _l("Indiquez un nombre de mois entre %(min)s et %(max)s."))],
        not_figures=_l("Écrivez le nombre de mois en chiffres, par exemple 2."),
    )


class BenefitForm(FlaskForm):
    housing_benefit = RadioField(
        _l("Votre locataire reçoit-il une aide au logement (APL ou ALS/ALF) ?"),
        choices=[
            SelectChoice("paid_to_landlord", _l("Oui, et elle m'est versée directement (tiers payant)")),
            SelectChoice("paid_to_tenant", _l("Oui, et elle est versée au locataire")),
            SelectChoice("none", _l("Non")),
            SelectChoice("unknown", _l("Je ne sais pas")),
        ],
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )


class GuaranteesForm(FlaskForm):
    has_guarantor = BooleanField(_l("Une personne s'est portée caution (garant)"))
    has_gli = BooleanField(_l("J'ai une assurance loyers impayés (GLI)"))
    has_visale = BooleanField(_l("Le bail est couvert par la garantie Visale (Action Logement)"))


class ContactForm(FlaskForm):
    tenant_contact = RadioField(
        _l("Avez-vous déjà parlé de cet impayé avec votre locataire ?"),
        choices=[
            SelectChoice("none", _l("Pas encore")),
            SelectChoice("letter", _l("Je lui ai envoyé une relance écrite")),
            SelectChoice("talked", _l("Nous en avons parlé, sans accord")),
            SelectChoice("plan_not_kept", _l("Nous avions un accord de remboursement, il n'est pas respecté")),
        ],
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )


# Triage stages a landlord can report, in procedural order.
PROCEDURE_STAGES = ("arrears", "commandement_de_payer", "assignation", "jugement", "commandement_de_quitter")
# The date each stage requires (the event that defines it).
STAGE_DATE = {
    "commandement_de_payer": "commandement_date",
    "assignation": "hearing_date",
    "jugement": "judgment_served_date",
    "commandement_de_quitter": "commandement_de_quitter_date",
}


class ProcedureForm(FlaskForm):
    stage = RadioField(
        _l("Où en est la procédure ? Choisissez la dernière étape déjà faite."),
        choices=[
            SelectChoice("arrears", _l("Aucune procédure : pas encore de commandement de payer")),
            SelectChoice("commandement_de_payer", _l("Un commandement de payer a été signifié par un commissaire de justice")),
            SelectChoice("assignation", _l("Le locataire a été assigné : une date d'audience est fixée")),
            SelectChoice("jugement", _l("Le jugement a été rendu et signifié")),
            SelectChoice("commandement_de_quitter", _l("Un commandement de quitter les lieux a été délivré")),
        ],
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )
    commandement_date = _date(_l("Date du commandement de payer"),
                              _l("Format JJ/MM/AAAA. Laissez vide si vous ne l'avez pas."))
    hearing_date = _date(_l("Date de l'audience"), _l("Format JJ/MM/AAAA."))
    judgment_served_date = _date(_l("Date de signification du jugement"), _l("Format JJ/MM/AAAA."))
    commandement_de_quitter_date = _date(_l("Date du commandement de quitter les lieux"), _l("Format JJ/MM/AAAA."))

    def validate_commandement_date(self, field):
        not_in_future(self, field)

    def validate_judgment_served_date(self, field):
        not_in_future(self, field)

    def validate_commandement_de_quitter_date(self, field):
        not_in_future(self, field)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        required = STAGE_DATE.get(self.stage.data)
        if required:
            field = getattr(self, required)
            if field.data is None and not field.errors:
                field.errors = list(field.errors) + [str(_l("Indiquez cette date pour obtenir un plan daté."))]
                ok = False
        return ok

    def dates_for_stage(self) -> dict[str, dt.date]:
        """The dates of the chosen stage and the earlier ones; later ones are ignored."""
        reached = PROCEDURE_STAGES[: PROCEDURE_STAGES.index(self.stage.data) + 1]
        names = [STAGE_DATE[s] for s in reached if s in STAGE_DATE]
        return {n: getattr(self, n).data for n in names if getattr(self, n).data is not None}
