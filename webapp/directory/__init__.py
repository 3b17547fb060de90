"""Référentiel commun: communes, partner structures, social-work sectors (pages and API).

`get_directory()` is what other areas use (triage engine, bot actions): the
files are read and validated once per content directory; for an app, the
structures' own edits in the database are laid over them (see store.py).
"""
from __future__ import annotations

import functools
import itertools
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


def directory_snapshot(app=None) -> tuple[Directory | None, str]:
    """The directory as this request serves it, and a version for the caches of what quotes it.

    The version is "files" while the files alone are served, "edit-<id>" after
    staff edits (the id of the last change, the same in every worker) and
    "none" for an app without directory files (some tests). It costs what
    `get_directory` costs: one indexed query per request, then nothing.
    """
    app = app if app is not None else current_app._get_current_object()
    try:
        directory = get_directory(app)
    except FileNotFoundError:
        return None, "none"
    live = app.extensions["directory"]
    if directory is live.base:
        return directory, "files"
    version = live.version_of(directory)
    if version is not None:
        return directory, f"edit-{version}"
    # An edit landed since this request read the directory: its version is no
    # longer known, so give a key that no cache will ever hold again.
    return directory, f"passing-{next(_passing)}"


_passing = itertools.count()

# The line the site's pages and e-mails give for "call someone now" (done page,
# empty search, the household's confirmation e-mail).
POINT_JUSTICE = "point-justice-3039"
# Structures whose `referral` text sends households to the point-justice while
# they have no number of their own: the text names the point-justice, never
# its number, and the directory pages that print the text add the number as
# the directory holds it now (`point_justice_meanwhile`).
POINT_JUSTICE_MEANWHILE = frozenset({"cdad-90"})


def line_of(directory: Directory, structure_id: str, lang: str) -> dict | None:
    """How to call one structure as the directory holds it now; None when it has no number.

    name, phone (as printed), phone_uri, free_call (only the entry's sourced
    fact: a number staff changed is not said to be free) and note (opening hours).
    """
    s = directory.structure(structure_id)
    phone = s.contact("phone") if s is not None else None
    if phone is None:
        return None
    hours = s.contact("opening_hours")
    return {
        "name": s.text("name", lang),
        "phone": phone.text(lang),
        "phone_uri": s.phone_uri,
        "free_call": s.is_free_call,
        "note": hours.text(lang) if hours else None,
    }


def national_line(app, structure_id: str, lang: str) -> dict | None:
    """`line_of` for an app's directory; None too when the app has no directory (some tests)."""
    try:
        directory = get_directory(app)
    except FileNotFoundError:
        return None
    return line_of(directory, structure_id, lang)


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
        line = line_of(directory, structure_id, lang)
        if line is None or not line["free_call"]:
            continue
        numbers.append({"name": line["name"], "phone": line["phone"],
                        "tel": line["phone_uri"].removeprefix("tel:"), "note": line["note"]})
    return numbers


@bp.app_template_global()
def point_justice_meanwhile(structure, lang: str) -> dict | None:
    """For a structure in POINT_JUSTICE_MEANWHILE without a phone: {"line": the point-justice's
    `line_of`, None when it has no number either}; None for any other structure.

    `structure` is a Structure or its `public_dict` (what the landlord plan holds).
    """
    if isinstance(structure, dict):
        structure_id, has_phone = structure.get("id"), bool(structure.get("phone"))
    else:
        structure_id, has_phone = structure.id, structure.contact("phone") is not None
    if structure_id not in POINT_JUSTICE_MEANWHILE or has_phone:
        return None
    return {"line": national_line(current_app, POINT_JUSTICE, lang)}


@bp.record_once
def _register(state) -> None:
    app = state.app
    app.extensions.setdefault("national_numbers", lambda lang: national_numbers(app, lang))


from . import api, cli, editing, views  # noqa: E402,F401  (routes and commands attach to bp)
