"""Staff login: throttling, session expiry and the `staff_required` guard.

The staff id lives in the server-side session; the session id is renewed at
login (no fixation) and the login ends after STAFF_SESSION_MINUTES idle. The
session also keeps the account's session epoch from sign-in: changing or
resetting the password bumps it, which signs out every older session.
"""
from __future__ import annotations

import functools
from datetime import datetime, timedelta

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import delete, func, select

from webapp.db import get_session
from webapp.referrals.models import utcnow
from webapp.staff.models import LoginFailure, StaffUser
from webapp.staff.passwords import verify_password

STAFF_KEY = "staff_id"
SEEN_KEY = "staff_seen_at"
EPOCH_KEY = "staff_epoch"
# The one page a staff member whose password was set by someone else may open.
CHANGE_PASSWORD_ENDPOINT = "staff.change_password"


def email_key(email: str) -> str:
    return (email or "").strip().lower()[:254]


# One client trying many addresses is throttled too, with more room (shared office networks).
PER_CLIENT_FACTOR = 4


def _client_key() -> str:
    return "client:" + (request.remote_addr or "unknown")


def _failures(db, key: str, since: datetime) -> int:
    return db.scalar(select(func.count(LoginFailure.id)).where(LoginFailure.email_key == key,
                                                              LoginFailure.at > since))


def is_throttled(db, email: str, now: datetime | None = None) -> bool:
    now = now or utcnow()
    since = now - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    return (_failures(db, email_key(email), since) >= limit
            or _failures(db, _client_key(), since) >= limit * PER_CLIENT_FACTOR)


def authenticate(db, email: str, password: str) -> tuple[StaffUser | None, str]:
    """(user, "ok") or (None, "throttled" | "invalid"). Failures are recorded even for unknown addresses."""
    key = email_key(email)
    if is_throttled(db, key):
        return None, "throttled"
    user = db.scalar(select(StaffUser).where(StaffUser.email == key))
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        db.add(LoginFailure(email_key=key))
        db.add(LoginFailure(email_key=_client_key()[:254]))
        db.commit()
        return None, "invalid"
    db.execute(delete(LoginFailure).where(LoginFailure.email_key == key))
    user.last_login_at = utcnow()
    db.commit()
    return user, "ok"


def check_current_password(db, user: StaffUser, password: str) -> str:
    """"ok", "invalid" or "throttled": a signed-in user confirming their password.

    Misses count with the failed sign-ins of the same address, so a stolen session
    cannot be used to guess the password faster than the sign-in form allows.
    """
    if is_throttled(db, user.email):
        return "throttled"
    if not verify_password(user.password_hash, password or ""):
        db.add(LoginFailure(email_key=email_key(user.email)))
        db.add(LoginFailure(email_key=_client_key()[:254]))
        db.commit()
        return "invalid"
    return "ok"


def start_session(user: StaffUser) -> None:
    # Renew the session id: an id planted before login must not become a staff session.
    session.clear()
    session.sid = None
    session[STAFF_KEY] = user.id
    session[SEEN_KEY] = utcnow().isoformat()
    session[EPOCH_KEY] = user.session_epoch


def end_session() -> None:
    session.pop(STAFF_KEY, None)
    session.pop(SEEN_KEY, None)
    session.pop(EPOCH_KEY, None)


def current_staff() -> StaffUser | None:
    """The logged-in, active staff member, or None (expired sessions are ended here)."""
    if "staff_user" in g:
        return g.staff_user
    user = None
    staff_id = session.get(STAFF_KEY)
    seen = session.get(SEEN_KEY)
    if isinstance(staff_id, int) and isinstance(seen, str):
        try:
            last = datetime.fromisoformat(seen)
        except ValueError:
            last = None
        limit = timedelta(minutes=current_app.config["STAFF_SESSION_MINUTES"])
        if last is not None and utcnow() - last <= limit:
            candidate = get_session().get(StaffUser, staff_id)
            # A session from before the last password change is over. One opened before
            # epochs existed counts as epoch 0: deploying them signs nobody out, and the
            # first change or reset still ends it.
            if (candidate is not None and candidate.active
                    and session.get(EPOCH_KEY, 0) == candidate.session_epoch):
                user = candidate
                session[SEEN_KEY] = utcnow().isoformat()
        if user is None:
            end_session()
    g.staff_user = user
    return user


def _must_change_first(user: StaffUser) -> bool:
    return user.must_change_password and request.endpoint != CHANGE_PASSWORD_ENDPOINT


def staff_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        user = current_staff()
        if user is None:
            return redirect(url_for("staff.login", next=request.path))
        if _must_change_first(user):
            return redirect(url_for(CHANGE_PASSWORD_ENDPOINT))
        return view(*args, **kwargs)
    return wrapper


def admin_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        user = current_staff()
        if user is None:
            return redirect(url_for("staff.login", next=request.path))
        if not user.is_admin:
            abort(404)
        if _must_change_first(user):
            return redirect(url_for(CHANGE_PASSWORD_ENDPOINT))
        return view(*args, **kwargs)
    return wrapper
