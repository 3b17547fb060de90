"""Migrations and server-side sessions on SQLite and on PostgreSQL."""
import sqlalchemy as sa

from tests.helpers import make_test_app
from webapp.sessions import COOKIE_NAME, WebSession


def test_migrations_create_the_schema(database_url, tmp_path):
    app = make_test_app(tmp_path, DATABASE_URL=database_url)
    inspector = sa.inspect(app.extensions["db_engine"])
    assert "web_session" in inspector.get_table_names()
    assert "alembic_version" in inspector.get_table_names()


def test_session_data_stays_on_the_server(database_url, tmp_path):
    """The cookie carries only an opaque id; the answers are in the database."""
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
