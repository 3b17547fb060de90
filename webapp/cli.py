"""App-wide CLI commands: `flask db upgrade`, `flask sessions purge`."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from webapp import db
from webapp.sessions import purge_expired

db_cli = AppGroup("db", help="Database schema.")
sessions_cli = AppGroup("sessions", help="Server-side sessions.")


@db_cli.command("upgrade")
def upgrade_command():
    """Create or migrate the database to the latest schema."""
    db.upgrade(current_app.config["DATABASE_URL"])
    click.echo("database at head")


@sessions_cli.command("purge")
def purge_command():
    """Delete expired sessions (safe to run from cron)."""
    count = purge_expired(current_app.extensions["db_sessionmaker"])
    click.echo(f"purged {count} expired sessions")


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(sessions_cli)
