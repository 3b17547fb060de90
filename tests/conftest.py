"""Shared fixtures: a real app on a real SQLite file per test, its client and CLI runner."""
from __future__ import annotations

import pytest

from tests.helpers import make_test_app
from tests.postgres import fresh_database, postgres_server


@pytest.fixture
def app(tmp_path):
    return make_test_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def en_client(app):
    """A client whose browser asks for English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    return client


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for the whole run, or None when none can be started."""
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """Runs a test once on SQLite and once on PostgreSQL (skipped if unavailable)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'param.sqlite3'}"
    server = request.getfixturevalue("postgres_url")
    if server is None:
        pytest.skip("PostgreSQL is not installed here")
    return fresh_database(server)
