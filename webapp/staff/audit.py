"""The audit log: every read and change of a referral, every login, every export."""
from __future__ import annotations

from sqlalchemy.orm import Session

from webapp.staff.models import AuditEntry


def record(db: Session, action: str, *, staff=None, referral=None, reference: str | None = None,
           detail: str | None = None) -> None:
    """Add an entry to the caller's transaction (committed with the change it describes)."""
    db.add(AuditEntry(
        action=action,
        staff_id=getattr(staff, "id", None), staff_email=getattr(staff, "email", None),
        referral_id=getattr(referral, "id", None),
        reference=reference or (referral.case.reference if referral is not None else None),
        detail=detail,
    ))
