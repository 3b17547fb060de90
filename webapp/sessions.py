"""Server-side sessions: the cookie holds only a random id.

Questionnaire answers and the chat's conversation id must stay on the server
(never in the URL, never readable in the cookie), so Flask's signed-cookie
session is replaced by rows in the database.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import DateTime, String, Text, bindparam, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import CallbackDict

from webapp import json_codec
from webapp.db import Base
from webapp.db_direct import DirectConnections, direct_connections

COOKIE_NAME = "rcs_session"


class WebSession(Base):
    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid=None, new=False, expires_at=None):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.new = new
        self.modified = False
        # When the row, and the cookie sent with it, expire (None: not stored yet).
        self.expires_at = expires_at


def _now() -> datetime:
    return datetime.now(timezone.utc)


_TABLE = WebSession.__table__


class _CoreStore:
    """The session rows through SQLAlchemy Core: any database (SQLite embedded)."""

    # Built once with bound parameters: SQLAlchemy then reuses one compiled
    # form instead of building a cache key for a new statement each request.
    READ = select(_TABLE.c.data, _TABLE.c.expires_at).where(_TABLE.c.id == bindparam("sid"))
    UPDATE = (update(_TABLE).where(_TABLE.c.id == bindparam("sid"))
              .values(data=bindparam("data"), expires_at=bindparam("expires_at")))
    INSERT = insert(_TABLE).values(id=bindparam("sid"), data=bindparam("data"),
                                   expires_at=bindparam("expires_at"))
    DELETE = delete(_TABLE).where(_TABLE.c.id == bindparam("sid"))

    def __init__(self, engine):
        self.engine = engine

    def _connection(self):
        # Each statement commits on its own: no BEGIN, COMMIT or ROLLBACK
        # round trip around it, no ORM unit of work.
        return self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def read(self, sid: str):
        with self._connection() as conn:
            return conn.execute(self.READ, {"sid": sid}).first()

    def write(self, values: dict, new: bool) -> None:
        with self._connection() as conn:
            # One statement for a known session; an insert for a new one, or
            # for one purged meanwhile.
            if new or not conn.execute(self.UPDATE, values).rowcount:
                conn.execute(self.INSERT, values)

    def delete(self, sid: str) -> None:
        with self._connection() as conn:
            conn.execute(self.DELETE, {"sid": sid})


class _PsycopgStore:
    """The same statements straight through psycopg, on the process's autocommit
    connections (webapp/db_direct.py: why, and why they do not wait for the disk)."""

    READ = f"SELECT data, expires_at FROM {_TABLE.name} WHERE id = %(sid)s"
    UPDATE = f"UPDATE {_TABLE.name} SET data = %(data)s, expires_at = %(expires_at)s WHERE id = %(sid)s"
    INSERT = (f"INSERT INTO {_TABLE.name} (id, data, expires_at) "
              f"VALUES (%(sid)s, %(data)s, %(expires_at)s)")
    DELETE = f"DELETE FROM {_TABLE.name} WHERE id = %(sid)s"

    def __init__(self, connections: DirectConnections):
        self.connections = connections

    def read(self, sid: str):
        return self.connections.run(lambda c: c.execute(self.READ, {"sid": sid}).fetchone())

    def write(self, values: dict, new: bool) -> None:
        def work(connection):
            if new or not connection.execute(self.UPDATE, values).rowcount:
                connection.execute(self.INSERT, values)
        self.connections.run(work)

    def delete(self, sid: str) -> None:
        self.connections.run(lambda c: c.execute(self.DELETE, {"sid": sid}))


def _store(app: Flask):
    store = app.extensions.get("session_store")
    if store is None:
        engine = app.extensions["db_engine"]
        connections = direct_connections(app) if engine.dialect.name == "postgresql" else None
        store = app.extensions["session_store"] = (
            _PsycopgStore(connections) if connections is not None else _CoreStore(engine))
    return store


class DatabaseSessionInterface(SessionInterface):
    """Stores each session as one JSON row keyed by an unguessable id."""

    def open_session(self, app: Flask, request):
        sid = request.cookies.get(COOKIE_NAME)
        if sid and len(sid) <= 64:
            row = _store(app).read(sid)
            if row is not None:
                data, expires = row
                if expires.tzinfo is None:
                    expires = expires.replace(tzinfo=timezone.utc)
                if expires > _now():
                    return ServerSession(json_codec.loads(data), sid=sid, expires_at=expires)
        return ServerSession(sid=None, new=True)

    def save_session(self, app: Flask, session: ServerSession, response):
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if not session:
            if session.sid and session.modified:
                _store(app).delete(session.sid)
                response.delete_cookie(COOKIE_NAME, domain=domain, path=path)
            return
        new_id = session.sid is None
        if new_id:
            # A new session, or one whose id was renewed (staff sign-in): its cookie must go out.
            session.sid = secrets.token_urlsafe(32)
            session.expires_at = None
        if session.modified or session.new or self.should_set_cookie(app, session):
            expires, renewed = _expiry(app, session)
            _store(app).write({"sid": session.sid, "data": json_codec.dumps(dict(session)),
                               "expires_at": expires}, new=session.new)
            if renewed:
                response.set_cookie(
                    COOKIE_NAME, session.sid, expires=expires, httponly=True,
                    domain=domain, path=path, secure=app.config["SESSION_COOKIE_SECURE"],
                    samesite=app.config["SESSION_COOKIE_SAMESITE"],
                )
            # The response now depends on the cookie: no shared cache may keep it.
            _vary_on_cookie(response)


def _vary_on_cookie(response) -> None:
    # What response.vary.add("Cookie") does, without parsing the header into
    # a set and writing it back: a quarter of this method's CPU, per request.
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Cookie"
    elif "cookie" not in {token.strip().lower() for token in vary.split(",")}:
        response.headers["Vary"] = f"{vary}, Cookie"


# The expiry slides with use, by steps of this much: a chat message or an
# answer a minute does not need a new cookie each time.
EXPIRY_STEP = timedelta(minutes=5)


def _expiry(app: Flask, session: ServerSession) -> tuple[datetime, bool]:
    """(when the session expires after this write, whether the cookie must be sent again).

    The row and the cookie always expire together: the row's expiry moves
    only when the cookie is sent again, once it has aged a step. A session
    therefore lasts between the lifetime minus one step and the lifetime
    after its last change.
    """
    lifetime = timedelta(minutes=app.config["SESSION_LIFETIME_MINUTES"])
    step = min(EXPIRY_STEP, lifetime / 10)
    now = _now()
    if session.new or session.expires_at is None or session.expires_at < now + lifetime - step:
        session.expires_at = now + lifetime
        return session.expires_at, True
    return session.expires_at, False


def purge_expired(maker) -> int:
    """Delete expired sessions; returns how many were removed."""
    with maker() as db:
        ids = db.scalars(select(WebSession.id).where(WebSession.expires_at < _now())).all()
        if ids:
            db.execute(delete(WebSession).where(WebSession.id.in_(ids)))
            db.commit()
        return len(ids)
