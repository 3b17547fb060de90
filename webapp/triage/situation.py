"""A household's situation as the triage sees it, and its validation.

Validation reports every problem with the field it concerns and a message
code; the caller (API, questionnaire) turns the code into a translated
message. Nothing here raises on bad input.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

ROLES = ("tenant", "landlord")
LANDLORD_KINDS = ("private", "social")
# Who the landlord is, for the landlord's own plan (issue 7): the CCAPEX
# referral before the assignation binds legal persons other than family SCIs.
LANDLORD_ENTITIES = ("individual", "family_sci", "legal_person")
STAGES = (
    "arrears",
    "commandement_de_payer",
    "assignation",
    "jugement",
    "commandement_de_quitter",
    "expulsion_scheduled",
    "illegal_eviction",
)
HOUSING_BENEFIT = ("none", "paid_to_tenant", "paid_to_landlord")
OVERINDEBTEDNESS = ("none", "filed", "admissible")
LANGS = ("fr", "en")
# How much of the lease date the household gave: "juillet 2023" is a month,
# "en 2023" a year. The engine does not pick a day that would decide the
# payment period on its own (deadlines.payment_period).
DATE_PRECISIONS = ("day", "month", "year")

# Dates of events that have already happened: one in the future is a typo.
PAST_EVENT_DATES = ("lease_date", "commandement_date", "judgment_served_date", "commandement_de_quitter_date")
DATE_FIELDS = PAST_EVENT_DATES + ("hearing_date", "today")
AMOUNT_FIELDS = ("debt_eur", "rent_eur", "monthly_income_eur")
BOOL_FIELDS = ("resumed_rent", "private_sector_employee", "other_debts", "has_guarantor", "has_visale")
CHOICE_FIELDS = {
    "role": ROLES,
    "landlord_kind": LANDLORD_KINDS,
    "landlord_entity": LANDLORD_ENTITIES,
    "stage": STAGES,
    "housing_benefit": HOUSING_BENEFIT,
    "overindebtedness": OVERINDEBTEDNESS,
    "lang": LANGS,
    "lease_date_precision": DATE_PRECISIONS,
}
MAX_AMOUNT_EUR = 10_000_000
MAX_HOUSEHOLD_SIZE = 30
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)


def date_in_range(day: dt.date) -> bool:
    """The dates the engine accepts: the forms check the same range, so a
    mistyped year ("2926") is refused at its step, not after the last one."""
    return EARLIEST_DATE <= day <= LATEST_DATE
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSEE = re.compile(r"^\d[\dAB]\d{3}$")


class Directory(Protocol):
    def commune(self, insee: str) -> Any: ...
    def nearest(self, insee: str, kind: str) -> Any: ...
    def structure(self, structure_id: str) -> Any: ...


@dataclass(frozen=True)
class Situation:
    role: str
    landlord_kind: str = "private"
    landlord_entity: str | None = None
    has_guarantor: bool | None = None
    has_visale: bool | None = None
    stage: str | None = None
    commune: str | None = None
    debt_eur: float | None = None
    rent_eur: float | None = None
    monthly_income_eur: float | None = None
    household_size: int | None = None
    resumed_rent: bool | None = None
    housing_benefit: str | None = None
    private_sector_employee: bool | None = None
    other_debts: bool | None = None
    overindebtedness: str | None = None
    lease_date: dt.date | None = None
    lease_date_precision: str = "day"
    commandement_date: dt.date | None = None
    hearing_date: dt.date | None = None
    judgment_served_date: dt.date | None = None
    commandement_de_quitter_date: dt.date | None = None
    today: dt.date = field(default_factory=dt.date.today)
    lang: str = "fr"

    @property
    def hearing_passed(self) -> bool:
        """A hearing date before today: the judgment may be given; never "go to the hearing"."""
        return self.hearing_date is not None and self.hearing_date < self.today


FIELD_NAMES = tuple(f.name for f in fields(Situation))


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    params: dict = field(default_factory=dict)


def parse_date(value: Any) -> dt.date | None:
    """A strict YYYY-MM-DD calendar date, or None (2025-02-30 is None)."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_situation(
    data: Any, directory: Directory | None, server_today: dt.date | None = None
) -> tuple[Situation | None, list[FieldError]]:
    """Validate a JSON-like mapping; return (situation, []) or (None, errors)."""
    if not isinstance(data, dict):
        return None, [FieldError("body", "not_an_object")]
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    for name in data:
        if name not in FIELD_NAMES:
            errors.append(FieldError(str(name), "unknown_field"))

    if data.get("role") is None:
        errors.append(FieldError("role", "required"))

    for name, choices in CHOICE_FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors.append(FieldError(name, "wrong_type", {"expected": "string"}))
        elif value not in choices:
            errors.append(FieldError(name, "invalid_choice", {"choices": ", ".join(choices)}))
        else:
            values[name] = value

    for name in BOOL_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, bool):
            errors.append(FieldError(name, "wrong_type", {"expected": "boolean"}))
        else:
            values[name] = value

    for name in AMOUNT_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(FieldError(name, "wrong_type", {"expected": "number"}))
        elif not (0 <= value <= MAX_AMOUNT_EUR) or value != value:
            errors.append(FieldError(name, "out_of_range", {"min": 0, "max": MAX_AMOUNT_EUR}))
        else:
            values[name] = float(value)

    size = data.get("household_size")
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int):
            errors.append(FieldError("household_size", "wrong_type", {"expected": "integer"}))
        elif not (1 <= size <= MAX_HOUSEHOLD_SIZE):
            errors.append(FieldError("household_size", "out_of_range", {"min": 1, "max": MAX_HOUSEHOLD_SIZE}))
        else:
            values["household_size"] = size

    for name in DATE_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors.append(FieldError(name, "wrong_type", {"expected": "date"}))
            continue
        day = parse_date(value)
        if day is None:
            errors.append(FieldError(name, "invalid_date"))
        elif not date_in_range(day):
            errors.append(FieldError(name, "out_of_range", {"min": EARLIEST_DATE.isoformat(),
                                                            "max": LATEST_DATE.isoformat()}))
        else:
            values[name] = day

    today = values.get("today") or server_today or dt.date.today()
    values["today"] = today
    for name in PAST_EVENT_DATES:
        if name in values and values[name] > today:
            errors.append(FieldError(name, "date_in_future"))

    commune = data.get("commune")
    if commune is not None:
        if not isinstance(commune, str):
            errors.append(FieldError("commune", "wrong_type", {"expected": "string"}))
        elif not _INSEE.match(commune):
            errors.append(FieldError("commune", "invalid_insee"))
        elif not commune.startswith("90") or directory is None or directory.commune(commune) is None:
            errors.append(FieldError("commune", "outside_departement"))
        else:
            values["commune"] = commune

    if errors:
        return None, errors
    return Situation(**values), []
