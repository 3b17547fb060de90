"""Start of a conversation session: Rasa's default, plus the helplines' numbers."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import helplines


def _undo_till(events: List[Dict[str, Any]], event_type: str) -> None:
    """Drop events from the end up to and including the latest ``event_type``."""
    while events:
        if events.pop().get("event") == event_type:
            break


def applied_events(tracker: Tracker) -> List[Dict[str, Any]]:
    """The events of the current session, as Rasa's tracker applies them.

    Rasa's ``DialogueStateTracker.applied_events`` starts again at a restart
    and at a session start; rasa_sdk's own version does not stop at the latter.
    """
    applied: List[Dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind in ("restart", "session_started"):
            applied = []
        elif kind == "undo":
            _undo_till(applied, "action")
        elif kind == "rewind":
            _undo_till(applied, "user")
            _undo_till(applied, "action")
        else:
            applied.append(event)
    return applied


def carried_over_slots(tracker: Tracker) -> List[Dict[str, Any]]:
    """Every SlotSet of the ending session, with its metadata, as Rasa's default repeats them."""
    carried = []
    for event in applied_events(tracker):
        if event.get("event") != "slot":
            continue
        slot_set: Dict[str, Any] = {"event": "slot", "timestamp": None,
                                    "name": event.get("name"), "value": event.get("value")}
        if event.get("metadata"):
            slot_set["metadata"] = event["metadata"]
        carried.append(slot_set)
    return carried


class ActionSessionStart(Action):
    """Rasa's action_session_start (slots carried over, then listen), with the
    helplines' numbers read from the site's directory once for the session."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        events: List[Dict[Text, Any]] = [SessionStarted()]
        # The same setting and the same default as Rasa's own action.
        session_config = domain.get("session_config") or {}
        if session_config.get("carry_over_slots_to_new_session", True):
            events.extend(carried_over_slots(tracker))
        # After the carried-over values, so today's numbers replace last session's.
        events.extend(await helplines.slot_events())
        events.append(ActionExecuted("action_listen"))
        return events
