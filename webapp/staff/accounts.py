"""Creating and disabling staff accounts (shared by the CLI and the admin page)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.staff.auth import email_key
from webapp.staff.models import StaffUser
from webapp.staff.passwords import MIN_LENGTH, hash_password


class AccountError(ValueError):
    pass


def add_account(db: Session, email: str, structure_id: str, password: str, *, is_admin: bool,
                known_structures: set[str]) -> StaffUser:
    key = email_key(email)
    if "@" not in key:
        raise AccountError("not an e-mail address")
    if structure_id not in known_structures:
        raise AccountError(f"unknown structure {structure_id!r}")
    if len(password) < MIN_LENGTH:
        raise AccountError(f"the password needs at least {MIN_LENGTH} characters")
    if db.scalar(select(StaffUser).where(StaffUser.email == key)) is not None:
        raise AccountError("an account with this address exists")
    user = StaffUser(email=key, structure_id=structure_id, is_admin=is_admin, active=True,
                     password_hash=hash_password(password))
    db.add(user)
    db.flush()
    return user


def disable_account(db: Session, email: str) -> StaffUser:
    user = db.scalar(select(StaffUser).where(StaffUser.email == email_key(email)))
    if user is None:
        raise AccountError("no such account")
    user.active = False
    return user
