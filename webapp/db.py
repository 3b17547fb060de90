"""SQLAlchemy 2 engine and sessions, one per app; Alembic for the schema.

Plain SQLAlchemy (no Flask-SQLAlchemy) so that CLI commands, the triage engine
and tests can use the same models without an app context.
"""
from __future__ import annotations

import fcntl
import os
import tempfile
import time
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from werkzeug.routing import IntegerConverter
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# A pooled connection that has waited this long is pinged before use.
IDLE_PING_SECONDS = 10.0
# Several gunicorn threads share one SQLite file: wait for a lock instead of
# failing, and let a connection move between threads (the engine's and the
# kept ones of webapp/db_direct.py alike).
SQLITE_CONNECT_ARGS = {"timeout": 15, "check_same_thread": False}


class Base(DeclarativeBase):
    """Declarative base of every model."""


def make_engine(url: str, pool_size: int = 10, max_overflow: int = 20) -> Engine:
    """Create the engine; SQLite gets a file directory and foreign keys."""
    kwargs = {"future": True}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = dict(SQLITE_CONNECT_ARGS)
        # Opening a SQLite file is cheap: no pool, so no thread ever waits for
        # a pooled connection held by another.
        kwargs["poolclass"] = NullPool
    else:
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = max_overflow
    engine = create_engine(url, **kwargs)
    if not url.startswith("sqlite"):
        _ping_after_idle(engine)
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
        # WAL lets readers and one writer work at once; the mode is stored in
        # the file, so it is set once here rather than on every connection.
        if "sqlite:///" in url and not url.endswith(":memory:"):
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


def _ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it has been idle a while.

    SQLAlchemy's pool_pre_ping costs one round trip to the server on every
    checkout, and the session store checks out twice per request. A
    connection that went back to the pool a moment ago is almost surely
    alive; one that slept may have been cut (server restart, idle timeout).
    If the server restarts while connections are busy, the first statement
    on each fails, SQLAlchemy sees a disconnect and invalidates the whole
    pool, so the next request reconnects.
    """
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        since = record.info.get("checked_in_at")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool drops this connection and checks out another.
            raise exc.DisconnectionError() from error


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Create or migrate the schema to `revision`, one process at a time on this host.

    With AUTO_MIGRATE each gunicorn worker migrates as it starts, all at once:
    on a fresh database two of them created the same tables, and the loser's
    worker failed to boot (1 start in 4, two workers on SQLite). A lock file
    makes the others wait, then find the schema up to date. It is one file
    for all databases of this user: a file per database left one behind for
    each test database, and a migration takes a fraction of a second.
    Production migrates once, with AUTO_MIGRATE off (`make setup`).
    """
    with open(Path(tempfile.gettempdir()) / f"rester-chez-soi-migrate-{os.getuid()}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        command.upgrade(alembic_config(url), revision)


class RowIdConverter(IntegerConverter):
    """`<row_id:name>` in a URL: a row's id, no larger than the databases'
    64-bit integers. Larger ones are a 404 rather than an overflow (a 500)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**63 - 1)


def init_app(app: Flask) -> None:
    app.url_map.converters["row_id"] = RowIdConverter
    engine = make_engine(app.config["DATABASE_URL"], app.config["DB_POOL_SIZE"],
                         app.config["DB_MAX_OVERFLOW"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    if app.config.get("AUTO_MIGRATE"):
        upgrade(app.config["DATABASE_URL"])

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_session() -> Session:
    """The request's database session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session
