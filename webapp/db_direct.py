"""A few autocommit psycopg connections of each process's own, for the one-statement work of every request.

The session store runs twice on every request, and the chat sends one
request per message; a chat page load also takes the next Rasa process in
turn and checks the directory's version. Through SQLAlchemy each statement
went through an execution context and a result proxy; through the engine's
pool each checkout and check-in went through the pool's events, its reset (a
rollback call) and an autocommit switch and back; through the ORM, a unit of
work and a commit. In the profile that was most of their CPU, for one-row
statements. So these statements run here: a few connections opened with the
engine's connect arguments and left in autocommit, one statement, no more.

These connections do not wait for the disk on commit (synchronous_commit
off, for them only): what they write is a convenience that can be rebuilt (a
browser's session, whose turn it is), and after a server crash at worst the
last fraction of a second of it is lost, never its consistency. On the bench
machine the wait was half of each session write: 0.41 ms median, 0.19 ms
without it. Anything a person relies on (a referral, a directory edit) goes
through the engine and its durable transactions, never through here.

On the embedded SQLite the same class keeps a few sqlite3 connections in
autocommit mode: the directory's version is asked on every content page, and
opening the file through SQLAlchemy for it tripled the CPU of a cached page
(0.57 to 1.98 ms, bench/cpu_per_request.py). `direct_connections` answers
None for any other database, and for an in-memory SQLite (each connection
would be a database of its own); callers then use SQLAlchemy as before.
Statements written for both must be plain SQL without parameters, or keep to
one engine (the session store writes psycopg's `%(name)s` on PostgreSQL only).
"""
from __future__ import annotations

import queue
import threading
import time

from flask import Flask

from webapp import db as _db

# Named so that an operator sees them apart in pg_stat_activity.
APPLICATION_NAME = "rester-chez-soi autocommit"
# A request waits this long for a free connection, as the engine's pool does.
CHECKOUT_TIMEOUT_S = 30.0


class DirectConnections:
    """At most `size` autocommit connections, most recently used first."""

    def __init__(self, engine, size: int):
        self.engine = engine
        self.errors = engine.dialect.loaded_dbapi.Error
        # None is a free place not yet connected.
        self._free: queue.LifoQueue = queue.LifoQueue()
        for _ in range(max(1, size)):
            self._free.put(None)

    def _connect(self):
        dialect = self.engine.dialect
        cargs, cparams = dialect.create_connect_args(self.engine.url)
        if dialect.name == "sqlite":
            # The engine's own arguments (a 15 s lock wait, not sqlite3's 5 s).
            connection = dialect.loaded_dbapi.connect(*cargs, **{**cparams, **_db.SQLITE_CONNECT_ARGS})
            # sqlite3's autocommit: no implicit BEGIN before a write.
            connection.isolation_level = None
            return connection
        cparams.setdefault("application_name", APPLICATION_NAME)
        connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        connection.autocommit = True
        connection.execute("SET synchronous_commit = off")
        return connection

    def _alive(self, connection) -> bool:
        try:
            connection.execute("SELECT 1")
            return True
        except self.errors:
            return False

    def checkout(self):
        try:
            entry = self._free.get(timeout=CHECKOUT_TIMEOUT_S)
        except queue.Empty:
            raise RuntimeError("no free autocommit connection") from None
        try:
            if entry is not None:
                connection, returned_at = entry
                # Same rule as the engine's pool (webapp/db.py): a connection
                # that slept may have been cut; one just used is not pinged.
                idle = time.monotonic() - returned_at
                # (sqlite3 connections have no `closed`: a file is never cut.)
                closed = getattr(connection, "closed", False)
                if not closed and (idle < _db.IDLE_PING_SECONDS or self._alive(connection)):
                    return connection
                connection.close()
            return self._connect()
        except BaseException:
            self._free.put(None)
            raise

    def give_back(self, connection) -> None:
        self._free.put((connection, time.monotonic()))

    def run(self, work):
        """`work(connection)`'s result; its statements commit one by one."""
        connection = self.checkout()
        try:
            result = work(connection)
        except self.engine.dialect.loaded_dbapi.OperationalError:
            # A cut connection must not be used again.
            connection.close()
            self._free.put(None)
            raise
        except BaseException:
            self.give_back(connection)
            raise
        self.give_back(connection)
        return result

    def scalar(self, sql: str, params: dict | None = None):
        """The first column of the first row, or None."""
        def work(connection):
            row = (connection.execute(sql) if params is None else connection.execute(sql, params)).fetchone()
            return row[0] if row is not None else None
        return self.run(work)


_CREATING = threading.Lock()


def direct_connections(app: Flask) -> DirectConnections | None:
    """This app's autocommit connections on PostgreSQL with psycopg; None on any other database."""
    found = app.extensions.get("db_direct", False)
    if found is not False:
        return found
    # Made on first use (tests set DB_POOL_SIZE after create_app), once:
    # two first requests at once must not open two sets.
    with _CREATING:
        found = app.extensions.get("db_direct", False)
        if found is not False:
            return found
        engine = app.extensions.get("db_engine")
        found = app.extensions["db_direct"] = (
            DirectConnections(engine, app.config["DB_POOL_SIZE"]) if _suitable(engine) else None)
    return found


def _suitable(engine) -> bool:
    if engine is None:
        return False
    if engine.dialect.name == "postgresql":
        return engine.dialect.driver == "psycopg"
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        return bool(database) and database != ":memory:" and not database.startswith("file::memory:")
    return False
