"""Date arithmetic of the procedure's deadlines.

Dates are calendar dates: no shifting for weekends or public holidays (the
API document says so), because the rules the product relies on count that
way and a shifted date could make a household act a day too late.
"""
from __future__ import annotations

import calendar
import datetime as dt

from webapp.triage.rules import Duration, Rules


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add(day: dt.date, d: Duration, sign: int = 1) -> dt.date:
    if d.months:
        day = add_months(day, sign * d.months)
    return day + sign * dt.timedelta(days=d.days, weeks=d.weeks)


def payment_period(rules: Rules, lease_date: dt.date | None,
                   precision: str = "day", role: str | None = "tenant") -> tuple[Duration, str]:
    """Period to pay after a commandement de payer, and which case applied.

    The case is on_or_after_cutoff, before_cutoff or lease_unknown. A lease
    date known only to the month or the year ("juillet 2023") whose month or
    year holds the cut-off day is read as unknown: any day picked in it
    could give the wrong period. An unknown lease date gives the period
    that is safe for `role`: the short one for a tenant (pay sooner), the
    long one for a landlord (an early assignation is inadmissible).
    """
    node = rules.param("commandement_payment_period")
    if lease_date is not None and precision != "day" and _straddles(lease_date, precision, rules.lease_cutoff):
        lease_date = None
    side = "landlord" if role == "landlord" else "tenant"
    if lease_date is None:
        fallback = node["when_lease_date_unknown"][side]
        return rules.duration("commandement_payment_period", fallback), "lease_unknown"
    if lease_date >= rules.lease_cutoff:
        return rules.duration("commandement_payment_period", "on_or_after_cutoff"), "on_or_after_cutoff"
    # An older lease may have been renewed since: the safe period for each side.
    return rules.duration("commandement_payment_period", node["when_lease_before_cutoff"][side]), "before_cutoff"


def latest_payment_deadline(rules: Rules, commandement_date: dt.date) -> dt.date:
    """The end of the longest period the commandement may give: until then, paying may still save the lease."""
    return add(commandement_date, max(
        (rules.duration("commandement_payment_period", case) for case in ("before_cutoff", "on_or_after_cutoff")),
        key=lambda d: add(commandement_date, d)))


def _straddles(day: dt.date, precision: str, cutoff: dt.date) -> bool:
    """True when the month or year of `day` holds days on both sides of `cutoff`."""
    if precision == "year":
        first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    else:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return first < cutoff <= last


def payment_deadline(rules: Rules, commandement_date: dt.date, lease_date: dt.date | None,
                     precision: str = "day", role: str | None = "tenant") -> dt.date:
    period, _ = payment_period(rules, lease_date, precision, role)
    return add(commandement_date, period)


def appeal_deadline(rules: Rules, judgment_served_date: dt.date) -> dt.date:
    return add(judgment_served_date, rules.duration("appeal_period"))


def _truce_bounds(rules: Rules) -> tuple[tuple[int, int], tuple[int, int]]:
    node = rules.param("winter_truce")
    return (node["start"]["month"], node["start"]["day"]), (node["end"]["month"], node["end"]["day"])


def in_winter_truce(rules: Rules, day: dt.date) -> bool:
    """True when no forced eviction may take place on that day."""
    start, end = _truce_bounds(rules)
    md = (day.month, day.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end  # spans the new year


def truce_end_after(rules: Rules, day: dt.date) -> dt.date:
    """First day after the truce that contains `day` (the next 1 April)."""
    _, (end_month, end_day) = _truce_bounds(rules)
    end = dt.date(day.year, end_month, end_day)
    if end < day:
        end = dt.date(day.year + 1, end_month, end_day)
    return end + dt.timedelta(days=1)


def next_truce_start(rules: Rules, day: dt.date) -> dt.date:
    """The next first day of a truce on or after `day`."""
    (start_month, start_day), _ = _truce_bounds(rules)
    start = dt.date(day.year, start_month, start_day)
    return start if start >= day else dt.date(day.year + 1, start_month, start_day)


def earliest_eviction(rules: Rules, commandement_de_quitter_date: dt.date) -> tuple[dt.date, bool]:
    """Earliest eviction date after the CQL, and whether the truce pushed it.

    The eviction may take place only once the 2 months have run out (CPCE
    L412-1, "à l'expiration d'un délai de deux mois"): a period ends with its
    last day, so the first possible day is the next one, as the assignation
    after the payment period (landlord_plan). A CQL of 31 August ends its
    period on 31 October: 1 November is in the truce, so 1 April.
    """
    day = add(commandement_de_quitter_date, rules.duration("wait_after_commandement_de_quitter")) \
        + dt.timedelta(days=1)
    if in_winter_truce(rules, day):
        return truce_end_after(rules, day), True
    return day, False
