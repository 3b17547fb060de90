"""What the action tests share: the domain, a tracker as the action server receives it, a run."""
import asyncio
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

BOT_DIR = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))


def tracker(text="", intent="donner_date", slots=None, metadata=None, entities=None,
            requested_slot=None, active_loop="triage_form", events=None):
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update({"lang": "fr", "requested_slot": requested_slot})
    all_slots.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "entities": entities or [], "metadata": metadata or {}}
    return Tracker("test", all_slots, latest, events or [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, tr):
    """The messages the action sends and the events it returns."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return dispatcher.messages, events


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
