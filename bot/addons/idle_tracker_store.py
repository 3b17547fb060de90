"""Rasa's in-memory tracker store, with each conversation deleted once idle.

The embedded default (`make run`, the tests, the benchmark) keeps the
conversations in each Rasa process's memory. Rasa's own InMemoryTrackerStore
keeps every one until the process stops: its memory grows with each household
(the bot's processes have a budget of 1.5 GB together), and the household's
words (its debts, its landlord, sometimes a name typed in spite of the advice)
stay as long. This store deletes a conversation once it has had no new event
for CHAT_RETENTION_HOURS, the rule that `flask retention conversations` applies
to Rasa's SQL tracker store in production (docs/retention.md).

A conversation restarted is deleted at once, as the site's "Effacer la
conversation et recommencer" promises: the site sends the old conversation
Rasa's `/restart` command (webapp/chat/conversation.py), the only way in,
since Rasa's HTTP API stays off. Rasa itself would keep the events before
the restart, and only stop reading them.

The site's setting is the one source: the launchers (tools/run_all.sh,
tests/chat/bot_processes.py) pass the site's CHAT_RETENTION_HOURS to Rasa.
A `rasa` command run by hand without it (shell, test) gets DEFAULT_IDLE_HOURS,
the site's default, which tests/chat/test_retention.py holds equal.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Callable, Dict, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

DEFAULT_IDLE_HOURS = 24
# Without new messages nothing else would wake the store: a timer on Rasa's
# event loop deletes what has expired this often, while conversations remain.
SWEEP_INTERVAL_SECONDS = 300.0


class IdleExpiringTrackerStore(InMemoryTrackerStore):
    """InMemoryTrackerStore that forgets a conversation idle for `idle_hours`."""

    def __init__(
        self,
        domain: Domain,
        event_broker: Optional[EventBroker] = None,
        idle_hours: Optional[float] = None,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        if idle_hours is None:
            idle_hours = os.environ.get("CHAT_RETENTION_HOURS") or DEFAULT_IDLE_HOURS
        self.idle_seconds = float(idle_hours) * 3600
        if not self.idle_seconds > 0:
            raise ValueError(f"idle_hours must be positive, not {idle_hours!r}")
        self._clock = clock
        # Conversation id -> when it last changed, oldest first: a save moves
        # its conversation to the end, so expired ones are always at the front
        # and a sweep reads only what it deletes, plus one.
        self._last_saved: Dict[Text, float] = {}
        self._timer: Optional[asyncio.TimerHandle] = None

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._last_saved.pop(tracker.sender_id, None)
        if _restarted_this_turn(tracker):
            self.store.pop(tracker.sender_id, None)
            logger.debug("deleted a restarted conversation")
        else:
            await super().save(tracker)
            self._last_saved[tracker.sender_id] = self._clock()
        self.sweep()
        self._keep_timer()

    def sweep(self) -> int:
        """Delete the conversations idle for longer than idle_seconds; return how many."""
        cutoff = self._clock() - self.idle_seconds
        expired = []
        for sender_id, saved in self._last_saved.items():
            if saved >= cutoff:
                break
            expired.append(sender_id)
        for sender_id in expired:
            del self._last_saved[sender_id]
            self.store.pop(sender_id, None)
        if expired:
            logger.debug("deleted %d idle conversations", len(expired))
        return len(expired)

    def _keep_timer(self) -> None:
        if self._timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(SWEEP_INTERVAL_SECONDS, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self.sweep()
        if self._last_saved:
            self._keep_timer()


def _restarted_this_turn(tracker: DialogueStateTracker) -> bool:
    """True when the events since the household's last message include a restart.

    Only those are read: a save comes at the end of each message, so an
    earlier restart was seen by an earlier save.
    """
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return True
        if isinstance(event, UserUttered):
            return False
    return False
