"""The questionnaire's steps and the answers kept in the server-side session.

Each step's answers are kept exactly as typed (the raw form data), so that
going back, or failing validation, never loses anything; the typed values
are obtained by running the step's form over that raw data again.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import session
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from webapp.landlord import forms

SESSION_KEY = "landlord_questionnaire"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    title: object  # lazy string


STEPS: tuple[Step, ...] = (
    Step("qui", forms.EntityForm, _l("Qui loue le logement ?")),
    Step("commune", forms.CommuneForm, _l("Où se trouve le logement ?")),
    Step("bail", forms.LeaseForm, _l("Le bail et le loyer")),
    Step("impayes", forms.ArrearsForm, _l("Les impayés")),
    Step("aides", forms.BenefitForm, _l("L'aide au logement")),
    Step("garanties", forms.GuaranteesForm, _l("Les garanties")),
    Step("contacts", forms.ContactForm, _l("Le contact avec le locataire")),
    Step("procedure", forms.ProcedureForm, _l("La procédure")),
)
TOTAL = len(STEPS)


def _state() -> dict:
    state = session.get(SESSION_KEY) or {}
    return {
        "raw": dict(state.get("raw") or {}),
        "done": list(state.get("done") or []),
        # Steps answered from what another part of the site learned (the chat),
        # not yet seen by the landlord; and which request that was.
        "prefilled": list(state.get("prefilled") or []),
        "prefill_source": state.get("prefill_source"),
    }


def _store(state: dict) -> None:
    # Reassign the whole value: the session notices top-level writes only.
    session[SESSION_KEY] = state


def raw_answers(slug: str) -> dict:
    return dict(_state()["raw"].get(slug) or {})


def _set(state: dict, slug: str, data: dict, done: bool) -> None:
    state["raw"][slug] = data
    if done and slug not in state["done"]:
        state["done"].append(slug)
    if not done and slug in state["done"]:
        state["done"].remove(slug)


def save_raw(slug: str, data: dict, done: bool) -> None:
    state = _state()
    _set(state, slug, data, done)
    # The landlord has now answered this step himself.
    if slug in state["prefilled"]:
        state["prefilled"].remove(slug)
    _store(state)


def save_prefill(entries: dict[str, tuple[dict, bool]], source: str) -> None:
    """Store steps answered from elsewhere: {slug: (raw data, done)}, and the request's fingerprint."""
    state = _state()
    for slug, (data, done) in entries.items():
        _set(state, slug, data, done)
        if slug not in state["prefilled"]:
            state["prefilled"].append(slug)
    state["prefill_source"] = source
    _store(state)


def prefilled() -> list[str]:
    return _state()["prefilled"]


def prefill_source() -> str | None:
    return _state()["prefill_source"]


def is_done(slug: str) -> bool:
    return slug in _state()["done"]


def first_incomplete() -> int | None:
    """Number (1-based) of the first step not yet validated, None when all are."""
    done = _state()["done"]
    for number, step in enumerate(STEPS, start=1):
        if step.slug not in done:
            return number
    return None


def next_number(number: int) -> int | None:
    """The step to show after step `number`, None for the plan.

    A step the chat already answered is skipped on the way forward, so
    nothing is asked twice; "Étape précédente" and the plan's recap still
    lead to it.
    """
    state = _state()
    for later in range(number + 1, TOTAL + 1):
        slug = STEPS[later - 1].slug
        if not (slug in state["prefilled"] and slug in state["done"]):
            return later
    return None


def reset() -> None:
    session.pop(SESSION_KEY, None)


def bound_form(step: Step, raw: dict | None = None, **kwargs):
    """The step's form filled from raw data (no CSRF check: the data is ours, from the session)."""
    data = MultiDict(list((raw or {}).items()))
    return step.form(formdata=data, meta={"csrf": False}, **kwargs)
