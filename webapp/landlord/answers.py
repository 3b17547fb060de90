"""From the questionnaire's answers to the triage request, the plan and the letter facts.

The plan is the triage engine's answer for role "landlord": this module only
translates answers into the engine's input, so no rule or delay lives here.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from webapp.landlord import steps
from webapp.letters.models import Helpline, LetterFacts
from webapp.triage.engine import TriageResult, evaluate
from webapp.triage.rules import Rules
from webapp.triage.situation import FieldError, parse_situation

# Which step asks for each triage field, to send the landlord back to it.
FIELD_STEP = {
    "landlord_entity": "qui", "commune": "commune", "lease_date": "bail", "rent_eur": "bail",
    "debt_eur": "impayes", "housing_benefit": "aides", "has_guarantor": "garanties",
    "has_visale": "garanties",
    "stage": "procedure", "commandement_date": "procedure", "hearing_date": "procedure",
    "judgment_served_date": "procedure", "commandement_de_quitter_date": "procedure",
}


def collect(directory) -> dict[str, Any]:
    """Typed answers of every validated step (steps whose raw data no longer validates are skipped)."""
    answers: dict[str, Any] = {}
    for step in steps.STEPS:
        if not steps.is_done(step.slug):
            continue
        raw = steps.raw_answers(step.slug)
        if step.slug == "commune":
            commune = directory.commune(raw.get("insee") or "") if directory else None
            if commune is not None:
                answers["commune"] = commune.insee
                answers["commune_name"] = commune.name
            continue
        form = steps.bound_form(step, raw)
        if not form.validate():
            continue
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        if step.slug == "procedure":
            answers["stage"] = data["stage"]
            answers.update(form.dates_for_stage())
        else:
            answers.update(data)
    return answers


def _amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def triage_request(answers: dict[str, Any], lang: str) -> dict[str, Any]:
    """The POST /api/triage body equivalent to the answers (unknowns left out, never guessed)."""
    body: dict[str, Any] = {"role": "landlord", "landlord_kind": "private", "lang": lang}
    if answers.get("landlord_entity"):
        body["landlord_entity"] = answers["landlord_entity"]
    if answers.get("commune"):
        body["commune"] = answers["commune"]
    if answers.get("stage"):
        body["stage"] = answers["stage"]
    if answers.get("debt") is not None:
        body["debt_eur"] = _amount(answers["debt"])
    if answers.get("rent") is not None:
        body["rent_eur"] = _amount(answers["rent"] + (answers.get("charges") or Decimal(0)))
    if answers.get("housing_benefit") in ("none", "paid_to_tenant", "paid_to_landlord"):
        body["housing_benefit"] = answers["housing_benefit"]
    if "has_guarantor" in answers:
        body["has_guarantor"] = bool(answers["has_guarantor"])
    if "has_visale" in answers:
        body["has_visale"] = bool(answers["has_visale"])
    for name in ("lease_date", "commandement_date", "hearing_date", "judgment_served_date",
                 "commandement_de_quitter_date"):
        if isinstance(answers.get(name), dt.date):
            body[name] = answers[name].isoformat()
    return body


def plan(body: dict[str, Any], rules: Rules, directory, today: dt.date, lang: str
         ) -> tuple[TriageResult | None, list[FieldError]]:
    """The engine's answer for this request as of `today`."""
    situation, errors = parse_situation(body, directory, today)
    if errors:
        return None, errors
    return evaluate(situation, rules, directory, lang), []


def letter_facts(answers: dict[str, Any], today: dt.date, caf_address: str | None = None,
                 sos_loyers: Helpline | None = None, contacts_url: str | None = None) -> LetterFacts:
    return LetterFacts(
        today=today,
        debt=answers["debt"],
        rent=answers["rent"],
        charges=answers.get("charges") or Decimal(0),
        months_unpaid=answers["months_unpaid"],
        landlord_entity=answers.get("landlord_entity") or "individual",
        commune_name=answers.get("commune_name"),
        lease_date=answers.get("lease_date"),
        housing_benefit=answers.get("housing_benefit"),
        tenant_contact=answers.get("tenant_contact"),
        commandement_date=answers.get("commandement_date"),
        caf_address=caf_address,
        sos_loyers=sos_loyers,
        contacts_url=contacts_url,
    )
