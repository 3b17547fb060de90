"""POST /api/triage: the triage engine as JSON, for partners, the chatbot and tests.

Bad input is a 400 naming each field with a translated message; the handler
validates everything before calling the engine so that no input reaches a 500.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, request
from flask_babel import force_locale

from webapp.directory import get_directory
from webapp.extensions import csrf
from webapp.triage.engine import evaluate
from webapp.triage.messages import message
from webapp.triage.rules import load_rules
from webapp.triage.situation import LANGS, FieldError, parse_situation

bp = Blueprint("triage", __name__)
# A JSON API for other systems: no browser form, so no CSRF token to carry.
csrf.exempt(bp)


def get_rules():
    return load_rules(current_app.config["CONTENT_DIR"])


def get_triage_directory():
    """The directory as it stands at this request (files and staff edits): communes, structures, national numbers."""
    return get_directory(current_app)


def _request_lang(body) -> str:
    if isinstance(body, dict) and body.get("lang") in LANGS:
        return body["lang"]
    return request.accept_languages.best_match(LANGS) or "fr"


@bp.post("/api/triage")
def triage():
    body = request.get_json(silent=True)
    lang = _request_lang(body)
    if body is None:
        return _errors([FieldError("body", "invalid_json")], lang)
    situation, errors = parse_situation(body, get_triage_directory(), dt.date.today())
    if errors:
        return _errors(errors, lang)
    result = evaluate(situation, get_rules(), get_triage_directory(), situation.lang if "lang" in body else lang)
    return jsonify(result.to_dict())


def _errors(errors: list[FieldError], lang: str):
    with force_locale(lang):
        payload = [{"field": e.field, "message": message(e)} for e in errors]
    response = jsonify({"errors": payload})
    response.status_code = 400
    response.headers["Content-Language"] = lang
    return response
