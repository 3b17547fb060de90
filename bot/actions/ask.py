"""The form's questions, one action per slot (action_ask_<slot>), in the page's language."""
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .texts import lang_of, question


class AskSlotAction(Action, ABC):
    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this question fills."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        wording, buttons = question(self.slot, tracker.get_slot("role"), lang_of(tracker))
        dispatcher.utter_message(text=wording, buttons=buttons)
        return []


class ActionAskRole(AskSlotAction):
    slot = "role"


class ActionAskStage(AskSlotAction):
    slot = "stage"


class ActionAskCommune(AskSlotAction):
    slot = "commune"


class ActionAskLandlordKind(AskSlotAction):
    slot = "landlord_kind"


class ActionAskResumedRent(AskSlotAction):
    slot = "resumed_rent"


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


class ActionAskMonthlyIncomeEur(AskSlotAction):
    slot = "monthly_income_eur"


class ActionAskHouseholdSize(AskSlotAction):
    slot = "household_size"


class ActionAskHousingBenefit(AskSlotAction):
    slot = "housing_benefit"


class ActionAskPrivateSectorEmployee(AskSlotAction):
    slot = "private_sector_employee"


class ActionAskDebts(AskSlotAction):
    slot = "debts"
