"""The inbox query: one structure's referrals, filtered and ordered for call-backs.

The same function feeds the inbox page and the CSV export, so the export holds
exactly the rows the filters show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, contains_eager

from webapp.referrals.models import CLEARED_STATES, OPEN_STATUSES, STATUSES, Case, Referral, utcnow
from webapp.referrals.reference import is_reference, normalise
from webapp.triage.situation import STAGES, date_in_range


@dataclass
class Filters:
    status: str = ""
    stage: str = ""
    commune: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    reference: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        def day(name):
            # The engine's date range: a "9999-12-31" typed in the URL would
            # overflow the day after it, which the query needs.
            try:
                value = dt.date.fromisoformat(args.get(name, ""))
            except ValueError:
                return None
            return value if date_in_range(value) else None
        status = args.get("status", "")
        stage = args.get("stage", "")
        reference = args.get("reference", "")
        return cls(
            status=status if status in STATUSES or status == "open" else "",
            stage=stage if stage in STAGES else "",
            commune=args.get("commune", "") if (args.get("commune", "")).isalnum() else "",
            date_from=day("date_from"), date_to=day("date_to"),
            overdue=args.get("overdue") in ("1", "on", "true"),
            reference=normalise(reference) if is_reference(reference) else "",
        )

    def as_args(self) -> dict:
        out = {"status": self.status, "stage": self.stage, "commune": self.commune,
               "date_from": self.date_from.isoformat() if self.date_from else "",
               "date_to": self.date_to.isoformat() if self.date_to else "",
               "overdue": "1" if self.overdue else "", "reference": self.reference}
        return {k: v for k, v in out.items() if v}


def overdue_clause(reminder_hours: int, now: dt.datetime, today: dt.date):
    """Still "nouvelle" past the reminder delay, or an open file whose next deadline has passed."""
    return or_(
        and_(Referral.status == "nouvelle", Referral.created_at < now - dt.timedelta(hours=reminder_hours)),
        and_(Referral.status.in_(OPEN_STATUSES), Case.next_deadline < today),
    )


def inbox_query(structure_id: str, filters: Filters, reminder_hours: int, now: dt.datetime | None = None):
    now = now or utcnow()
    query = (select(Referral).join(Case).options(contains_eager(Referral.case))
             .where(Referral.structure_id == structure_id, Case.state.in_(("submitted", *CLEARED_STATES))))
    if filters.status == "open":
        query = query.where(Referral.status.in_(OPEN_STATUSES))
    elif filters.status:
        query = query.where(Referral.status == filters.status)
    if filters.stage:
        query = query.where(Case.stage == filters.stage)
    if filters.commune:
        query = query.where(Case.commune == filters.commune)
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=dt.timezone.utc)
        query = query.where(Referral.created_at >= start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)
        query = query.where(Referral.created_at < end)
    if filters.overdue:
        query = query.where(overdue_clause(reminder_hours, now, now.date()))
    if filters.reference:
        query = query.where(Case.reference == filters.reference)
    return query.order_by(Case.urgency_rank, Case.next_deadline.is_(None), Case.next_deadline,
                          Referral.created_at, Referral.id)


def inbox(db: Session, structure_id: str, filters: Filters, reminder_hours: int) -> list[Referral]:
    return list(db.scalars(inbox_query(structure_id, filters, reminder_hours)).unique())


def is_overdue(referral: Referral, reminder_hours: int, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    if referral.status == "nouvelle" and referral.created_at < now - dt.timedelta(hours=reminder_hours):
        return True
    deadline = referral.case.next_deadline
    return referral.status in OPEN_STATUSES and deadline is not None and deadline < now.date()
