"""One small form per question of the tenant questionnaire.

Every value is kept as text in the session; "Je ne sais pas" is a real
answer (stored as "unknown" or an empty amount), never a validation error.
"""
from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from webapp.triage.situation import MAX_HOUSEHOLD_SIZE, date_in_range

UNKNOWN = "unknown"


def parse_user_date(text: str) -> dt.date | None:
    """A date typed by a person: 2026-03-14 (date picker) or 14/03/2026."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_household_size(text: str) -> int | None:
    """A number of people typed in figures; None otherwise.

    ASCII digits only: str.isdigit() also accepts "²" (a key of French
    keyboards), which int() then refuses.
    """
    text = (text or "").strip()
    if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= MAX_HOUSEHOLD_SIZE:
        return None
    return int(text)


def parse_amount(text: str) -> float | None:
    cleaned = (text or "").replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value >= 0 and value == value and value < 10_000_000 else None


class StageForm(FlaskForm):
    stage = RadioField(
        _l("Où en êtes-vous aujourd'hui ?"),
        choices=[
            SelectChoice("arrears", _l("J'ai du retard de loyer, mais je n'ai reçu aucun papier d'un commissaire de justice.")),
            SelectChoice("commandement_de_payer", _l("J'ai reçu un « commandement de payer » d'un commissaire de justice (ancien huissier).")),
            SelectChoice("assignation", _l("J'ai reçu une « assignation » : je suis convoqué·e au tribunal.")),
            SelectChoice("jugement", _l("Le tribunal a rendu un jugement : mon bail est résilié ou mon expulsion est ordonnée.")),
            SelectChoice("commandement_de_quitter", _l("J'ai reçu un « commandement de quitter les lieux ».")),
            SelectChoice("expulsion_scheduled", _l("Une date d'expulsion est fixée, ou la police doit venir.")),
            SelectChoice("illegal_eviction", _l("Mon propriétaire change les serrures, coupe l'eau ou l'électricité, ou sort mes affaires, sans décision de justice.")),
        ],
        validators=[InputRequired(message=_l("Choisissez la situation qui ressemble le plus à la vôtre."))],
    )


class CommuneForm(FlaskForm):
    commune = SelectField(
        _l("Dans quelle commune est votre logement ?"),
        choices=[],  # filled from the directory by the view
        validators=[InputRequired(message=_l("Choisissez la commune de votre logement."))],
    )

    def validate_commune(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez la commune de votre logement."))


class LandlordForm(FlaskForm):
    landlord_kind = RadioField(
        _l("Qui est votre propriétaire ?"),
        choices=[
            SelectChoice("private", _l("Un particulier, une agence ou une société privée")),
            SelectChoice("social", _l("Un bailleur social (HLM), par exemple Territoire Habitat")),
            SelectChoice(UNKNOWN, _l("Je ne sais pas")),
        ],
        validators=[InputRequired(message=_l("Choisissez une réponse, ou « Je ne sais pas »."))],
    )


class DateForm(FlaskForm):
    """A date with a "Je ne sais pas" box; label and past-only rule set by the view."""

    day = StringField(_l("Date"))
    unknown = BooleanField(_l("Je ne sais pas"))
    must_be_past = True
    today: dt.date | None = None

    def validate_day(self, field):
        if self.unknown.data and not (field.data or "").strip():
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Indiquez la date, ou cochez « Je ne sais pas »."))
        day = parse_user_date(field.data)
        if day is None:
            raise ValidationError(_l("Cette date n'existe pas. Écrivez-la comme 14/03/2026."))
        if not date_in_range(day):
            raise ValidationError(_l("Vérifiez l'année de cette date."))
        if self.must_be_past and self.today and day > self.today:
            raise ValidationError(_l("Cette date est dans le futur. Vérifiez-la sur le papier reçu."))


def check_amount_or_unknown(field, unknown: bool) -> None:
    """An amount in figures, or nothing when "I don't know" is ticked."""
    if unknown and not (field.data or "").strip():
        return
    if not (field.data or "").strip():
        raise ValidationError(_l("Indiquez un montant, ou cochez « Je ne sais pas »."))
    if parse_amount(field.data) is None:
        raise ValidationError(_l("Écrivez un montant en chiffres, par exemple 1200."))


class DebtForm(FlaskForm):
    debt_eur = StringField(_l("Combien devez-vous de loyer aujourd'hui, en euros ?"))
    unknown = BooleanField(_l("Je ne sais pas"))

    def validate_debt_eur(self, field):
        check_amount_or_unknown(field, self.unknown.data)


class IncomeForm(FlaskForm):
    monthly_income_eur = StringField(_l("Combien gagne votre foyer par mois, en euros ?"))
    household_size = StringField(_l("Combien de personnes vivent dans le logement, vous compris ?"))
    unknown = BooleanField(_l("Je ne sais pas, ou je préfère ne pas répondre"))

    def validate_monthly_income_eur(self, field):
        check_amount_or_unknown(field, self.unknown.data)

    def validate_household_size(self, field):
        text = (field.data or "").strip()
        if not text:
            return
        if parse_household_size(text) is None:
            raise ValidationError(_l("Écrivez un nombre de personnes entre 1 et %(max)d.", max=MAX_HOUSEHOLD_SIZE))


def yes_no_unknown(label, message=None):
    return RadioField(
        label,
        choices=[SelectChoice("yes", _l("Oui")), SelectChoice("no", _l("Non")), SelectChoice(UNKNOWN, _l("Je ne sais pas"))],
        validators=[InputRequired(message=message or _l("Choisissez une réponse, ou « Je ne sais pas »."))],
    )


class ResumedRentForm(FlaskForm):
    resumed_rent = yes_no_unknown(_l("Payez-vous de nouveau le loyer du mois en entier ?"))


class HousingBenefitForm(FlaskForm):
    housing_benefit = RadioField(
        _l("Recevez-vous une aide au logement (APL ou AL) ?"),
        choices=[
            SelectChoice("paid_to_tenant", _l("Oui, elle m'est versée")),
            SelectChoice("paid_to_landlord", _l("Oui, elle est versée directement à mon propriétaire")),
            SelectChoice("none", _l("Non")),
            SelectChoice(UNKNOWN, _l("Je ne sais pas")),
        ],
        validators=[InputRequired(message=_l("Choisissez une réponse, ou « Je ne sais pas »."))],
    )


class EmploymentForm(FlaskForm):
    private_sector_employee = yes_no_unknown(
        _l("Êtes-vous salarié·e d'une entreprise privée (pas agricole) ?"))


class DebtsForm(FlaskForm):
    debts = RadioField(
        _l("Avez-vous d'autres dettes (crédits, factures, impôts…) ?"),
        choices=[
            SelectChoice("none", _l("Non")),
            SelectChoice("other_debts", _l("Oui, mais pas de dossier de surendettement")),
            SelectChoice("filed", _l("J'ai déposé un dossier de surendettement à la Banque de France")),
            SelectChoice("admissible", _l("Mon dossier de surendettement a été déclaré recevable")),
            SelectChoice(UNKNOWN, _l("Je ne sais pas")),
        ],
        validators=[InputRequired(message=_l("Choisissez une réponse, ou « Je ne sais pas »."))],
    )
