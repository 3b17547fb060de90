"""Repayment schedule (échéancier) arithmetic, in whole cents.

The instalments must add up to the debt to the cent, whatever the rounding:
a schedule that leaves or adds a few cents makes the agreement ambiguous, and
a tenant who pays exactly what is written must end with a zero balance.
Every instalment but the last is the debt divided by the number of months,
rounded down to the cent; the last absorbs the remaining cents.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from webapp.triage.deadlines import add_months

CENT = Decimal("0.01")


class ScheduleError(ValueError):
    """Bad schedule input; `field` names the form field it concerns."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Instalment:
    number: int
    due: dt.date
    amount: Decimal
    remaining: Decimal  # debt still owed once this instalment is paid


@dataclass(frozen=True)
class Schedule:
    debt: Decimal
    months: int
    rent_with_charges: Decimal
    instalments: tuple[Instalment, ...]

    @property
    def regular(self) -> Decimal:
        return self.instalments[0].amount

    @property
    def last(self) -> Decimal:
        return self.instalments[-1].amount

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), Decimal("0"))

    @property
    def monthly_payment(self) -> Decimal:
        """What the tenant pays in a regular month: current rent and charges plus the instalment."""
        return self.rent_with_charges + self.regular

    @property
    def last_payment(self) -> Decimal:
        return self.rent_with_charges + self.last

    @property
    def first_due(self) -> dt.date:
        return self.instalments[0].due

    @property
    def last_due(self) -> dt.date:
        return self.instalments[-1].due


def to_cents(value: Decimal | float | int | str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ScheduleError("amount", "not_a_number") from exc
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def repayment_schedule(debt, months: int, first_due: dt.date, rent_with_charges=0,
                       max_months: int | None = None) -> Schedule:
    """Split `debt` into `months` monthly instalments due from `first_due`.

    Month-end due dates clamp (31 Jan, 28 Feb, 31 Mar…) but stay anchored on
    the first due day, so a schedule started on the 31st keeps the 31st when
    the month has one.
    """
    debt = to_cents(debt)
    rent = to_cents(rent_with_charges)
    if debt <= 0:
        raise ScheduleError("amount", "not_positive")
    if rent < 0:
        raise ScheduleError("rent", "negative")
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ScheduleError("months", "too_few")
    if max_months is not None and months > max_months:
        raise ScheduleError("months", "too_many")
    cents = int(debt / CENT)
    if months > cents:
        # More instalments than cents would mean instalments of 0,00 €.
        raise ScheduleError("months", "more_than_cents")
    regular = cents // months
    last = cents - regular * (months - 1)
    rows = []
    remaining = cents
    for n in range(1, months + 1):
        amount = last if n == months else regular
        remaining -= amount
        rows.append(Instalment(n, add_months(first_due, n - 1), Decimal(amount) * CENT, Decimal(remaining) * CENT))
    return Schedule(debt, months, rent, tuple(rows))
