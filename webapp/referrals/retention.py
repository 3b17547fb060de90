"""Retention rules, one function per rule, each safe to run again (cron).

- anonymise_closed: cases whose referrals are all closed or refused, the last
  one more than RETENTION_CLOSED_MONTHS ago, lose everything that identifies
  the household; statuses, outcomes, stage and dates stay for statistics.
  The clearing itself is anonymise_case, which erasure at the household's
  request (service.erase_on_request) applies too, at once.
- delete_drafts: consent given but never confirmed, older than DRAFT_RETENTION_HOURS.
- purge_audit: audit entries older than AUDIT_RETENTION_MONTHS.
- purge_outbox: sent e-mails older than OUTBOX_RETENTION_DAYS (they hold addresses), and
  e-mails that failed for good, that long after they were written.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from webapp.referrals.models import FINAL_STATUSES, Case, OutboxMessage, Referral, ReferralEvent, utcnow

ANONYMISED_FIELDS = ("contact_name", "contact_phone", "contact_email", "preferred_times", "preferred_language",
                     "accessibility_needs", "description", "situation", "triage", "commune")


def months_before(moment: datetime, months: int) -> datetime:
    """Same day-of-month `months` earlier (clamped to the month's last day)."""
    year, month = divmod(moment.month - 1 - months, 12)
    year += moment.year
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def anonymise_case(db: Session, case: Case, now: datetime, *, state: str = "anonymised") -> None:
    """Clear everything that identifies the household, in the caller's transaction.

    The one rule both retention (state "anonymised") and erasure at the household's
    request (state "erased") apply: contact details, story, answers, triage, commune,
    deadline dates, staff notes and the case's e-mails (queued or sent: they hold the
    address and the reference). Statuses, outcomes, stage, urgency and dates stay for
    statistics.
    """
    for name in ANONYMISED_FIELDS:
        setattr(case, name, None)
    # Deadlines carry dates of the household's own procedure: keep only their kinds.
    case.deadlines = [{"kind": d.get("kind")} for d in case.deadlines or []]
    case.state = state
    case.anonymised_at = now
    referral_ids = [r.id for r in case.referrals]
    # Staff notes and status explanations are free text about the household.
    for referral in case.referrals:
        referral.status_note = None
    db.execute(update(ReferralEvent).where(ReferralEvent.referral_id.in_(referral_ids))
               .values(text=None))
    db.execute(delete(OutboxMessage).where(OutboxMessage.case_id == case.id))


def anonymise_closed(maker, months: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    cutoff = months_before(now, months)
    with maker() as db:
        open_cases = select(Referral.case_id).where(Referral.status.not_in(FINAL_STATUSES))
        last_closed = (select(Referral.case_id).group_by(Referral.case_id)
                       .having(func.max(Referral.closed_at) < cutoff))
        ids = list(db.scalars(select(Case.id).where(
            Case.state == "submitted", Case.id.in_(last_closed), Case.id.not_in(open_cases))))
        for case_id in ids:
            anonymise_case(db, db.get(Case, case_id), now)
        db.commit()
        return len(ids)


def delete_drafts(maker, hours: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    with maker() as db:
        ids = list(db.scalars(select(Case.id).where(Case.state == "draft",
                                                    Case.created_at < now - timedelta(hours=hours))))
        if ids:
            db.execute(delete(Case).where(Case.id.in_(ids)))
        db.commit()
        return len(ids)


def purge_audit(maker, months: int, now: datetime | None = None) -> int:
    from webapp.staff.models import AuditEntry, LoginFailure

    now = now or utcnow()
    cutoff = months_before(now, months)
    with maker() as db:
        count = db.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount
        # Failed logins only matter for throttling; a day is plenty.
        db.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(days=1)))
        db.commit()
        return count


def purge_outbox(maker, days: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    with maker() as db:
        cutoff = now - timedelta(days=days)
        # A message that failed for good holds the same address; past the
        # same age, retrying it (`flask outbox retry`) no longer serves anyone.
        count = db.execute(delete(OutboxMessage).where(or_(
            and_(OutboxMessage.status == "sent", OutboxMessage.sent_at < cutoff),
            and_(OutboxMessage.status == "failed", OutboxMessage.created_at < cutoff)))).rowcount
        db.commit()
        return count
