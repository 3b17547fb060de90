"""Builders shared by the tests, so each test states only what matters to it."""
from __future__ import annotations

from webapp import create_app


def make_test_app(tmp_path, **overrides):
    """A testing app whose database and search index live in tmp_path."""
    config = {
        "TESTING": True,
        "RCS_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
        # Forms are posted directly by most tests; CSRF has its own tests.
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)
