"""CLI: `flask outbox send`, `flask referrals remind`, `flask retention …` (all safe from cron)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from webapp.referrals import outbox, reminders, retention

outbox_cli = AppGroup("outbox", help="Outgoing e-mail queue.")
referrals_cli = AppGroup("referrals", help="Household referrals.")
retention_cli = AppGroup("retention", help="Data retention rules (run daily from cron).")


def _maker():
    return current_app.extensions["db_sessionmaker"]


@outbox_cli.command("send")
@click.option("--retry-now", is_flag=True, help="Ignore the waiting delay between attempts.")
@click.option("--retry-failed", is_flag=True, help="Requeue messages that reached the attempt limit first.")
def send_command(retry_now, retry_failed):
    """Send queued e-mails; failures stay queued and are retried later."""
    if retry_failed:
        click.echo(f"requeued {outbox.retry_failed(_maker())} failed messages")
    counts = outbox.send_pending(_maker(), current_app.config, retry_now=retry_now)
    click.echo("sent {sent}, failed {failed}, skipped {skipped}".format(**counts))


@referrals_cli.command("remind")
def remind_command():
    """Queue a reminder for each referral still "nouvelle" past REFERRAL_REMINDER_HOURS."""
    count = reminders.queue_reminders(_maker(), current_app.config["REFERRAL_REMINDER_HOURS"],
                                      current_app.config["PUBLIC_BASE_URL"])
    click.echo(f"queued {count} reminders")


@retention_cli.command("anonymise")
def anonymise_command():
    """Anonymise cases closed or refused more than RETENTION_CLOSED_MONTHS ago."""
    count = retention.anonymise_closed(_maker(), current_app.config["RETENTION_CLOSED_MONTHS"])
    click.echo(f"anonymised {count} cases")


@retention_cli.command("drafts")
def drafts_command():
    """Delete referrals never confirmed after DRAFT_RETENTION_HOURS."""
    count = retention.delete_drafts(_maker(), current_app.config["DRAFT_RETENTION_HOURS"])
    click.echo(f"deleted {count} unconfirmed drafts")


@retention_cli.command("audit")
def audit_command():
    """Delete audit-log entries older than AUDIT_RETENTION_MONTHS."""
    count = retention.purge_audit(_maker(), current_app.config["AUDIT_RETENTION_MONTHS"])
    click.echo(f"deleted {count} audit entries")


@retention_cli.command("outbox")
def outbox_purge_command():
    """Delete sent e-mails older than OUTBOX_RETENTION_DAYS, and failed ones written that long ago."""
    count = retention.purge_outbox(_maker(), current_app.config["OUTBOX_RETENTION_DAYS"])
    click.echo(f"deleted {count} sent or failed e-mails")


@retention_cli.command("all")
@click.pass_context
@with_appcontext
def all_command(ctx):
    """Run every retention rule (other areas add theirs to this group: webapp/chat/cli.py)."""
    for _name, command in sorted(retention_cli.commands.items()):
        if command is not ctx.command:
            ctx.invoke(command)


def register(bp) -> None:
    @bp.record_once
    def _add(state) -> None:
        for group in (outbox_cli, referrals_cli, retention_cli):
            state.app.cli.add_command(group)
