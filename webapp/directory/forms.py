"""The form a structure's staff fill to keep their directory entry current (CSRF through Flask-WTF)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .phone import InvalidPhone, normalise_phone

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def _squeeze(text: str | None) -> str:
    # Same whitespace rule as the files (model._text_pair), so an untouched field compares equal.
    return " ".join((text or "").split())


class StructureEditForm(FlaskForm):
    address = StringField(_l("Adresse"), validators=[Length(max=300)])
    phone = StringField(_l("Téléphone"), validators=[Length(max=40)])
    email = StringField(_l("Courriel"), validators=[Length(max=254)])
    website = StringField(_l("Site internet"), validators=[Length(max=500)])
    opening_hours_fr = TextAreaField(_l("Horaires (en français)"), validators=[Length(max=1000)])
    opening_hours_en = TextAreaField(_l("Horaires (en anglais)"), validators=[Length(max=1000)])
    referral_fr = TextAreaField(_l("Comment vous joindre ou être orienté vers vous (en français)"),
                                validators=[DataRequired(_l("Expliquez comment vous joindre.")), Length(max=2000)])
    referral_en = TextAreaField(_l("Comment vous joindre (en anglais)"),
                                validators=[DataRequired(_l("Donnez aussi ce texte en anglais : il s'affiche sur la "
                                                            "version anglaise du site.")), Length(max=2000)])

    def validate_phone(self, field):
        if _squeeze(field.data):
            try:
                normalise_phone(field.data)
            except InvalidPhone:
                raise ValidationError(_l("Ce numéro n'est pas un numéro français valide. Exemples : "
                                         "03 84 00 00 00, +33 3 84 00 00 00 ou un numéro court comme 3039."))

    def validate_email(self, field):
        value = _squeeze(field.data)
        if value and not _EMAIL.match(value):
            raise ValidationError(_l("Cette adresse e-mail n'est pas valide."))

    def validate_website(self, field):
        value = _squeeze(field.data)
        if value and not _URL.match(value):
            raise ValidationError(_l("Indiquez l'adresse complète du site, commençant par https://."))

    def validate_opening_hours_fr(self, field):
        if not _squeeze(field.data) and _squeeze(self.opening_hours_en.data):
            raise ValidationError(_l("Indiquez les horaires en français (le texte anglais en est la traduction)."))

    def fill_from(self, structure) -> "StructureEditForm":
        """Show what the public pages show now."""
        def text(field):
            contact = structure.contact(field)
            return contact.value if contact is not None else ""

        hours = structure.contact("opening_hours")
        hours = hours.value if hours is not None else {}
        self.address.data = text("address")
        self.phone.data = text("phone")
        self.email.data = text("email")
        self.website.data = text("website")
        self.opening_hours_fr.data = hours.get("fr", "") if isinstance(hours, dict) else str(hours)
        self.opening_hours_en.data = hours.get("en", "") if isinstance(hours, dict) else ""
        self.referral_fr.data = structure.referral.get("fr", "")
        self.referral_en.data = structure.referral.get("en", "")
        return self

    def new_values(self, structure) -> dict:
        """The submitted values in the directory's shapes (None: unknown, to be confirmed)."""
        from .store import field_value

        phone = _squeeze(self.phone.data)
        if phone:
            phone = normalise_phone(phone)
            old = field_value(structure, "phone")
            # "34 14" in the files and "3414" typed back are the same number: not a change.
            if old:
                try:
                    if normalise_phone(old) == phone:
                        phone = old
                except InvalidPhone:
                    pass
        hours_fr, hours_en = _squeeze(self.opening_hours_fr.data), _squeeze(self.opening_hours_en.data)
        return {
            "address": _squeeze(self.address.data) or None,
            "phone": phone or None,
            "email": _squeeze(self.email.data) or None,
            "website": _squeeze(self.website.data) or None,
            "opening_hours": {"fr": hours_fr, "en": hours_en} if hours_fr else None,
            "referral": {"fr": _squeeze(self.referral_fr.data), "en": _squeeze(self.referral_en.data)},
        }
