"""Shared fixtures: a real app on a real SQLite file per test, its client and CLI runner."""
from __future__ import annotations

import pytest

from tests.helpers import make_test_app


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
