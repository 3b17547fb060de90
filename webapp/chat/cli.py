"""CLI: `flask retention conversations` (safe from cron), in the app's retention group."""
from __future__ import annotations

import click
from flask import current_app

from webapp.chat.retention import purge_conversations
from webapp.referrals.cli import retention_cli


@retention_cli.command("conversations")
def conversations_command():
    """Delete the assistant's conversations idle for CHAT_RETENTION_HOURS (Rasa's SQL tracker store)."""
    url = current_app.config["RASA_TRACKER_DB_URL"]
    if not url:
        click.echo("no RASA_TRACKER_DB_URL: Rasa's in-memory tracker store deletes the conversations "
                   "idle for CHAT_RETENTION_HOURS itself (bot/addons/idle_tracker_store.py)")
        return
    count = purge_conversations(url, current_app.config["CHAT_RETENTION_HOURS"])
    click.echo(f"deleted {count} conversations")
