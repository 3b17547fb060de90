"""Talk to Rasa's REST channel (localhost only)."""
from __future__ import annotations

import hashlib

import requests
from flask import current_app

# One pooled HTTP session per process: a new TCP connection per message would
# cost more than the proxy itself.
_http = requests.Session()


class BotUnavailable(Exception):
    """Rasa did not answer in time, or answered nothing usable."""


def rasa_url_for(conversation_id: str, rasa_url: str) -> str:
    """The Rasa process that holds this conversation, from RASA_URL (one URL or several, comma-separated).

    One Rasa process answers one message at a time, so several share the
    load. With the embedded in-memory tracker store a conversation lives in
    one process only: the same id always goes to the same URL (a stable hash,
    not Python's per-process hash()). With the SQL tracker store and the
    Redis lock store any process could answer; the rule does no harm there.
    """
    urls = [url.strip().rstrip("/") for url in rasa_url.split(",") if url.strip()]
    if not urls:
        # A misconfiguration must look like a bot that is down, not a 500.
        raise BotUnavailable("RASA_URL is empty")
    digest = hashlib.sha256(conversation_id.encode()).digest()
    return urls[int.from_bytes(digest[:8], "big") % len(urls)]


def send(conversation_id: str, text: str, lang: str) -> list[dict]:
    """Send one user message; return the bot's messages (text, buttons, custom)."""
    url = rasa_url_for(conversation_id, current_app.config.get("RASA_URL", "http://127.0.0.1:5005"))
    timeout = float(current_app.config.get("RASA_TIMEOUT", 5.0))
    try:
        response = _http.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": conversation_id, "message": text, "metadata": {"lang": lang}},
            timeout=timeout,
        )
    except requests.RequestException as exc:
        raise BotUnavailable(str(exc)) from exc
    if response.status_code != 200:
        raise BotUnavailable(f"HTTP {response.status_code}")
    try:
        messages = response.json()
    except ValueError as exc:
        raise BotUnavailable("answer is not JSON") from exc
    if not isinstance(messages, list):
        raise BotUnavailable("answer is not a list")
    # Rasa answers 200 with nothing when its action server is down: for the
    # household that is the same as no answer.
    if not messages:
        raise BotUnavailable("empty answer")
    return [m for m in messages if isinstance(m, dict)]
