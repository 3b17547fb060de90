"""Start the questionnaire from what the chat already learned (a triage request).

The inverse of answers.triage_request: each field the request knows becomes
the raw form data of the step that asks it, stored through steps like typed
answers. Only known fields are written (a blank never overwrites an answer),
a value the step's form refuses is left out, and nothing is guessed: the
questionnaire asks for rent and charges separately, so the request's
rent_eur (their sum) is not used.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from webapp.landlord import forms, steps
from webapp.letters.formatting import amount_as_typed
from webapp.triage.situation import HOUSING_BENEFIT, LANDLORD_ENTITIES, parse_date

# The questions of each step: a step counts as answered by the request only
# when the request answers all of them (the procedure's dates are checked by
# its form, which asks for the one the stage needs).
STEP_QUESTIONS = {
    "qui": {"landlord_entity"},
    "commune": {"insee"},
    "bail": {"lease_date", "rent", "charges"},
    "impayes": {"debt", "months_unpaid"},
    "aides": {"housing_benefit"},
    "garanties": {"has_guarantor", "has_gli", "has_visale"},
    "contacts": {"tenant_contact"},
    "procedure": {"stage"},
}


def fingerprint(request: dict) -> str:
    """Identifies a request, so the same chat answers are applied once only."""
    data = {k: v for k, v in request.items() if k != "lang"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _date_text(value: Any) -> str | None:
    """An ISO date as the landlord would type it (JJ/MM/AAAA); None when it is not one."""
    day = parse_date(value)
    return day.strftime("%d/%m/%Y") if day else None


def _commune_raw(insee: Any, directory) -> dict | None:
    """The commune step's data for this INSEE code, as if the landlord had typed its name and chosen it."""
    from webapp.landlord.views import MAX_COMMUNE_CHOICES
    if not isinstance(insee, str) or directory is None:
        return None
    commune = directory.commune(insee)
    if commune is None:
        return None
    for query in [commune.name] + [f"{code} {commune.name}" for code in commune.postcodes]:
        if commune in directory.find_communes(query)[:MAX_COMMUNE_CHOICES]:
            return {"commune_query": query, "insee": commune.insee}
    return None


def raw_by_step(request: dict, directory) -> dict[str, dict]:
    """The request's known fields, as raw form data of the step that asks each of them."""
    out: dict[str, dict] = {}
    if request.get("landlord_entity") in LANDLORD_ENTITIES:
        out["qui"] = {"landlord_entity": request["landlord_entity"]}
    commune = _commune_raw(request.get("commune"), directory)
    if commune:
        out["commune"] = commune
    # A lease date known only to the month or year is not a day to pre-fill.
    lease = _date_text(request.get("lease_date")) if request.get("lease_date_precision", "day") == "day" else None
    if lease:
        out["bail"] = {"lease_date": lease}
    debt = amount_as_typed(request.get("debt_eur"))
    if debt:
        out["impayes"] = {"debt": debt}
    if request.get("housing_benefit") in HOUSING_BENEFIT:
        out["aides"] = {"housing_benefit": request["housing_benefit"]}
    # "" is how an unticked box reads (BooleanField's false values).
    guarantees = {name: "y" if request[name] else "" for name in ("has_guarantor", "has_visale")
                  if isinstance(request.get(name), bool)}
    if guarantees:
        out["garanties"] = guarantees
    if request.get("stage") in forms.PROCEDURE_STAGES:
        procedure = {"stage": request["stage"]}
        for name in forms.STAGE_DATE.values():
            day = _date_text(request.get(name))
            if day:
                procedure[name] = day
        out["procedure"] = procedure
    return out


def _typed(step: steps.Step, raw: dict, names) -> dict:
    form = steps.bound_form(step, raw)
    form.validate()
    return {name: form[name].data for name in names}


def _merge(step: steps.Step, given: dict) -> tuple[dict, bool] | None:
    """(raw data, done) for this step once the given fields are written in; None when nothing changes."""
    stored = steps.raw_answers(step.slug)
    was_done = steps.is_done(step.slug)
    if step.slug == "commune":
        if was_done and stored.get("insee") == given["insee"]:
            return None
        return {**stored, **given}, True
    # A value the form refuses (a date in the future…) is left out: the landlord answers it.
    form = steps.bound_form(step, {**stored, **given})
    form.validate()
    kept = {name: value for name, value in given.items() if not form[name].errors}
    if not kept:
        return None
    merged = {**stored, **kept}
    if was_done and _typed(step, stored, kept) == _typed(step, merged, kept):
        return None
    valid = steps.bound_form(step, merged).validate()
    complete = was_done or STEP_QUESTIONS[step.slug] <= set(kept)
    return merged, valid and complete


def apply(request: dict, directory) -> list[str]:
    """Write what the request knows into the questionnaire; the slugs of the steps it changed.

    A request already applied is not applied again: the landlord may have
    corrected its answers since, and they win.
    """
    source = fingerprint(request)
    if steps.prefill_source() == source:
        return []
    known = raw_by_step(request, directory)
    entries = {}
    for step in steps.STEPS:
        given = known.get(step.slug)
        if not given:
            continue
        merged = _merge(step, given)
        if merged is not None:
            entries[step.slug] = merged
    steps.save_prefill(entries, source)
    return list(entries)
