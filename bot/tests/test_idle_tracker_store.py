"""The embedded tracker store forgets a conversation idle for CHAT_RETENTION_HOURS (addons/idle_tracker_store.py)."""
import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import AwaitableTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from addons import idle_tracker_store
from addons.idle_tracker_store import IdleExpiringTrackerStore

BOT_DIR = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _say(store, sender_id, text="je dois 2000e a mon proprio"):
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, [UserUttered(text)])))


def _held(store, sender_id):
    return asyncio.run(store.retrieve(sender_id)) is not None


def test_a_conversation_idle_longer_than_the_delay_is_deleted_and_one_still_going_is_kept():
    clock = Clock()
    store = IdleExpiringTrackerStore(Domain.empty(), idle_hours=24, clock=clock)
    # "going" began first: its later message must move it behind "idle".
    _say(store, "going")
    _say(store, "idle")
    clock.now += 20 * 3600
    _say(store, "going", "et mon bailleur ne repond pas")
    clock.now += 4 * 3600 + 1
    assert store.sweep() == 1
    assert not _held(store, "idle")
    assert _held(store, "going")
    assert list(store.store) == ["going"]


def test_exactly_the_delay_idle_is_kept_and_a_new_message_deletes_what_expired():
    clock = Clock()
    store = IdleExpiringTrackerStore(Domain.empty(), idle_hours=2, clock=clock)
    _say(store, "first")
    clock.now += 2 * 3600
    assert store.sweep() == 0 and _held(store, "first")
    clock.now += 1
    # No sweep called: saving another household's message is enough.
    _say(store, "second")
    assert not _held(store, "first") and _held(store, "second")


def test_a_timer_on_the_event_loop_deletes_idle_conversations_without_new_messages(monkeypatch):
    monkeypatch.setattr(idle_tracker_store, "SWEEP_INTERVAL_SECONDS", 0.05)
    clock = Clock()
    store = IdleExpiringTrackerStore(Domain.empty(), idle_hours=1, clock=clock)

    async def scenario():
        await store.save(DialogueStateTracker.from_events("quiet", [UserUttered("bonjour")]))
        clock.now += 3601
        await asyncio.sleep(0.2)
        return dict(store.store)

    assert asyncio.run(scenario()) == {}


def test_the_delay_comes_from_chat_retention_hours_then_the_sites_default(monkeypatch):
    monkeypatch.setenv("CHAT_RETENTION_HOURS", "6")
    assert IdleExpiringTrackerStore(Domain.empty()).idle_seconds == 6 * 3600
    monkeypatch.delenv("CHAT_RETENTION_HOURS")
    assert IdleExpiringTrackerStore(Domain.empty()).idle_seconds == 24 * 3600
    with pytest.raises(ValueError):
        IdleExpiringTrackerStore(Domain.empty(), idle_hours=0)


def test_rasa_loads_this_store_from_the_projects_endpoints(monkeypatch):
    # Rasa falls back to its own in-memory store, with only a warning, when
    # the module path cannot be imported: check what it really built.
    monkeypatch.chdir(BOT_DIR)
    monkeypatch.setenv("CHAT_RETENTION_HOURS", "3")
    config = read_endpoint_config(str(BOT_DIR / "endpoints.yml"), "tracker_store")
    store = AwaitableTrackerStore.create(config, Domain.empty())
    assert isinstance(store._tracker_store, IdleExpiringTrackerStore)
    assert store._tracker_store.idle_seconds == 3 * 3600
