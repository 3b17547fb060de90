"""Validator of the triage form: reads each answer, accepts "je ne sais pas"."""
import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from . import dialogue
from .amounts import parse_amount
from .communes import candidates, commune_entity
from .dates import parse_date
from .texts import lang_of, text
from .webapp_api import WebappApi, WebappUnavailable


def today() -> dt.date:
    """The day dates are read against; a seam for tests of "hier"."""
    return dt.date.today()


class ValidateTriageForm(FormValidationAction):
    def __init__(self, api: Optional[WebappApi] = None):
        self._api = api

    @property
    def api(self) -> WebappApi:
        # Built lazily so WEBAPP_API_URL is read when the server runs, not at import.
        return self._api or WebappApi()

    def name(self) -> Text:
        return "validate_triage_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return dialogue.required_slots(tracker.get_slot("role"), tracker.get_slot("stage"))

    # --- helpers -----------------------------------------------------------
    @staticmethod
    def _asked(tracker: Tracker, slot: str) -> bool:
        """True when this message answers the question about ``slot``."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return tracker.get_slot("requested_slot") == slot and intent not in dialogue.INTERRUPTIONS

    @staticmethod
    def _intent(tracker: Tracker) -> Optional[str]:
        return (tracker.latest_message.get("intent") or {}).get("name")

    @staticmethod
    def _text(tracker: Tracker) -> str:
        return (tracker.latest_message.get("text") or "").strip()

    # --- role and stage: set by buttons or intents; re-ask anything else -----
    def extract_role(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "role") or tracker.get_slot("role"):
            return {}
        dispatcher.utter_message(text=text("not_understood_role", lang_of(tracker)))
        return {"role": None}

    def extract_stage(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "stage") or tracker.get_slot("stage"):
            return {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"stage": dialogue.UNKNOWN}
        dispatcher.utter_message(text=text("not_understood_stage", lang_of(tracker)))
        return {"stage": None}

    # --- commune -------------------------------------------------------------
    def extract_commune(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "commune"):
            return {}
        lang = lang_of(tracker)
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"commune": dialogue.UNKNOWN, "commune_name": None}
        query = commune_entity(tracker) or self._text(tracker)
        try:
            found = candidates(query, self.api)
            if not found and query != self._text(tracker):
                found = candidates(self._text(tracker), self.api)
        except WebappUnavailable:
            # Without the site the orientation fails anyway; do not trap the
            # household in a question it cannot get past.
            return {"commune": dialogue.UNKNOWN, "commune_name": None}
        if len(found) == 1:
            dispatcher.utter_message(text=text("commune_confirmed", lang, name=found[0]["name"]))
            return {"commune": found[0]["insee"], "commune_name": found[0]["name"]}
        if not found:
            dispatcher.utter_message(text=text("commune_not_found", lang, query=query[:60]))
            return {"commune": None}
        buttons = [
            {"title": f"{c['name']} ({', '.join(c.get('postcodes') or [])})",
             "payload": '/donner_commune{"commune": "%s"}' % c["name"].replace('"', "")}
            for c in found[:8]
        ]
        dispatcher.utter_message(text=text("commune_choose", lang), buttons=buttons)
        return {"commune": None}

    # --- amount and dates ----------------------------------------------------
    def extract_debt_eur(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "debt_eur"):
            return {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"debt_eur": dialogue.UNKNOWN}
        amount = parse_amount(self._text(tracker), require_currency=False)
        if amount is None:
            dispatcher.utter_message(text=text("not_understood_amount", lang_of(tracker)))
        return {"debt_eur": amount}

    def _extract_date(self, slot: str, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> Dict[Text, Any]:
        if not self._asked(tracker, slot):
            return {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {slot: dialogue.UNKNOWN}
        prefer = "future" if slot in dialogue.FUTURE_DATE_SLOTS else "past"
        parsed = parse_date(self._text(tracker), today(), prefer=prefer)
        if parsed is None:
            dispatcher.utter_message(text=text("not_understood_date", lang_of(tracker)))
            return {slot: None}
        return {slot: parsed.isoformat()}

    def extract_lease_date(self, dispatcher, tracker, domain):
        return self._extract_date("lease_date", dispatcher, tracker)

    def extract_commandement_date(self, dispatcher, tracker, domain):
        return self._extract_date("commandement_date", dispatcher, tracker)

    def extract_hearing_date(self, dispatcher, tracker, domain):
        return self._extract_date("hearing_date", dispatcher, tracker)

    def extract_judgment_served_date(self, dispatcher, tracker, domain):
        return self._extract_date("judgment_served_date", dispatcher, tracker)

    def extract_commandement_de_quitter_date(self, dispatcher, tracker, domain):
        return self._extract_date("commandement_de_quitter_date", dispatcher, tracker)
