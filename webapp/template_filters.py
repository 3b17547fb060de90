"""Filters every area's templates use: dates, field labels, French terms."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_date, get_locale
from markupsafe import Markup, escape

from webapp.content import french_terms


def _lang() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "fr"


def long_date(day) -> str:
    """The site's one date format, as the engine writes it ("24 November 2026",
    "1er décembre 2026"), not Babel's long English one ("November 24, 2026")
    nor its short one ("23/11/2026")."""
    text = format_date(day, "d MMMM y")
    return "1er" + text[1:] if day.day == 1 and _lang() == "fr" else text


def bare_label(label) -> str:
    """A field's label without its closing colon, for the error summary's
    "label — message" (it read "Vous louez le logement en tant que : :")."""
    return str(label).rstrip().rstrip(":").rstrip(" \u00a0\u202f")


def french_terms_filter(value) -> Markup:
    """A text of the engine or the bot, escaped, with its French terms marked
    on pages in another language (`{{ step.text|french_terms }}`)."""
    return Markup(french_terms.mark_in(str(escape(value)), _lang()))


def init_app(app: Flask) -> None:
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(bare_label, "bare_label")
    app.add_template_filter(french_terms_filter, "french_terms")
