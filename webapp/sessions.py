"""Server-side sessions: the cookie holds only a random id.

Questionnaire answers and the chat's conversation id must stay on the server
(never in the URL, never readable in the cookie), so Flask's signed-cookie
session is replaced by rows in the database.
"""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import DateTime, String, Text, bindparam, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import CallbackDict

from webapp.db import Base

COOKIE_NAME = "rcs_session"


class WebSession(Base):
    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid=None, new=False):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.new = new
        self.modified = False


def _now() -> datetime:
    return datetime.now(timezone.utc)


_TABLE = WebSession.__table__
# Built once with bound parameters: SQLAlchemy then reuses one compiled form
# instead of building a cache key for a new statement on every request.
_READ = select(_TABLE.c.data, _TABLE.c.expires_at).where(_TABLE.c.id == bindparam("sid"))
_UPDATE = (update(_TABLE).where(_TABLE.c.id == bindparam("sid"))
           .values(data=bindparam("data"), expires_at=bindparam("expires_at")))
_INSERT = insert(_TABLE).values(id=bindparam("sid"), data=bindparam("data"),
                                expires_at=bindparam("expires_at"))
_DELETE = delete(_TABLE).where(_TABLE.c.id == bindparam("sid"))


def _autocommit(app: Flask):
    """A connection where each statement commits on its own.

    The store runs twice on every request (the chat: on every message), and
    each of its statements stands alone: no BEGIN, no COMMIT or ROLLBACK
    round trip to the server around it, no ORM unit of work.
    """
    return app.extensions["db_engine"].connect().execution_options(isolation_level="AUTOCOMMIT")


class DatabaseSessionInterface(SessionInterface):
    """Stores each session as one JSON row keyed by an unguessable id."""

    def open_session(self, app: Flask, request):
        sid = request.cookies.get(COOKIE_NAME)
        if sid and len(sid) <= 64:
            with _autocommit(app) as conn:
                row = conn.execute(_READ, {"sid": sid}).first()
                if row is not None:
                    expires = row.expires_at
                    if expires.tzinfo is None:
                        expires = expires.replace(tzinfo=timezone.utc)
                    if expires > _now():
                        return ServerSession(json.loads(row.data), sid=sid)
        return ServerSession(sid=None, new=True)

    def save_session(self, app: Flask, session: ServerSession, response):
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if not session:
            if session.sid and session.modified:
                with _autocommit(app) as conn:
                    conn.execute(_DELETE, {"sid": session.sid})
                response.delete_cookie(COOKIE_NAME, domain=domain, path=path)
            return
        lifetime = timedelta(minutes=app.config["SESSION_LIFETIME_MINUTES"])
        expires = _now() + lifetime
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
        if session.modified or session.new or self.should_set_cookie(app, session):
            values = {"sid": session.sid, "data": json.dumps(dict(session), default=str),
                      "expires_at": expires}
            with _autocommit(app) as conn:
                # One statement for a known session (the chat saves on every
                # message); an insert for a new one, or one purged meanwhile.
                updated = 0 if session.new else conn.execute(_UPDATE, values).rowcount
                if not updated:
                    conn.execute(_INSERT, values)
            response.set_cookie(
                COOKIE_NAME, session.sid, expires=expires, httponly=True,
                domain=domain, path=path, secure=app.config["SESSION_COOKIE_SECURE"],
                samesite=app.config["SESSION_COOKIE_SAMESITE"],
            )
            # The response now depends on the cookie: no shared cache may keep it.
            response.vary.add("Cookie")


def purge_expired(maker) -> int:
    """Delete expired sessions; returns how many were removed."""
    with maker() as db:
        ids = db.scalars(select(WebSession.id).where(WebSession.expires_at < _now())).all()
        if ids:
            db.execute(delete(WebSession).where(WebSession.id.in_(ids)))
            db.commit()
        return len(ids)
