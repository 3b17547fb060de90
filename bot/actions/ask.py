"""The form's questions, one action per slot (action_ask_<slot>), in the page's language."""
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .texts import ASK, ASK_BUTTONS, lang_of


class AskSlotAction(Action, ABC):
    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this question fills."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = lang_of(tracker)
        buttons = [{"title": titles.get(lang) or titles["fr"], "payload": payload}
                   for payload, titles in ASK_BUTTONS.get(self.slot, [])]
        dispatcher.utter_message(text=ASK[self.slot].get(lang) or ASK[self.slot]["fr"],
                                 buttons=buttons)
        return []


class ActionAskRole(AskSlotAction):
    slot = "role"


class ActionAskStage(AskSlotAction):
    slot = "stage"


class ActionAskCommune(AskSlotAction):
    slot = "commune"


class ActionAskLeaseDate(AskSlotAction):
    slot = "lease_date"


class ActionAskCommandementDate(AskSlotAction):
    slot = "commandement_date"


class ActionAskHearingDate(AskSlotAction):
    slot = "hearing_date"


class ActionAskJudgmentServedDate(AskSlotAction):
    slot = "judgment_served_date"


class ActionAskCommandementDeQuitterDate(AskSlotAction):
    slot = "commandement_de_quitter_date"


class ActionAskDebtEur(AskSlotAction):
    slot = "debt_eur"
