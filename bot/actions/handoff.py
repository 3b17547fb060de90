"""Hand-off to a person: on request, after two fallbacks in a row, and first when an eviction is scheduled."""
import re
from typing import Any, Dict, List, Mapping, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import answers
from .helplines import calls, say
from .texts import REFERRAL_URL, lang_of, text

FALLBACK_INTENTS = frozenset({"nlu_fallback", "hors_sujet"})


def offer_handoff(dispatcher: CollectingDispatcher, lang: str, helpline_calls: Mapping[str, str]) -> None:
    dispatcher.utter_message(text=say("handoff", lang, helpline_calls))
    dispatcher.utter_message(json_message={
        "kind": "handoff",
        "links": [{"title": text("button_referral", lang), "url": REFERRAL_URL}],
    })


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood, this one included.

    Called from the fallback action, so the latest message is a miss. An
    earlier one was a miss when its intent was a fallback intent, or when
    the fallback action answered it: a message understood but out of place
    (an amount after the answer) reaches the action as Rasa's core fallback.
    """
    count, answered_by_fallback = 0, False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "action" and event.get("name") == "action_handle_fallback":
            answered_by_fallback = True
        if kind != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if count > 0 and intent not in FALLBACK_INTENTS and not answered_by_fallback:
            break
        count, answered_by_fallback = count + 1, False
    return count


class ActionOfferHandoff(Action):
    def name(self) -> Text:
        return "action_offer_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = lang_of(tracker)
        offer_handoff(dispatcher, lang, calls(tracker, lang))
        return []


class ActionHandleFallback(Action):
    """Say what the assistant can do; the second miss in a row offers a person."""

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = lang_of(tracker)
        if consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(text=text("fallback_twice", lang))
            offer_handoff(dispatcher, lang, calls(tracker, lang))
        else:
            dispatcher.utter_message(text=text("default", lang))
        # Then wait for the household. As Rasa's core fallback (a message no
        # rule or story covers, e.g. an amount typed after the answer) nothing
        # else would predict the listen: the action ran again and again until
        # Rasa's circuit breaker, ten "I did not understand", and the
        # conversation answered nothing after that.
        return [FollowupAction("action_listen")]


class ActionUrgentExpulsion(Action):
    """The urgent answer to an eviction already scheduled, before the questions.

    An action rather than a domain response: it names two helplines, and
    when neither has a number in the directory the response sent the
    household to the contacts page twice in one sentence; `say` does it once.
    """

    def name(self) -> Text:
        return "action_urgent_expulsion"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = lang_of(tracker)
        dispatcher.utter_message(text=say("urgent_expulsion", lang, calls(tracker, lang)))
        if _ASKS_ABOUT_TRUCE.search(answers.fold(tracker.latest_message.get("text") or "")):
            # "ils viennent demain, c'est quoi la trêve ?": the urgent intent
            # wins, and the question asked with it still gets its answer.
            dispatcher.utter_message(response="utter_treve_hivernale")
        return []


_ASKS_ABOUT_TRUCE = re.compile(r"\b(treve|trve|treves|truce|winter break)\b")
