"""French formatting for letters: amounts and dates as a French reader expects."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


def date_fr(day: dt.date, months: tuple[str, ...] | list[str] = _FR_MONTHS) -> str:
    """2026-05-01 → '1er mai 2026'."""
    return f"{'1er' if day.day == 1 else day.day} {months[day.month - 1]} {day.year}"
