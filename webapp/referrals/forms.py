"""The household's referral form (server-rendered, works without JavaScript)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
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


PHONE_INVALID = _l("Ce numéro n'est pas valide. Exemple : 06 12 34 56 78.")


def _phone_number(form, field) -> None:
    """Allowed characters and at least 4 digits; one message whichever check fails."""
    if field.data and not (PHONE_ALLOWED.match(field.data) and len(_phone_digits(field.data)) >= 4):
        raise ValidationError(PHONE_INVALID)


def contact_rules(name_missing) -> dict[str, tuple]:
    """The validators of a household's contact fields, written once.

    The household's form below and the back office's correction form
    (webapp/staff/forms.py) both take their fields' validators from here; only the
    message for a missing name differs, since it speaks to whoever is typing.
    The lengths match the columns of referrals.models.Case.
    """
    return {
        "contact_name": (DataRequired(name_missing), Length(max=200, message=_l("200 caractères au plus."))),
        "contact_phone": (Optional(), _phone_number),
        "contact_email": (Optional(), Length(max=254, message=_l("254 caractères au plus.")),
                          Regexp(EMAIL, message=_l("Cette adresse e-mail n'est pas valide. "
                                                   "Exemple : nom@exemple.fr."))),
        "preferred_times": (Optional(), Length(max=300, message=_l("300 caractères au plus."))),
        "preferred_language": (Optional(), Length(max=100, message=_l("100 caractères au plus."))),
        "accessibility_needs": (Optional(), Length(max=500, message=_l("500 caractères au plus."))),
    }


def check_reachable(form, message) -> bool:
    """A phone or an e-mail, at least: else nobody can call the person back.

    The error goes next to the phone field (the first of the two); returns whether the rule holds.
    """
    if (form.contact_phone.data or "").strip() or (form.contact_email.data or "").strip():
        return True
    form.contact_phone.errors = list(form.contact_phone.errors) + [message]
    return False


NO_WAY_TO_REACH = _l("Indiquez un téléphone ou une adresse e-mail pour être recontacté·e.")
HOUSEHOLD_RULES = contact_rules(
    _l("Indiquez un nom ou un prénom, pour que la personne qui vous rappelle sache à qui parler."))


class ReferralForm(FlaskForm):
    # Only asked when no questionnaire or chat answers are in the session.
    role = RadioField(_l("Vous êtes"), choices=[(k, v) for k, v in ROLE_LABELS.items()], validators=[Optional()])
    stage = SelectField(_l("Où en est la procédure ?"),
                        choices=[("", _l("Je ne sais pas"))] + [(k, v) for k, v in STAGE_LABELS.items()],
                        validators=[Optional()])
    commune = SelectField(_l("Commune du logement"), choices=[], validators=[Optional()])

    contact_name = StringField(_l("Votre nom ou prénom"), validators=HOUSEHOLD_RULES["contact_name"])
    contact_phone = StringField(_l("Téléphone"), validators=HOUSEHOLD_RULES["contact_phone"])
    contact_email = StringField(_l("Adresse e-mail"), validators=HOUSEHOLD_RULES["contact_email"])
    preferred_times = StringField(_l("Quand préférez-vous être appelé·e ?"),
                                  validators=HOUSEHOLD_RULES["preferred_times"])
    preferred_language = StringField(_l("Langue dans laquelle vous préférez parler"),
                                     validators=HOUSEHOLD_RULES["preferred_language"])
    accessibility_needs = TextAreaField(_l("Besoins d'accessibilité"),
                                        validators=HOUSEHOLD_RULES["accessibility_needs"])
    description = TextAreaField(_l("Décrivez votre situation (facultatif)"), validators=[
        Optional(), Length(max=3000, message=_l("3 000 caractères au plus."))])
    structures = MultiCheckboxField(_l("À qui envoyer votre demande ?"), choices=[], validate_choice=True)
    consent = BooleanField(_l("J'accepte que ces informations soient transmises aux structures cochées, "
                              "dans les conditions ci-dessus."),
                           # DataRequired, not InputRequired: "consent=false" is sent, yet unticked.
                           validators=[DataRequired(_l("Sans votre accord, nous ne pouvons pas transmettre "
                                                        "votre demande. Cochez la case pour continuer."))])

    def validate_structures(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez au moins une structure."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return check_reachable(self, NO_WAY_TO_REACH) and ok


class ConfirmForm(FlaskForm):
    """The review page's single button; the form only carries the CSRF token."""
