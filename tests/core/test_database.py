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
    assert isinstance(_store(app), _PsycopgStore)
    # The pooled connections go back in their normal, transactional mode.
    with app.extensions["db_engine"].connect() as conn:
        assert conn.connection.driver_connection.autocommit is False


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
