"""`flask directory check`: validate the référentiel files and summarise them.

The structures are read from the files at start-up (no database copy yet), so
re-importing after an edit means restarting the app; this command lets an
editor check the files first.
"""
from __future__ import annotations

import click
from flask import current_app

from . import bp
from .model import Directory, DirectoryError


@bp.cli.command("check")
def check_command():
    """Load and validate communes, structures and sectors; exit 1 on any problem."""
    content_dir = current_app.config.get("DIRECTORY_CONTENT_DIR") or current_app.config["CONTENT_DIR"]
    try:
        directory = Directory.load(content_dir)
    except DirectoryError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1)
    structures = directory.structures()
    unverified = [s.id for s in structures if not s.has_contact]
    click.echo(f"{len(directory.communes())} communes, {len(structures)} structures, "
               f"sectors provisional={directory.sectors.provisional} (derived {directory.sectors.derived_on})")
    click.echo(f"{len(unverified)} structures without any verified contact: {', '.join(unverified)}")
