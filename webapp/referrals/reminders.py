"""Reminders to a structure whose referral is still "nouvelle" after REFERRAL_REMINDER_HOURS."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from webapp.referrals import outbox
from webapp.referrals.models import Case, Referral, utcnow


def queue_reminders(maker, hours: int, base_url: str, now: datetime | None = None) -> int:
    """One reminder per overdue referral and per delay period (running it twice adds nothing)."""
    now = now or utcnow()
    limit = now - timedelta(hours=hours)
    with maker() as db:
        overdue = db.scalars(select(Referral).join(Case).where(
            Referral.status == "nouvelle", Case.state == "submitted", Referral.created_at < limit,
            or_(Referral.reminded_at.is_(None), Referral.reminded_at < limit)).order_by(Referral.id)).all()
        for referral in overdue:
            outbox.enqueue_reminder(db, referral, referral.case.reference, referral.case.urgency, hours, base_url)
            referral.reminded_at = now
        db.commit()
        return len(overdue)
