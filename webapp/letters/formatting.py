"""Amounts and dates as a reader expects them: French in the letters, the visitor's language around them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from webapp.letters.schedule import to_cents

NBSP = "\u00a0"
# Letters are always in French (the tenancy's language), whatever the site language.
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")


def money_fr(value: Decimal | float | int) -> str:
    """1234.5 → '1 234,50 €' (no-break spaces so the amount never splits across lines)."""
    amount = to_cents(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"


def money(value: Decimal | float | int, lang: str) -> str:
    """An amount with its cents in the site's language: '1 234,50 €' in French, '€1,234.50' in English.

    For the pages around the letters (the plan's recap, the forms); the letters
    themselves stay French and use money_fr.
    """
    if lang != "en":
        return money_fr(value)
    amount = to_cents(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}€{abs(amount):,.2f}"


def amount_input(value: Decimal | float | int, lang: str) -> str:
    """An amount as typed in a form field, without thousands separator: '1234,56' (fr), '1234.56' (en)."""
    text = f"{to_cents(value):.2f}"
    return text if lang == "en" else text.replace(".", ",")


def amount_as_typed(value: Any) -> str | None:
    """An amount from the chat or the API as a person would type it in a form box:
    '1500', '1234,5' → '1234,50'; None when it is not a number (the forms read a comma
    or a point)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    text = f"{amount}"
    return (text[:-3] if text.endswith(".00") else text).replace(".", ",")


def date_fr(day: dt.date, months: tuple[str, ...] | list[str] = _FR_MONTHS) -> str:
    """2026-05-01 → '1er mai 2026'."""
    return f"{'1er' if day.day == 1 else day.day} {months[day.month - 1]} {day.year}"
