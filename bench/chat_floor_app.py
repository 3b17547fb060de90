"""The least a chat proxy can cost on this stack: two stand-ins for the site in chat_bench.py.

`chat_bench.py --proxy flask-floor` serves the chat through `flask_floor`:
Flask under the same gunicorn settings, the session row of table web_session
read and written by the site's own store (webapp/sessions.py) on the site's
own connections (webapp/db_direct.py: autocommit, no wait for the disk), the
site's own client to Rasa (webapp/chat/rasa_client.py), the same choice of
Rasa process, and JSON. Nothing else: no CSRF check (only the
token compared), no languages, no security headers, no log rendered, a
one-line page. `--proxy wsgi-floor` serves it through `wsgi_floor`: a bare
WSGI function under gunicorn, the conversation in a cookie, no database.

They answer what issue 5's ratio can be on the design card's stack (gunicorn,
Flask, a PostgreSQL session), whatever the site's code does. They are
benchmark stand-ins, never served: no check a real page needs is here.
"""
from __future__ import annotations

import functools
import itertools
import os
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy
from flask import Flask, make_response, request

from webapp import json_codec
from webapp.chat.rasa_client import rasa_url_for, send_to
from webapp.config import Config
from webapp.db_direct import DirectConnections
from webapp.sessions import COOKIE_NAME, _PsycopgStore

RASA_URL = os.environ.get("RASA_URL", "")
_turn = itertools.count()
PAGE = '<input type="hidden" name="csrf_token" value="{token}">'


@functools.cache
def _sessions() -> _PsycopgStore:
    engine = sqlalchemy.create_engine(os.environ["DATABASE_URL"])
    return _PsycopgStore(DirectConnections(engine, Config.DB_POOL_SIZE))


def _write(sid: str, data: dict, new: bool) -> None:
    expires = datetime.now(timezone.utc) + timedelta(minutes=Config.SESSION_LIFETIME_MINUTES)
    _sessions().write({"sid": sid, "data": json_codec.dumps(data), "expires_at": expires}, new=new)


def _ask_rasa(process: int, sender: str, text: str) -> list:
    return send_to(rasa_url_for(process, RASA_URL), 10.0, sender, text, "fr")


flask_floor = Flask("flask_floor")


@flask_floor.get("/chat")
def page():
    sid, token = secrets.token_urlsafe(32), secrets.token_hex(20)
    _write(sid, {"csrf_token": token, "chat": {"id": secrets.token_hex(16), "log": [], "rasa": next(_turn)}},
           new=True)
    response = make_response(PAGE.format(token=token))
    response.set_cookie(COOKIE_NAME, sid, httponly=True)
    return response


@flask_floor.post("/chat/api/message")
def message():
    sid = request.cookies.get(COOKIE_NAME, "")
    data = json_codec.loads(_sessions().read(sid)[0])
    if request.headers.get("X-CSRFToken") != data["csrf_token"]:
        return "", 400
    text = request.get_json()["message"]
    chat = data["chat"]
    messages = _ask_rasa(chat["rasa"], chat["id"], text)
    chat["log"] = (chat["log"] + [{"who": "user", "text": text}]
                   + [{"who": "bot", "text": m.get("text", "")} for m in messages])[-80:]
    _write(sid, data, new=False)
    return flask_floor.response_class(json_codec.dumps_bytes({"messages": messages}),
                                      mimetype="application/json")


def wsgi_floor(environ, start_response):
    if environ["REQUEST_METHOD"] == "GET":
        page = PAGE.format(token="-").encode()
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(page))),
                                  ("Set-Cookie", f"floor={secrets.token_hex(16)}.{next(_turn)}; HttpOnly")])
        return [page]
    cookie = environ.get("HTTP_COOKIE", "").split("floor=", 1)[1].split(";", 1)[0]
    sender, process = cookie.split(".")
    text = json_codec.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))["message"]
    body = json_codec.dumps_bytes({"messages": _ask_rasa(int(process), sender, text)})
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
