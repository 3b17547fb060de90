"""Migrations and server-side sessions on SQLite and on PostgreSQL."""
import pytest
import sqlalchemy as sa

from tests.helpers import make_test_app
from webapp.sessions import COOKIE_NAME, WebSession


def test_migrations_create_the_schema(database_url, tmp_path):
    app = make_test_app(tmp_path, DATABASE_URL=database_url)
    inspector = sa.inspect(app.extensions["db_engine"])
    assert "web_session" in inspector.get_table_names()
    assert "alembic_version" in inspector.get_table_names()


def _remember_app(database_url, tmp_path):
    app = make_test_app(tmp_path, DATABASE_URL=database_url)

    @app.route("/remember/<value>")
    def remember(value):
        from flask import session
        session["answer"] = value
        return "ok"

    @app.route("/recall")
    def recall():
        from flask import session
        return session.get("answer", "nothing")

    return app


def test_session_data_stays_on_the_server(database_url, tmp_path):
    """The cookie carries only an opaque id; the answers are in the database."""
    app = _remember_app(database_url, tmp_path)
    client = app.test_client()
    client.get("/remember/commandement-du-3-octobre")
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie is not None and "commandement" not in cookie.value
    assert client.get("/recall").get_data(as_text=True) == "commandement-du-3-octobre"
    with app.extensions["db_sessionmaker"]() as db:
        row = db.get(WebSession, cookie.value)
        assert "commandement-du-3-octobre" in row.data
    # Another browser does not see it.
    assert app.test_client().get("/recall").get_data(as_text=True) == "nothing"


def test_forged_session_id_gets_an_empty_session(client):
    client.set_cookie(COOKIE_NAME, "forged-id")
    assert client.get("/").status_code == 200


def test_purge_command_removes_expired_sessions(tmp_path):
    app = make_test_app(tmp_path, SESSION_LIFETIME_MINUTES=-1)

    @app.route("/touch")
    def touch():
        from flask import session
        session["x"] = 1
        return "ok"

    app.test_client().get("/touch")
    result = app.test_cli_runner().invoke(args=["sessions", "purge"])
    assert "purged 1 expired sessions" in result.output


def _killed_backend_engine(postgres_url, tmp_path):
    """An app's engine whose one pooled connection the server has just cut."""
    from tests.postgres import fresh_database

    if postgres_url is None:
        pytest.skip("PostgreSQL is not installed here")
    url = fresh_database(postgres_url)
    engine = make_test_app(tmp_path, DATABASE_URL=url).extensions["db_engine"]
    with engine.connect() as conn:
        pid = conn.exec_driver_sql("select pg_backend_pid()").scalar()
    killer = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with killer.connect() as conn:
        assert conn.exec_driver_sql(f"select pg_terminate_backend({pid})").scalar()
    killer.dispose()
    return engine


def test_connection_idle_in_the_pool_is_checked_and_replaced(postgres_url, tmp_path, monkeypatch):
    """A connection that slept in the pool is pinged: a dead one is swapped silently."""
    from webapp import db

    engine = _killed_backend_engine(postgres_url, tmp_path)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select 1").scalar() == 1


def test_connection_just_returned_is_not_pinged(postgres_url, tmp_path, monkeypatch):
    """No round trip for a connection back in the pool a moment ago (the hot path)."""
    engine = _killed_backend_engine(postgres_url, tmp_path)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    # Not pinged, so the cut shows once; SQLAlchemy then renews the pool.
    with pytest.raises(sa.exc.OperationalError) as error:
        with engine.connect() as conn:
            conn.exec_driver_sql("select 1")
    assert error.value.connection_invalidated
    for _ in range(3):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("select 1").scalar() == 1
    assert pings == []



def test_postgres_sessions_go_straight_through_psycopg(postgres_url, tmp_path):
    from tests.postgres import fresh_database
    from webapp.sessions import _PsycopgStore, _store

    if postgres_url is None:
        pytest.skip("PostgreSQL is not installed here")
    app = _remember_app(fresh_database(postgres_url), tmp_path)
    client = app.test_client()
    for value in ("un", "deux", "trois"):  # an insert, then updates
        client.get(f"/remember/{value}")
        assert client.get("/recall").get_data(as_text=True) == value
    store = _store(app)
    assert isinstance(store, _PsycopgStore)
    # The store's own connection: autocommit, no wait for the disk on commit.
    connection = store.connections.checkout()
    try:
        assert connection.autocommit is True
        assert connection.execute("show synchronous_commit").fetchone()[0] == "off"
    finally:
        store.connections.give_back(connection)
    # The engine's connections keep their normal, transactional and durable mode.
    with app.extensions["db_engine"].connect() as conn:
        assert conn.connection.driver_connection.autocommit is False
        assert conn.exec_driver_sql("show synchronous_commit").scalar() == "on"


