"""The app instance the browser tests serve: real factory, throwaway database and index."""
from __future__ import annotations

import tempfile
from pathlib import Path

DATA_DIR = Path(tempfile.mkdtemp(prefix="rcs-browser-"))
_APP = None


def browser_app():
    """The one app instance the live server serves and the page collection inspects."""
    global _APP
    if _APP is None:
        from webapp import create_app

        _APP = create_app(
            {
                # Not TESTING: the browser must see the real error pages, as a visitor would.
                "RCS_ENV": "testing",
                "SECRET_KEY": "browser-tests-only",
                "DATABASE_URL": f"sqlite:///{DATA_DIR / 'browser.sqlite3'}",
                "SEARCH_INDEX_PATH": str(DATA_DIR / "search.sqlite3"),
            }
        )
    return _APP
