"""What the form needs to know about the conversation itself."""
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional

import yaml

UNKNOWN = "unknown"

# Intents that answer a question in the middle of the form; the form must
# not read them as a slot value, so that the interruption rules can run.
INTERRUPTIONS = frozenset({
    "question_treve_hivernale", "question_apl", "question_surendettement",
    "demander_aide_financiere", "demander_aide_juridique",
    "demander_travailleur_social", "demander_humain", "arreter", "saluer", "demander_anglais",
    "expulsion_illegale", "expulsion_imminente",
})
DONT_KNOW = frozenset({"ne_sais_pas", "nier"})
DATE_SLOTS = ("lease_date", "commandement_date", "hearing_date",
              "judgment_served_date", "commandement_de_quitter_date")
# A hearing is ahead of the household; every other date is already behind it.
FUTURE_DATE_SLOTS = frozenset({"hearing_date"})
# The questions that open the aids (FSL, CAF, Action Logement, Banque de France).
AID_SLOTS = ("monthly_income_eur", "household_size", "housing_benefit",
             "private_sector_employee", "debts")
# The tenant's landlord (private | social) and whether the current rent is
# paid again: both change the answer the API gives, not an aid.
SITUATION_SLOTS = ("landlord_kind", "resumed_rent")
# Answers about money, work, family and the landlord: what people type there
# ("je dois 3 mois", "c'est verse au proprio", "un particulier", "je paye a
# nouveau le loyer") must not change the role or the stage.
ANSWER_SLOTS = ("debt_eur",) + AID_SLOTS + SITUATION_SLOTS
# Facts so urgent that they change the stage even in the middle of a question.
URGENT_INTENTS = frozenset({"expulsion_imminente", "expulsion_illegale"})


def bot_said(events: List[Dict[str, Any]], opening: str) -> bool:
    """True when the bot said something starting with `opening` in these events."""
    return any(event.get("event") == "bot" and str(event.get("text") or "").startswith(opening) for event in events)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# Conditions named in questions_by_stage.yml (ask_only_if), on the answers so far.
ASK_ONLY_IF: Dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "debt_not_zero": lambda answers: not (_is_number(answers.get("debt_eur"))
                                          and answers["debt_eur"] <= 0),
    "income_given": lambda answers: (_is_number(answers.get("monthly_income_eur"))
                                     and answers["monthly_income_eur"] > 0),
}

_QUESTIONS_FILE = Path(__file__).with_name("questions_by_stage.yml")


def questions_by_stage() -> Dict[str, object]:
    with _QUESTIONS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def required_slots(role: str, stage: str,
                   answers: Optional[Mapping[str, Any]] = None) -> List[str]:
    """The form's questions, in order, for what is known so far."""
    questions = questions_by_stage()
    if role == "landlord":
        return ["role", "commune"] + _wanted(questions.get("landlord"), questions, answers)
    if role != "tenant":
        return ["role"]
    per_stage = questions["tenant"]
    extra = per_stage.get(stage) if stage else None
    return ["role", "stage", "commune"] + _wanted(extra, questions, answers)


def _wanted(slots: Optional[List[str]], questions: Dict[str, Any],
            answers: Optional[Mapping[str, Any]]) -> List[str]:
    conditions = questions.get("ask_only_if") or {}
    answers = answers or {}
    return [slot for slot in slots or []
            if slot not in conditions or ASK_ONLY_IF[conditions[slot]](answers)]