def _store_connections(url) -> int:
    from webapp.db_direct import APPLICATION_NAME

    counter = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with counter.connect() as conn:
        found = conn.execute(sa.text("select count(*) from pg_stat_activity where datname = current_database() "
                                     "and application_name = :name"),
                             {"name": APPLICATION_NAME}).scalar()
    counter.dispose()
    return found


def test_session_connections_are_bounded_and_reused(postgres_url, tmp_path):
    """Eight browsers at once share DB_POOL_SIZE connections; nothing is mixed up."""
    import threading

    from tests.postgres import fresh_database

    if postgres_url is None:
        pytest.skip("PostgreSQL is not installed here")
    url = fresh_database(postgres_url)
    app = _remember_app(url, tmp_path)
    app.config["DB_POOL_SIZE"] = 2
    wrong = []

    def browse(number):
        client = app.test_client()
        for turn in range(10):
            client.get(f"/remember/{number}-{turn}")
            if client.get("/recall").get_data(as_text=True) != f"{number}-{turn}":
                wrong.append((number, turn))

    threads = [threading.Thread(target=browse, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert 1 <= _store_connections(url) <= 2


def test_idle_session_connection_is_checked_and_replaced(postgres_url, tmp_path, monkeypatch):
    """A session connection that slept is pinged: a cut one is replaced and the request succeeds."""
    from tests.postgres import fresh_database
    from webapp import db

    if postgres_url is None:
        pytest.skip("PostgreSQL is not installed here")
    url = fresh_database(postgres_url)
    app = _remember_app(url, tmp_path)
    client = app.test_client()
    client.get("/remember/gardé")
    killer = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with killer.connect() as conn:
        assert conn.execute(sa.text("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity "
                                    "where datname = current_database() and application_name = :name) as cut"),
                            {"name": "rester-chez-soi autocommit"}).scalar() == 1
    killer.dispose()
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    assert client.get("/recall").get_data(as_text=True) == "gardé"


def test_a_session_connection_cut_by_the_server_is_dropped(postgres_url, tmp_path):
    """At most the request that meets the cut fails; the next ones reconnect, nothing is lost."""
    from tests.postgres import fresh_database

    if postgres_url is None:
        pytest.skip("PostgreSQL is not installed here")
    url = fresh_database(postgres_url)
    app = _remember_app(url, tmp_path)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    client.get("/remember/gardé")
    killer = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with killer.connect() as conn:
        conn.exec_driver_sql("select pg_terminate_backend(pid) from pg_stat_activity "
                             "where datname = current_database() and pid <> pg_backend_pid()")
    killer.dispose()
    statuses = [client.get("/recall").status_code for _ in range(3)]
    assert statuses[1:] == [200, 200] and statuses[0] in (200, 500)
    assert client.get("/recall").get_data(as_text=True) == "gardé"


def _set_cookie_headers(response) -> list[str]:
    return [value for value in response.headers.getlist("Set-Cookie") if value.startswith(COOKIE_NAME + "=")]


def _row_expiry(app, sid):
    with app.extensions["db_sessionmaker"]() as db:
        expires = db.get(WebSession, sid).expires_at
    return expires.replace(tzinfo=None, microsecond=0)


def test_session_expiry_slides_by_steps_with_the_cookie(database_url, tmp_path, monkeypatch):
    """A change a minute later sends no new cookie; once the cookie has aged a
    step, the next change sends it again, and row and cookie expire together."""
    from datetime import datetime, timedelta, timezone

    from webapp import sessions

    clock = [datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)]
    monkeypatch.setattr(sessions, "_now", lambda: clock[0])
    app = _remember_app(database_url, tmp_path)
    client = app.test_client()
    first = client.get("/remember/un")
    assert len(_set_cookie_headers(first)) == 1
    sid = client.get_cookie(COOKIE_NAME).value
    cookie_expiry = client.get_cookie(COOKIE_NAME).expires.replace(tzinfo=None)
    assert _row_expiry(app, sid) == cookie_expiry == datetime(2026, 11, 23, 11, 0)

    clock[0] += timedelta(minutes=1)
    second = client.get("/remember/deux")
    assert _set_cookie_headers(second) == []
    assert "Cookie" in second.headers.get("Vary", "")
    assert _row_expiry(app, sid) == cookie_expiry
    assert client.get("/recall").get_data(as_text=True) == "deux"

    clock[0] += sessions.EXPIRY_STEP
    third = client.get("/remember/trois")
    assert len(_set_cookie_headers(third)) == 1
    renewed = client.get_cookie(COOKIE_NAME).expires.replace(tzinfo=None)
    assert renewed == _row_expiry(app, sid) == datetime(2026, 11, 23, 11, 6)


def test_a_renewed_session_id_is_sent_at_once(database_url, tmp_path):
    """Staff sign-in renews the id (webapp/staff/auth.py): the new cookie goes out
    even though the old one is only seconds old."""
    app = _remember_app(database_url, tmp_path)

    @app.route("/renew")
    def renew():
        from flask import session
        session.sid = None
        session["answer"] = "renouvelé"
        return "ok"

    client = app.test_client()
    client.get("/remember/avant")
    old = client.get_cookie(COOKIE_NAME).value
    assert len(_set_cookie_headers(client.get("/renew"))) == 1
    new = client.get_cookie(COOKIE_NAME).value
    assert new != old
    assert client.get("/recall").get_data(as_text=True) == "renouvelé"
    assert _row_expiry(app, new) == client.get_cookie(COOKIE_NAME).expires.replace(tzinfo=None)


def test_a_stored_session_adds_cookie_to_vary_once(tmp_path):
    app = _remember_app(f"sqlite:///{tmp_path / 'vary.sqlite3'}", tmp_path)

    @app.route("/varied/<value>")
    def varied(value):
        from flask import make_response, session
        session["answer"] = value
        response = make_response("ok")
        response.headers["Vary"] = {"langue": "Accept-Language", "deja": "accept-language, cookie",
                                    "proche": "X-Cookie-Consent"}[value]
        return response

    client = app.test_client()
    # (Every HTML page also varies on the language's sources, security.py.)
    assert client.get("/remember/un").headers["Vary"] == "Accept-Language, Cookie"
    assert client.get("/varied/langue").headers["Vary"] == "Accept-Language, Cookie"
    assert client.get("/varied/deja").headers["Vary"] == "accept-language, cookie"
    assert client.get("/varied/proche").headers["Vary"] == "X-Cookie-Consent, Accept-Language, Cookie"


def test_sqlite_kept_connections_wait_for_locks_and_move_between_threads(tmp_path):
    """The directory's version and the chat's turn use kept sqlite3 connections: they wait
    for a lock as long as the engine's (15 s) and serve any gunicorn thread."""
    import threading

    from webapp.db_direct import direct_connections

    app = _remember_app(f"sqlite:///{tmp_path / 'kept.sqlite3'}", tmp_path)
    direct = direct_connections(app)
    connection = direct.checkout()
    try:
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 15000
    finally:
        direct.give_back(connection)
    answers = []
    thread = threading.Thread(target=lambda: answers.append(direct.scalar("select 1")))
    thread.start()
    thread.join()
    assert answers == [1]


def test_no_kept_connections_for_an_in_memory_database(tmp_path):
    from webapp.db_direct import direct_connections

    assert direct_connections(_remember_app("sqlite:///:memory:", tmp_path)) is None


_UPGRADE = "import sys; from webapp.db import upgrade; upgrade(sys.argv[1])"


def test_processes_migrating_a_fresh_database_at_once_all_succeed(tmp_path):
    """Each gunicorn worker migrates as it starts (AUTO_MIGRATE): two creating
    the same tables failed one worker's boot, 1 start in 4."""
    import subprocess
    import sys

    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    processes = [subprocess.Popen([sys.executable, "-c", _UPGRADE, url], stderr=subprocess.PIPE, text=True)
                 for _ in range(8)]
    failures = [err for process in processes for err in [process.communicate(timeout=120)[1]]
                if process.returncode != 0]
    assert failures == []
    engine = sa.create_engine(url)
    assert "web_session" in sa.inspect(engine).get_table_names()
    engine.dispose()
    # One lock file for every database, not one left behind per test database.
    import os
    import tempfile
    from pathlib import Path

    assert [p.name for p in Path(tempfile.gettempdir()).glob("rester-chez-soi-migrate-*")] == [
        f"rester-chez-soi-migrate-{os.getuid()}.lock"]
