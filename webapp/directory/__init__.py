"""Référentiel commun: communes, partner structures, social-work sectors (pages and API).

`get_directory()` is what other areas use (triage engine, bot actions): the
files are read and validated once per content directory; for an app, the
structures' own edits in the database are laid over them (see store.py).
"""
from __future__ import annotations

import functools
import pathlib
from typing import Any

from flask import Blueprint, current_app

from .model import Commune, Directory, DirectoryError, Structure  # noqa: F401 (public API)

bp = Blueprint("directory", __name__)

# The national numbers, in the order the "find my contacts" page lists them.
# Every page footer ("Numéros gratuits") lists those whose entry says they are
# a free call (`free_call` in content/structures/), in the same order.
NATIONAL_HELPLINES = ("allo-prevention-expulsion", "sos-loyers-impayes", "point-justice-3039",
                      "banque-de-france-3414")


@functools.lru_cache(maxsize=8)
def _load(content_dir: str) -> Directory:
    return Directory.load(pathlib.Path(content_dir))


def get_directory(source: Any = None) -> Directory:
    """The directory for a Flask app (default: the current one) or a content directory path.

    A path gives the files alone (pure tests, the bench); an app gives the files
    with the staff's edits, as they stand in the database at this request.
    """
    if source is None:
        source = current_app._get_current_object()
    if isinstance(source, (str, pathlib.Path)):
        return _load(str(pathlib.Path(source).resolve()))
    live = source.extensions.get("directory")
    if live is None:
        # Imported here: the store's models import the referral package, which imports this one.
        from .store import LiveDirectory

        content_dir = source.config.get("DIRECTORY_CONTENT_DIR") or source.config["CONTENT_DIR"]
        live = LiveDirectory(_load(str(pathlib.Path(content_dir).resolve())))
        source.extensions["directory"] = live
    return live.get(source)


def national_numbers(app, lang: str) -> list[dict]:
    """Footer helplines (name, phone, tel, note): the national lines the directory says are free calls."""
    try:
        directory = get_directory(app)
    except FileNotFoundError:
        # An app pointed at a content tree without the directory (some tests)
        # still renders its pages; the numbers simply are not printed.
        return []
    numbers = []
    for structure_id in NATIONAL_HELPLINES:
        s = directory.structure(structure_id)
        if s is None or not s.is_free_call:
            continue
        phone = s.contact("phone")
        hours = s.contact("opening_hours")
        numbers.append({
            "name": s.text("name", lang),
            "phone": phone.text(lang),
            "tel": s.phone_uri.removeprefix("tel:"),
            "note": hours.text(lang) if hours else None,
        })
    return numbers


@bp.record_once
def _register(state) -> None:
    app = state.app
    app.extensions.setdefault("national_numbers", lambda lang: national_numbers(app, lang))


from . import api, cli, editing, views  # noqa: E402,F401  (routes and commands attach to bp)
