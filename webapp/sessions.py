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
from sqlalchemy import DateTime, String, Text, delete, insert, select, update
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


class DatabaseSessionInterface(SessionInterface):
    """Stores each session as one JSON row keyed by an unguessable id."""

    def open_session(self, app: Flask, request):
        sid = request.cookies.get(COOKIE_NAME)
        if sid and len(sid) <= 64:
            maker = app.extensions["db_sessionmaker"]
            with maker() as db:
                # Two columns, no ORM object: this runs on every request.
                row = db.execute(select(WebSession.data, WebSession.expires_at)
                                 .where(WebSession.id == sid)).first()
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
                with app.extensions["db_sessionmaker"]() as db:
                    db.execute(delete(WebSession).where(WebSession.id == session.sid))
                    db.commit()
                response.delete_cookie(COOKIE_NAME, domain=domain, path=path)
            return
        lifetime = timedelta(minutes=app.config["SESSION_LIFETIME_MINUTES"])
        expires = _now() + lifetime
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
        if session.modified or session.new or self.should_set_cookie(app, session):
            values = {"data": json.dumps(dict(session), default=str), "expires_at": expires}
            with app.extensions["db_sessionmaker"]() as db:
                # One statement for a known session (the chat saves on every
                # message); an insert for a new one, or one purged meanwhile.
                updated = 0 if session.new else db.execute(
                    update(WebSession).where(WebSession.id == session.sid).values(**values)).rowcount
                if not updated:
                    db.execute(insert(WebSession).values(id=session.sid, **values))
                db.commit()
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
