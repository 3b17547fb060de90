"""What the form needs to know about the conversation itself."""
from pathlib import Path
from typing import Dict, List

import yaml

UNKNOWN = "unknown"

# Intents that answer a question in the middle of the form; the form must
# not read them as a slot value, so that the interruption rules can run.
INTERRUPTIONS = frozenset({
    "question_treve_hivernale", "question_apl", "question_surendettement",
    "demander_aide_financiere", "demander_aide_juridique",
    "demander_travailleur_social", "demander_humain", "arreter", "saluer",
    "expulsion_illegale", "expulsion_imminente",
})
DONT_KNOW = frozenset({"ne_sais_pas", "nier"})
DATE_SLOTS = ("lease_date", "commandement_date", "hearing_date",
              "judgment_served_date", "commandement_de_quitter_date")
# A hearing is ahead of the household; every other date is already behind it.
FUTURE_DATE_SLOTS = frozenset({"hearing_date"})

_QUESTIONS_FILE = Path(__file__).with_name("questions_by_stage.yml")


def questions_by_stage() -> Dict[str, object]:
    with _QUESTIONS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def required_slots(role: str, stage: str) -> List[str]:
    """The form's questions, in order, for what is known so far."""
    questions = questions_by_stage()
    if role == "landlord":
        return ["role", "commune"] + list(questions.get("landlord") or [])
    if role != "tenant":
        return ["role"]
    per_stage = questions["tenant"]
    extra = per_stage.get(stage) if stage else None
    return ["role", "stage", "commune"] + list(extra or [])
