"""Pre-filling: the last triage request kept in the server-side session, re-evaluated.

The questionnaires and the chat store their last `POST /api/triage`-shaped
request in `session["triage_request"]`; re-running the engine here (rather
than trusting a stored result) means the summary, the deadlines and the
structures shown follow today's rules and today's date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app, session

from webapp.directory import get_directory
from webapp.triage.engine import evaluate
from webapp.triage.rules import load_rules
from webapp.triage.situation import parse_situation

SESSION_KEY = "triage_request"


@dataclass
class Prefill:
    request: dict | None = None          # the triage request (situation snapshot)
    result: dict | None = None           # the triage result
    proposed: list[str] = field(default_factory=list)  # structure ids proposed by the triage

    @property
    def urgency(self) -> str:
        return (self.result or {}).get("urgency", "normal")

    @property
    def deadlines(self) -> list[dict]:
        return (self.result or {}).get("deadlines", [])


def session_request() -> dict | None:
    data = session.get(SESSION_KEY)
    return dict(data) if isinstance(data, dict) else None


def server_today() -> dt.date:
    """Today, or the fixed day the tests and demos set (TRIAGE_TODAY), as the questionnaire does."""
    return current_app.config.get("TRIAGE_TODAY") or dt.date.today()


def evaluate_request(data: dict | None, lang: str, today: dt.date | None = None) -> Prefill:
    """Run the triage on a request; an invalid or missing one gives an empty Prefill."""
    if not data:
        return Prefill()
    directory = get_directory(current_app)
    situation, errors = parse_situation(data, directory, today or server_today())
    if errors:
        current_app.logger.info("triage request in session is invalid: %s", [e.field for e in errors])
        return Prefill()
    rules = load_rules(current_app.config["CONTENT_DIR"])
    result = evaluate(situation, rules, directory, lang).to_dict()
    proposed = []
    for orientation in result.get("orientations", []):
        structure = orientation.get("structure")
        if structure and structure.get("id") and structure["id"] not in proposed:
            proposed.append(structure["id"])
    return Prefill(request=data, result=result, proposed=proposed)


def next_deadline(deadlines: list[dict], today: dt.date) -> dt.date | None:
    """The earliest deadline not yet past: what the inbox sorts on."""
    days = []
    for item in deadlines or []:
        try:
            day = dt.date.fromisoformat(item.get("date", ""))
        except (TypeError, ValueError):
            continue
        if day >= today:
            days.append(day)
    return min(days) if days else None
