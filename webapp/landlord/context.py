"""What the landlord views share: language, today, rules, directory."""
from __future__ import annotations

import datetime as dt

from flask import current_app, session
from flask_babel import get_locale

from webapp.landlord import answers, clock, steps
from webapp.triage.rules import Rules, load_rules


def lang() -> str:
    return str(get_locale().language)


def today() -> dt.date:
    return clock.today()


def rules() -> Rules:
    return load_rules(current_app.config["CONTENT_DIR"])


def directory():
    from webapp.directory import get_directory
    return get_directory(current_app)


def current_answers() -> dict:
    return answers.collect(directory())


def refresh_triage_request() -> dict | None:
    """Store the triage request equivalent to complete answers (the referral form pre-fills from it)."""
    if steps.first_incomplete() is not None:
        return None
    body = answers.triage_request(current_answers(), lang())
    session["triage_request"] = body
    return body
