"""Slots read from every message, inside or outside the form."""
from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from .amounts import parse_amount
from .communes import resolve_commune_entity
from .texts import lang_of


class ValidateSlotMappings(ValidationAction):
    """Keep the page language, and catch facts told before they are asked."""

    def extract_lang(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        lang = lang_of(tracker)
        return {} if lang == tracker.get_slot("lang") else {"lang": lang}

    def extract_debt_eur(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        # "jai recu un papier de l'huissier je dois 2000e": keep the 2000 so the
        # form does not ask again. The form reads answers to its own question.
        if tracker.get_slot("requested_slot") == "debt_eur":
            return {}
        amount = parse_amount(tracker.latest_message.get("text") or "", require_currency=True)
        return {"debt_eur": amount} if amount is not None else {}

    def extract_commune(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        if tracker.active_loop.get("name") or tracker.get_slot("commune"):
            return {}
        return resolve_commune_entity(tracker)
