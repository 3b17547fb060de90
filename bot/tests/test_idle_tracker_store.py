"""The embedded tracker store forgets a conversation idle for CHAT_RETENTION_HOURS (addons/idle_tracker_store.py)."""
import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import AwaitableTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from addons import idle_tracker_store
from addons.idle_tracker_store import IdleExpiringTrackerStore

BOT_DIR = Path(__file__).resolve().parent.parent
MODEL = BOT_DIR / "models" / "rester-chez-soi.tar.gz"


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


def _restart_turn():
    # What Rasa 3.6.21 logs for the site's "/restart" (see the model test below).
    return [UserUttered("/restart", {"name": "restart", "confidence": 1.0}),
            ActionExecuted("action_restart"), Restarted(),
            ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def test_a_restarted_conversation_is_deleted_at_once_and_the_others_kept():
    store = IdleExpiringTrackerStore(Domain.empty(), idle_hours=24, clock=Clock())
    _say(store, "restarted")
    _say(store, "other")
    events = [UserUttered("je dois 2000e a mon proprio"), ActionExecuted("action_listen"), *_restart_turn()]
    asyncio.run(store.save(DialogueStateTracker.from_events("restarted", events)))
    assert not _held(store, "restarted")
    assert list(store.store) == ["other"] and list(store._last_saved) == ["other"]


def test_a_restart_in_an_earlier_turn_does_not_delete_the_next_messages():
    # Only the site sends "/restart", and then never writes to that id again;
    # should anything else, its new messages are kept like any other.
    store = IdleExpiringTrackerStore(Domain.empty(), idle_hours=24, clock=Clock())
    events = [*_restart_turn(), UserUttered("bonjour"), ActionExecuted("action_listen")]
    asyncio.run(store.save(DialogueStateTracker.from_events("again", events)))
    assert _held(store, "again")


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (bot/scripts/train.sh)")
def test_rasa_itself_has_the_store_delete_a_conversation_the_site_restarts():
    """The trained model, Rasa's own message processor, the command the site sends (webapp/chat/rasa_client.py).

    No action server: Rasa warns that its slot-filling action cannot run,
    which a greeting and a restart do not need. The main suite sends the
    command through the site to the whole bot (tests/chat/test_chat_with_bot.py).
    """
    from rasa.core.agent import Agent

    async def scenario():
        agent = Agent.load(str(MODEL))
        store = IdleExpiringTrackerStore(agent.domain, idle_hours=24)
        agent.processor.tracker_store = store
        for sender_id in ("household", "neighbour"):
            assert await agent.handle_text("bonjour", sender_id=sender_id)
        held = sorted(store.store)
        # Rasa alone keeps every event before a restart, read or not.
        rasas_own = InMemoryTrackerStore(agent.domain)
        await rasas_own.save(store.deserialise_tracker("household", store.store["household"]))
        agent.processor.tracker_store = rasas_own
        await agent.handle_text("/restart", sender_id="household")
        kept_by_rasa = await rasas_own.retrieve_full_tracker("household")
        agent.processor.tracker_store = store
        await agent.handle_text("/restart", sender_id="household")
        return held, sorted(store.store), kept_by_rasa

    held, after, kept_by_rasa = asyncio.run(scenario())
    assert held == ["household", "neighbour"]
    assert after == ["neighbour"]
    assert any(isinstance(e, UserUttered) and e.text == "bonjour" for e in kept_by_rasa.events)
