"""Talk to Rasa's REST channel (localhost only)."""
from __future__ import annotations

import threading
import urllib.parse

from flask import current_app

from webapp import json_codec
from webapp.chat.kept_http import KeptConnection

# Each gunicorn thread keeps its own connection to each Rasa process: a new
# TCP connection per message would cost more than the proxy itself. A small
# client of our own (kept_http.py) rather than requests, urllib3 or
# http.client: this runs on every chat message, and their layers (pools, URL
# parsing, retries, environment proxies, e-mail header parsing) cost more
# than the call itself in the site's profile (urllib3: 16 % of the site's CPU
# per message; http.client's header parsing: two fifths of the call), for
# nothing a localhost hop needs.
_kept = threading.local()


class BotUnavailable(Exception):
    """Rasa did not answer in time, or answered nothing usable."""


def rasa_urls(setting: str) -> list[str]:
    """The Rasa processes named by RASA_URL (one URL or several, comma-separated)."""
    return [url.strip().rstrip("/") for url in setting.split(",") if url.strip()]


def rasa_url_for(process: int, setting: str) -> str:
    """The URL of conversation's process `process`.

    With the embedded in-memory tracker store a conversation lives in one
    Rasa process only, so its messages must always go to the same URL. With
    the SQL tracker store and the Redis lock store any process could answer;
    the rule does no harm there.
    """
    urls = rasa_urls(setting)
    if not urls:
        # A misconfiguration must look like a bot that is down, not a 500.
        raise BotUnavailable("RASA_URL is empty")
    return urls[process % len(urls)]


def _connection(url: str, timeout: float) -> tuple[KeptConnection, str]:
    """This thread's kept connection to one Rasa process, and its webhook's path."""
    connections = _kept.__dict__.setdefault("connections", {})
    entry = connections.get(url)
    if entry is None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BotUnavailable(f"RASA_URL is not an http URL: {url!r}")
        try:
            port = parts.port
        except ValueError as exc:  # a malformed port
            raise BotUnavailable(str(exc)) from exc
        entry = connections[url] = (KeptConnection(parts.scheme, parts.hostname, port, timeout),
                                    parts.path.rstrip("/") + "/webhooks/rest/webhook")
    connection, path = entry
    connection.timeout = timeout
    if connection.closed_by_server():
        # Rasa closes idle connections after a few seconds: open a new one
        # rather than send into a closed one.
        connection.close()
    return connection, path


def send(conversation_id: str, process: int, text: str, lang: str) -> list[dict]:
    """Send one user message; return the bot's messages (text, buttons, custom)."""
    url = rasa_url_for(process, current_app.config.get("RASA_URL", "http://127.0.0.1:5005"))
    return send_to(url, float(current_app.config.get("RASA_TIMEOUT", 5.0)), conversation_id, text, lang)


def send_to(url: str, timeout: float, conversation_id: str, text: str, lang: str) -> list[dict]:
    """`send` to the Rasa process at `url`, outside any app (bench/chat_floor_app.py uses it too)."""
    messages = _post(url, timeout, conversation_id, text, lang)
    # Rasa answers 200 with nothing when its action server is down: for the
    # household that is the same as no answer.
    if not messages:
        raise BotUnavailable("empty answer")
    return messages


# Rasa's own command (a message starting with "/" is an intent, not words:
# the site never lets a household's text start with one). It ends the
# conversation; the embedded tracker store then deletes it
# (bot/addons/idle_tracker_store.py).
RESTART_COMMAND = "/restart"


def end_conversation(conversation_id: str, process: int, lang: str) -> None:
    """Have Rasa delete this conversation from its in-memory store; raises BotUnavailable."""
    url = rasa_url_for(process, current_app.config.get("RASA_URL", "http://127.0.0.1:5005"))
    # Rasa answers the command with no message: nothing to check but the status.
    _post(url, float(current_app.config.get("RASA_TIMEOUT", 5.0)), conversation_id, RESTART_COMMAND, lang)


def _post(url: str, timeout: float, conversation_id: str, text: str, lang: str) -> list[dict]:
    body = json_codec.dumps_bytes({"sender": conversation_id, "message": text, "metadata": {"lang": lang}})
    connection, path = _connection(url, timeout)
    try:
        status, data = connection.post_json(path, body)
    except OSError as exc:
        # Refused, timed out, cut, not HTTP: the connection is closed and the
        # next message starts a new one.
        raise BotUnavailable(str(exc) or type(exc).__name__) from exc
    if status != 200:
        raise BotUnavailable(f"HTTP {status}")
    try:
        messages = json_codec.loads(data)
    except ValueError as exc:
        raise BotUnavailable("answer is not JSON") from exc
    if not isinstance(messages, list):
        raise BotUnavailable("answer is not a list")
    return [m for m in messages if isinstance(m, dict)]
