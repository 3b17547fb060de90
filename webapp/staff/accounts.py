"""Creating and disabling staff accounts, setting their passwords (shared by the CLI and the admin page)."""
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
    user = find_account(db, email)
    user.active = False
    return user


def find_account(db: Session, email: str) -> StaffUser:
    user = db.scalar(select(StaffUser).where(StaffUser.email == email_key(email)))
    if user is None:
        raise AccountError("no such account")
    return user


def set_password(db: Session, user: StaffUser, password: str, *, must_change: bool) -> None:
    """Store a new Argon2id hash and sign out every session of the account.

    The caller renews its own session (auth.start_session) when the change is the
    user's own, so that the browser that made it stays signed in.
    """
    if len(password) < MIN_LENGTH:
        raise AccountError(f"the password needs at least {MIN_LENGTH} characters")
    user.password_hash = hash_password(password)
    # In SQL, not in Python: two changes at the same moment still each move the epoch on.
    user.session_epoch = StaffUser.session_epoch + 1
    user.must_change_password = must_change
    db.flush()
    # Read the new epoch back now, while the transaction is open.
    db.refresh(user, ["session_epoch"])
