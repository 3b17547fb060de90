"""Content area: the rights-and-duties pages, their index and search."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app

from webapp.content.pages import ContentIndex, content_fingerprint

bp = Blueprint("content", __name__)


def get_content() -> ContentIndex:
    """The app's parsed pages; re-read when a file changed (cheap stat walk)."""
    app = current_app
    root = Path(app.config["CONTENT_DIR"])
    languages = tuple(app.config["LANGUAGES"])
    cached: ContentIndex | None = app.extensions.get("content_index")
    # In production the files do not change under a running server: skip the walk.
    if cached is not None and (app.config["RCS_ENV"] == "production"
                               or cached.fingerprint == content_fingerprint(root, languages)):
        return cached
    cached = ContentIndex(root, languages)
    app.extensions["content_index"] = cached
    return cached


from webapp.content import views, cli  # noqa: E402,F401  (routes and commands on bp)
