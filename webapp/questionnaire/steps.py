"""The tenant questionnaire's steps, which apply to which stage, and the
translation of the stored answers into a triage request.

Kept apart from the views so that the chatbot (or a test) can replay the
same path without HTTP.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from webapp.letters.formatting import amount_as_typed
from webapp.questionnaire import forms as f

BEFORE_JUDGMENT = ("arrears", "commandement_de_payer", "assignation")
ANY_PROCEDURE = BEFORE_JUDGMENT + ("jugement", "commandement_de_quitter", "expulsion_scheduled")

# The one date that matters at each stage, the API field it fills, the
# question asked, and whether it is an event already past.
KEY_DATES = {
    "commandement_de_payer": ("commandement_date", _l("Quelle date est écrite sur le commandement de payer ?"), True),
    "assignation": ("hearing_date", _l("Quelle est la date de l'audience au tribunal ?"), False),
    "jugement": ("judgment_served_date", _l("Quel jour le commissaire de justice vous a-t-il remis le jugement ?"), True),
    "commandement_de_quitter": ("commandement_de_quitter_date", _l("Quelle date est écrite sur le commandement de quitter les lieux ?"), True),
}
KEY_DATE_HINTS = {
    "commandement_de_payer": _l("Elle est en haut de la première page. Elle sert à calculer le dernier jour pour payer."),
    "assignation": _l("Elle est écrite sur l'assignation, avec l'adresse du tribunal."),
    "jugement": _l("C'est la date de la « signification », écrite par le commissaire de justice. Le délai pour faire appel part de ce jour."),
    "commandement_de_quitter": _l("Elle est en haut de la première page. L'expulsion n'est pas possible avant %(period)s à partir de cette date."),
}


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    keys: tuple[str, ...]
    applies: Callable[[str | None], bool]


def step_for_field(field: str) -> str:
    """The slug of the step that asks for a triage API field (the first step for any other)."""
    if field in {key for key, _label, _past in KEY_DATES.values()}:
        return "date"
    return next((step.slug for step in TENANT_STEPS if field in step.keys), TENANT_STEPS[0].slug)


def _stages(*stages: str) -> Callable[[str | None], bool]:
    return lambda stage: stage in stages


TENANT_STEPS: tuple[Step, ...] = (
    Step("situation", f.StageForm, ("stage",), lambda stage: True),
    Step("commune", f.CommuneForm, ("commune",), lambda stage: True),
    Step("proprietaire", f.LandlordForm, ("landlord_kind",), lambda stage: True),
    Step("date", f.DateForm, (), _stages(*KEY_DATES)),  # keys: see answer_keys
    Step("bail", f.DateForm, ("lease_date", "lease_date_unknown"), _stages("commandement_de_payer")),
    Step("dette", f.DebtForm, ("debt_eur", "debt_unknown"), _stages(*BEFORE_JUDGMENT)),
    Step("ressources", f.IncomeForm, ("monthly_income_eur", "household_size", "income_unknown"), _stages(*BEFORE_JUDGMENT)),
    Step("loyer-courant", f.ResumedRentForm, ("resumed_rent",), _stages("assignation")),
    Step("aide-logement", f.HousingBenefitForm, ("housing_benefit",), _stages(*ANY_PROCEDURE)),
    Step("emploi", f.EmploymentForm, ("private_sector_employee",), _stages(*ANY_PROCEDURE)),
    Step("autres-dettes", f.DebtsForm, ("debts",), _stages(*ANY_PROCEDURE)),
)
BY_SLUG = {s.slug: s for s in TENANT_STEPS}


def applicable(answers: dict) -> list[Step]:
    # Before the stage is chosen, count the arrears path so that the progress
    # indicator shows a realistic total from the first screen.
    stage = answers.get("stage") or "arrears"
    return [s for s in TENANT_STEPS if s.applies(stage)]


def answer_keys(step: Step, stage: str | None) -> tuple[str, ...]:
    """Session keys holding a step's answer; the key date is kept per stage,
    so a commandement date never turns into a hearing date when the stage changes."""
    if step.slug == "date":
        field = KEY_DATES[stage][0] if stage in KEY_DATES else "key_date"
        return (field, f"{field}_unknown")
    return step.keys


def first_unanswered(answers: dict) -> Step | None:
    stage = answers.get("stage")
    for step in applicable(answers):
        if not any(key in answers for key in answer_keys(step, stage)):
            return step
    return None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def triage_request(answers: dict, today: dt.date, lang: str) -> dict:
    """The POST /api/triage body equivalent to the answers of the applicable steps."""
    stage = answers["stage"]
    slugs = {s.slug for s in applicable(answers)}
    body: dict = {"role": "tenant", "stage": stage, "commune": answers.get("commune"),
                  "today": today.isoformat(), "lang": lang}
    if answers.get("landlord_kind") in ("private", "social"):
        body["landlord_kind"] = answers["landlord_kind"]
    if "date" in slugs:
        field = KEY_DATES[stage][0]
        day = f.parse_user_date(answers.get(field) or "")
        if day:
            body[field] = day.isoformat()
    if "bail" in slugs and answers.get("lease_date"):
        day = f.parse_user_date(answers["lease_date"])
        if day:
            body["lease_date"] = day.isoformat()
    if "dette" in slugs and answers.get("debt_eur"):
        body["debt_eur"] = f.parse_amount(answers["debt_eur"])
    if "ressources" in slugs:
        if answers.get("monthly_income_eur"):
            body["monthly_income_eur"] = f.parse_amount(answers["monthly_income_eur"])
        size = f.parse_household_size(answers.get("household_size"))
        if size is not None:
            body["household_size"] = size
    if "loyer-courant" in slugs and _yes_no(answers.get("resumed_rent")) is not None:
        body["resumed_rent"] = _yes_no(answers["resumed_rent"])
    if "aide-logement" in slugs and answers.get("housing_benefit") in ("none", "paid_to_tenant", "paid_to_landlord"):
        body["housing_benefit"] = answers["housing_benefit"]
    if "emploi" in slugs and _yes_no(answers.get("private_sector_employee")) is not None:
        body["private_sector_employee"] = _yes_no(answers["private_sector_employee"])
    if "autres-dettes" in slugs:
        debts = answers.get("debts")
        if debts in ("filed", "admissible"):
            body["overindebtedness"] = debts
        elif debts == "other_debts":
            body["other_debts"] = True
        elif debts == "none":
            body["other_debts"] = False
            body["overindebtedness"] = "none"
    return {k: v for k, v in body.items() if v is not None}


def answers_from_request(body: dict) -> dict:
    """The questionnaire's answers for a triage request (the chat's), the inverse
    of `triage_request`, so that "Modifier mes réponses" after the chat shows
    what the household said there rather than an empty questionnaire.

    A lease date given only to the month or the year ("juillet 2023") is left
    to ask: the questionnaire takes a whole date, and no day may be picked.
    """
    stage = body.get("stage")
    yes_no = {True: "yes", False: "no"}
    answers: dict = {"stage": stage, "commune": body.get("commune"),
                     "landlord_kind": body.get("landlord_kind") or f.UNKNOWN}
    if stage in KEY_DATES:
        field = KEY_DATES[stage][0]
        answers[field] = body.get(field) or ""
        answers[f"{field}_unknown"] = "" if answers[field] else "y"
    if body.get("lease_date_precision", "day") == "day":
        answers["lease_date"] = body.get("lease_date") or ""
        answers["lease_date_unknown"] = "" if answers["lease_date"] else "y"
    # else: no answer at all, so the questionnaire asks for the lease's day
    # rather than read "juin 2023" as unknown (6 weeks) when the chat had 2 months.
    answers["debt_eur"] = amount_as_typed(body.get("debt_eur")) or ""
    answers["debt_unknown"] = "" if answers["debt_eur"] else "y"
    answers["monthly_income_eur"] = amount_as_typed(body.get("monthly_income_eur")) or ""
    answers["household_size"] = str(body.get("household_size") or "")
    answers["income_unknown"] = "" if answers["monthly_income_eur"] else "y"
    answers["resumed_rent"] = yes_no.get(body.get("resumed_rent"), f.UNKNOWN)
    answers["housing_benefit"] = body.get("housing_benefit") or f.UNKNOWN
    answers["private_sector_employee"] = yes_no.get(body.get("private_sector_employee"), f.UNKNOWN)
    if body.get("overindebtedness") in ("filed", "admissible"):
        answers["debts"] = body["overindebtedness"]
    else:
        answers["debts"] = {True: "other_debts", False: "none"}.get(body.get("other_debts"), f.UNKNOWN)
    return answers

