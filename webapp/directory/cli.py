"""`flask directory check` validates the référentiel files; `flask directory import` seeds the database.

The app reads the files at start-up and lays the structures' own edits (kept
in the database) over them; `import` records the files' values there, and is
safe to run at every deployment: it never overwrites a field staff edited.
"""
from __future__ import annotations

import click
from flask import current_app

from . import bp
from .model import Directory, DirectoryError


def _load_files_or_exit() -> Directory:
    """The directory files, validated; every problem printed and exit 1 if any."""
    content_dir = current_app.config.get("DIRECTORY_CONTENT_DIR") or current_app.config["CONTENT_DIR"]
    try:
        return Directory.load(content_dir)
    except DirectoryError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1)


@bp.cli.command("check")
def check_command():
    """Load and validate communes, structures and sectors; exit 1 on any problem."""
    directory = _load_files_or_exit()
    structures = directory.structures()
    unverified = [s.id for s in structures if not s.has_contact]
    click.echo(f"{len(directory.communes())} communes, {len(structures)} structures, "
               f"sectors provisional={directory.sectors.provisional} (derived {directory.sectors.derived_on})")
    click.echo(f"{len(unverified)} structures without any verified contact: {', '.join(unverified)}")


@bp.cli.command("import")
def import_command():
    """Write the structures of the files into the database (idempotent; staff edits are kept)."""
    from webapp.db import get_session

    from .store import import_structures

    directory = _load_files_or_exit()
    report = import_structures(get_session(), directory)
    click.echo(f"{report.structures_added} structures added, {report.fields_added} fields added, "
               f"{report.fields_updated} fields updated from the files, "
               f"{report.staff_fields_kept} fields kept as edited by staff")
