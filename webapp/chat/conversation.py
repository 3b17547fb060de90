"""The conversation kept in the server-side session: id, log, rate counter."""
from __future__ import annotations

import secrets
import time

from flask import current_app, session
from sqlalchemy.exc import SQLAlchemyError

from webapp.chat import rasa_client, retention, turns

SESSION_KEY = "chat"
# What the referral form and the detailed-situation page read (webapp.referrals.prefill).
TRIAGE_SESSION_KEY = "triage_request"
LOG_LIMIT = 80
DEFAULT_MAX_LENGTH = 500
DEFAULT_RATE_PER_MINUTE = 20


def state() -> dict:
    """This browser's conversation, created on first use."""
    chat = session.get(SESSION_KEY)
    if not isinstance(chat, dict) or not chat.get("id"):
        chat = {"id": secrets.token_hex(16), "log": [], "sent": []}
        session[SESSION_KEY] = chat
    if not isinstance(chat.get("rasa"), int):
        # The Rasa process that holds this conversation, chosen once.
        chat["rasa"] = turns.next_process()
        session[SESSION_KEY] = dict(chat)
    return chat


def save(chat: dict) -> None:
    chat["log"] = chat["log"][-LOG_LIMIT:]
    # Reassign so the server-side session notices the change.
    session[SESSION_KEY] = dict(chat)


def restart(lang: str) -> None:
    """Forget this browser's conversation: in the session, and in Rasa's tracker store.

    Production's SQL store is reached through its database; the embedded
    in-memory store through Rasa's own restart command, sent to the process
    that holds the conversation. Either way, when Rasa's side cannot be
    reached the household still starts again, and the retention rule
    deletes the old conversation later (docs/retention.md).
    """
    chat = session.pop(SESSION_KEY, None)
    if not isinstance(chat, dict) or not chat.get("id"):
        return
    url = current_app.config.get("RASA_TRACKER_DB_URL")
    if url:
        try:
            retention.forget_conversation(url, str(chat["id"]))
        except SQLAlchemyError as exc:
            current_app.logger.warning("chat: conversation not deleted from Rasa's store: %s", exc)
    elif chat.get("sent") and isinstance(chat.get("rasa"), int):
        # Only a conversation that sent something can be in Rasa's memory
        # (`sent` keeps the last message's time until the next message).
        try:
            rasa_client.end_conversation(str(chat["id"]), chat["rasa"], lang)
        except rasa_client.BotUnavailable as exc:
            current_app.logger.warning("chat: conversation not deleted from Rasa's memory: %s", exc)


def max_length() -> int:
    return int(current_app.config.get("CHAT_MAX_MESSAGE_LENGTH", DEFAULT_MAX_LENGTH))


def rate_limited(chat: dict, now: float | None = None) -> bool:
    """True when this conversation already sent its quota in the last minute."""
    now = time.time() if now is None else now
    limit = int(current_app.config.get("CHAT_RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_PER_MINUTE))
    chat["sent"] = [t for t in chat.get("sent", []) if now - t < 60]
    return len(chat["sent"]) >= limit


def count_sent(chat: dict, now: float | None = None) -> None:
    chat.setdefault("sent", []).append(time.time() if now is None else now)


def answer_start(log: list[dict]) -> int | None:
    """The index of the latest answer's first entry: the household's last
    message when no answer came, the last entry when the household has not
    written yet; None for an empty log."""
    for index in range(len(log) - 1, -1, -1):
        if log[index].get("who") == "user":
            return index + 1 if index + 1 < len(log) else index
    return len(log) - 1 if log else None


def last_buttons(chat: dict) -> list[dict]:
    """Buttons of the bot's latest turn: the only ones the household may press."""
    for entry in reversed(chat["log"]):
        if entry["who"] == "user":
            return []
        if entry.get("buttons"):
            return entry["buttons"]
    return []


def add_bot_messages(chat: dict, messages: list[dict], lang: str) -> list[dict]:
    """Append Rasa's messages to the log, in `lang`; keep the triage answers server-side.

    Each entry keeps its language: after a switch, the earlier ones are shown
    with theirs (lang="fr" on an English page), as a screen reader needs.
    """
    added = []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict):
            if custom.get("kind") == "triage_result" and isinstance(custom.get("answers"), dict):
                session[TRIAGE_SESSION_KEY] = dict(custom["answers"])
            links = [link for link in custom.get("links") or []
                     if isinstance(link, dict) and str(link.get("url", "")).startswith("/")]
            if links:
                entry = {"who": "bot", "text": "", "buttons": [], "links": links, "lang": lang}
                chat["log"].append(entry)
                added.append(entry)
            continue
        text = message.get("text")
        # Each button keeps its language too: after a switch, the last
        # turn's buttons are still the old language's until the next answer.
        buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", "")), "lang": lang}
                   for b in message.get("buttons") or [] if isinstance(b, dict)]
        if text or buttons:
            entry = {"who": "bot", "text": text or "", "buttons": buttons, "links": [], "lang": lang}
            chat["log"].append(entry)
            added.append(entry)
    return added
