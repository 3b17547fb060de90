"""Back-office forms (every one CSRF-protected through Flask-WTF)."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.referrals.forms import check_reachable, contact_rules
from webapp.referrals.models import ACTION_OUTCOMES, CLOSURE_OUTCOMES, REFUSAL_REASONS
from webapp.referrals.service import CORRECTABLE_FIELDS
from webapp.staff.labels import OUTCOME_LABELS, REFUSAL_LABELS, STATUS_LABELS
from webapp.staff.passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    email = StringField(_l("Adresse e-mail"), validators=[DataRequired(_l("Indiquez votre adresse e-mail.")),
                                                          Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe.")),
                                                             Length(max=1000)])


class StatusForm(FlaskForm):
    to_status = SelectField(_l("Nouveau statut"), choices=[])
    reason = SelectField(_l("Raison du refus ou issue"), choices=[],
                         validate_choice=False)
    text = TextAreaField(_l("Précisions"), validators=[Length(max=3000)])

    def fill(self, allowed: tuple[str, ...]) -> "StatusForm":
        self.to_status.choices = [(s, STATUS_LABELS[s]) for s in allowed]
        self.reason.choices = ([("", "—")] +
                               [(f"refus:{k}", REFUSAL_LABELS[k]) for k in REFUSAL_REASONS] +
                               [(f"issue:{k}", OUTCOME_LABELS[k]) for k in CLOSURE_OUTCOMES
                                if k not in ACTION_OUTCOMES])
        return self

    def validate_reason(self, field):
        target = self.to_status.data
        value = field.data or ""
        if target == "refusee" and not (value.startswith("refus:") and value[6:] in REFUSAL_REASONS):
            raise ValidationError(_l("Choisissez la raison du refus dans la liste."))
        # Re-orientation and erasure have their own forms: closing "as erased" here would erase nothing.
        if target == "cloturee" and not (value.startswith("issue:") and value[6:] in CLOSURE_OUTCOMES
                                         and value[6:] not in ACTION_OUTCOMES):
            raise ValidationError(_l("Choisissez l'issue de l'accompagnement dans la liste."))

    def validate_text(self, field):
        reason = (self.reason.data or "").split(":", 1)[-1]
        if reason == "autre" and not (field.data or "").strip():
            raise ValidationError(_l("Précisez la raison ou l'issue."))

    @property
    def reason_code(self) -> str | None:
        value = self.reason.data or ""
        return value.split(":", 1)[1] if ":" in value else None


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Ajouter une note"), validators=[DataRequired(_l("La note est vide.")),
                                                            Length(max=3000)])


class ReorientForm(FlaskForm):
    """Passing the request on to a structure the household did not tick: only with its agreement."""

    structure = SelectField(_l("Réorienter vers"), choices=[])
    explanation = TextAreaField(_l("Pourquoi (lu par la structure qui reçoit)"),
                                validators=[Optional(), Length(max=3000)])
    agreement = BooleanField(
        _l("La personne a donné son accord pour que sa demande soit transmise à cette structure"),
        validators=[DataRequired(_l("Cochez la case seulement si la personne a donné son accord. Sans son "
                                     "accord, sa demande ne peut pas être transmise à une autre structure : "
                                     "elle n'a accepté que les structures qu'elle a cochées."))])


class EraseForm(FlaskForm):
    """Erasing a household's data at its request: irreversible, so the staff member confirms."""

    confirm = BooleanField(_l("Je confirme que la personne a demandé l'effacement"),
                           validators=[DataRequired(_l("Cochez la case pour confirmer que la personne "
                                                        "a demandé l'effacement de ses données."))])


# The household form's rules (webapp/referrals/forms.py), with the missing-name message said to staff.
CORRECTION_RULES = contact_rules(_l("Indiquez le nom ou le prénom de la personne."))


class ContactCorrectionForm(FlaskForm):
    """The household's contact details, corrected by staff at the person's request (RGPD art. 16)."""

    contact_name = StringField(_l("Nom ou prénom"), validators=CORRECTION_RULES["contact_name"])
    contact_phone = StringField(_l("Téléphone"), validators=CORRECTION_RULES["contact_phone"])
    contact_email = StringField(_l("Adresse e-mail"), validators=CORRECTION_RULES["contact_email"])
    preferred_times = StringField(_l("Moments préférés"), validators=CORRECTION_RULES["preferred_times"])
    preferred_language = StringField(_l("Langue"), validators=CORRECTION_RULES["preferred_language"])
    accessibility_needs = TextAreaField(_l("Besoins d'accessibilité"),
                                        validators=CORRECTION_RULES["accessibility_needs"])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return check_reachable(self, _l("Indiquez un téléphone ou une adresse e-mail : sans l'un ou l'autre, "
                                        "personne ne peut recontacter la personne.")) and ok

    def values(self) -> dict[str, str | None]:
        """What was typed, trimmed, as the household form stores it (blank: None)."""
        return {name: (self[name].data or "").strip() or None for name in CORRECTABLE_FIELDS}


class AccountForm(FlaskForm):
    email = StringField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])
    structure = SelectField(_l("Structure"), choices=[])
    is_admin = BooleanField(_l("Administrateur"))
    password = PasswordField(_l("Mot de passe provisoire (12 caractères au moins)"),
                             validators=[DataRequired(), Length(min=12, max=1000)])


class MailboxForm(FlaskForm):
    mailbox_structure = SelectField(_l("Structure"), choices=[])
    mailbox_email = StringField(_l("Adresse qui reçoit les avis de nouvelles demandes"),
                                validators=[DataRequired(_l("Indiquez une adresse e-mail.")), Length(max=254)])

    def validate_mailbox_email(self, field):
        if "@" not in (field.data or "") or " " in field.data.strip():
            raise ValidationError(_l("Cette adresse e-mail n'est pas valide."))


def _long_enough(field) -> None:
    if len(field.data or "") < MIN_LENGTH:
        raise ValidationError(_("Le mot de passe doit compter au moins %(count)s caractères.", count=MIN_LENGTH))


class PasswordChangeForm(FlaskForm):
    """The signed-in user's own password. Whether `current_password` is right is checked by
    the view (it needs the account and the sign-in throttling)."""

    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Indiquez votre mot de passe actuel.")), Length(max=1000)])
    new_password = PasswordField(_l("Nouveau mot de passe"), validators=[
        DataRequired(_l("Indiquez un nouveau mot de passe.")), Length(max=1000)])
    new_password_again = PasswordField(_l("Nouveau mot de passe, une seconde fois"), validators=[
        DataRequired(_l("Indiquez une seconde fois le nouveau mot de passe.")), Length(max=1000)])

    def validate_new_password(self, field):
        _long_enough(field)
        if field.data == self.current_password.data:
            raise ValidationError(_l("Choisissez un mot de passe différent de l'actuel."))

    def validate_new_password_again(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("Les deux saisies du nouveau mot de passe ne sont pas identiques."))


class PasswordResetForm(FlaskForm):
    """An admin sets a temporary password on a colleague's account (one form per account,
    told apart by its prefix)."""

    new_password = PasswordField(_l("Nouveau mot de passe provisoire"), validators=[
        DataRequired(_l("Indiquez un nouveau mot de passe.")), Length(max=1000)])

    def validate_new_password(self, field):
        _long_enough(field)


class SimpleForm(FlaskForm):
    """A button-only form (logout, disable): just the CSRF token."""
