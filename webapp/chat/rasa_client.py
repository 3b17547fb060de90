"""Talk to Rasa's REST channel (localhost only)."""
from __future__ import annotations

import itertools
import json

import urllib3
from flask import current_app

# One connection pool per process, shared by the worker's threads: a new TCP
# connection per message would cost more than the proxy itself. urllib3
# rather than requests: this runs on every chat message, and requests' own
# layer (environment proxies, cookies, hooks) about doubled the cost of the
# call in the site's profile, for nothing used on a localhost hop.
_http = urllib3.PoolManager(maxsize=16, retries=False)


class BotUnavailable(Exception):
    """Rasa did not answer in time, or answered nothing usable."""


def rasa_urls(setting: str) -> list[str]:
    """The Rasa processes named by RASA_URL (one URL or several, comma-separated)."""
    return [url.strip().rstrip("/") for url in setting.split(",") if url.strip()]


def next_process() -> int:
    """The process number for a new conversation: the next one in turn.

    One Rasa process answers one message at a time, so several share the
    load. Taking them in turn splits new conversations evenly (within one per
    gunicorn worker); a hash of the id, used before, left one process with
    13 of 20 conversations about one time in four. The number is kept with
    the conversation (webapp.chat.conversation) and never changes.
    """
    return next(_turns)


_turns = itertools.count()


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


def send(conversation_id: str, process: int, text: str, lang: str) -> list[dict]:
    """Send one user message; return the bot's messages (text, buttons, custom)."""
    url = rasa_url_for(process, current_app.config.get("RASA_URL", "http://127.0.0.1:5005"))
    timeout = float(current_app.config.get("RASA_TIMEOUT", 5.0))
    body = json.dumps({"sender": conversation_id, "message": text, "metadata": {"lang": lang}})
    try:
        response = _http.request(
            "POST", f"{url}/webhooks/rest/webhook", body=body.encode(),
            headers={"Content-Type": "application/json"},
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
        )
    except (urllib3.exceptions.HTTPError, ValueError) as exc:
        # ValueError: a malformed RASA_URL.
        raise BotUnavailable(str(exc)) from exc
    if response.status != 200:
        raise BotUnavailable(f"HTTP {response.status}")
    try:
        messages = json.loads(response.data)
    except ValueError as exc:
        raise BotUnavailable("answer is not JSON") from exc
    if not isinstance(messages, list):
        raise BotUnavailable("answer is not a list")
    # Rasa answers 200 with nothing when its action server is down: for the
    # household that is the same as no answer.
    if not messages:
        raise BotUnavailable("empty answer")
    return [m for m in messages if isinstance(m, dict)]
