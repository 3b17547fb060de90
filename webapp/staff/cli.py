"""`flask staff add EMAIL --structure ID [--admin]`, `flask staff list`, `flask staff disable EMAIL`,
`flask staff set-password EMAIL [--temporary]`, `flask staff mailbox STRUCTURE EMAIL`,
`flask staff audit [--reference REF] [--email EMAIL]`."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.directory import get_directory
from webapp.referrals.models import StructureMailbox
from webapp.staff import audit
from webapp.staff.accounts import AccountError, add_account, disable_account, find_account, set_password
from webapp.staff.models import StaffUser

staff_cli = AppGroup("staff", help="Back-office accounts.")


def _known_structures() -> set[str]:
    return {s.id for s in get_directory(current_app).structures()}


def _read_password() -> str:
    # Piped in (scripts, tests): first line of stdin; at a terminal: prompted twice, hidden.
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@staff_cli.command("add")
@click.argument("email")
@click.option("--structure", "structure_id", required=True, help="Directory id, e.g. cdad-90.")
@click.option("--admin", is_flag=True, help="May manage accounts.")
def add_command(email, structure_id, admin):
    """Create an account; the password is read from standard input or prompted."""
    password = _read_password()
    with current_app.extensions["db_sessionmaker"]() as db:
        try:
            user = add_account(db, email, structure_id, password, is_admin=admin,
                               known_structures=_known_structures())
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        db.commit()
        click.echo(f"created {user.email} ({user.structure_id}{', admin' if admin else ''})")


@staff_cli.command("list")
def list_command():
    """List accounts: address, structure, admin, active."""
    with current_app.extensions["db_sessionmaker"]() as db:
        for user in db.scalars(select(StaffUser).order_by(StaffUser.structure_id, StaffUser.email)):
            flags = ",".join(f for f, on in (("admin", user.is_admin), ("disabled", not user.active)) if on)
            click.echo(f"{user.email}\t{user.structure_id}\t{flags or '-'}")


@staff_cli.command("disable")
@click.argument("email")
def disable_command(email):
    """Disable an account (kept for the audit log; it can no longer log in)."""
    with current_app.extensions["db_sessionmaker"]() as db:
        try:
            user = disable_account(db, email)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        db.commit()
        click.echo(f"disabled {user.email}")


@staff_cli.command("set-password")
@click.argument("email")
@click.option("--temporary", is_flag=True, help="Make its owner choose a new one at the next sign-in.")
def set_password_command(email, temporary):
    """Set an account's password (read from standard input or prompted); its open sessions end.

    For the operator when no administrator can sign in to reset it from /staff/comptes.
    """
    with current_app.extensions["db_sessionmaker"]() as db:
        try:
            user = find_account(db, email)
        except AccountError as exc:
            raise click.ClickException(f"{exc}: {email}") from exc
        password = _read_password()
        try:
            set_password(db, user, password, must_change=temporary)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        # No staff member did it: the entry says it came from the command line.
        audit.record(db, "password_set", detail=f"{user.email} (cli{', temporary' if temporary else ''})")
        db.commit()
        click.echo(f"password set for {user.email}{' (to change at next sign-in)' if temporary else ''}")


@staff_cli.command("mailbox")
@click.argument("structure_id")
@click.argument("email")
def mailbox_command(structure_id, email):
    """Set the address that receives a structure's referral notices (default: its staff's addresses)."""
    if structure_id not in _known_structures():
        raise click.ClickException(f"unknown structure {structure_id!r}")
    with current_app.extensions["db_sessionmaker"]() as db:
        box = db.get(StructureMailbox, structure_id) or StructureMailbox(structure_id=structure_id)
        box.email = email.strip().lower()
        box.active = True
        db.add(box)
        db.commit()
        click.echo(f"{structure_id} notices go to {box.email}")


@staff_cli.command("audit")
@click.option("--reference", help="Only entries about this case reference.")
@click.option("--email", help="Only entries by this staff member.")
@click.option("--limit", default=200, show_default=True)
def audit_command(reference, email, limit):
    """Show the audit log, newest first (who read or changed what, and when)."""
    from webapp.referrals.reference import normalise
    from webapp.staff.models import AuditEntry

    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if reference:
        query = query.where(AuditEntry.reference == normalise(reference))
    if email:
        query = query.where(AuditEntry.staff_email == email.strip().lower())
    with current_app.extensions["db_sessionmaker"]() as db:
        for entry in db.scalars(query):
            click.echo("\t".join([entry.at.strftime("%Y-%m-%d %H:%M:%S"), entry.staff_email or "-", entry.action,
                                   entry.reference or "-", entry.detail or ""]))


def register(bp) -> None:
    @bp.record_once
    def _add(state) -> None:
        state.app.cli.add_command(staff_cli)
