"""How long the assistant's conversations are kept in Rasa's tracker store.

Every event Rasa stores carries the household's own words: its debts, its
landlord, sometimes a name or an address typed in spite of the assistant's
advice. The site needs them only while the conversation goes on: the triage
answers that the referral form and the detailed-situation page use are
copied into the household's session (webapp/chat/conversation.py), which
expires after SESSION_LIFETIME_MINUTES. Rasa's in-memory store, the embedded
default, forgets them when Rasa stops; its SQL tracker store, which
production uses (README), would keep them for ever. So a conversation is
deleted CHAT_RETENTION_HOURS after its last event (`flask retention
conversations`, in `flask retention all`), and at once when the household
presses "Effacer la conversation et recommencer" (`forget_conversation`).

The table is Rasa 3.6.21's SQLTrackerStore `events`: one row per event,
`sender_id` the conversation, `timestamp` in seconds since the epoch. The
site never imports Rasa; bot/tests/test_tracker_store_retention.py checks
this reading against Rasa's own store.
"""
from __future__ import annotations

import contextlib
import time

from sqlalchemy import bindparam, create_engine, inspect, text

TABLE = "events"
# Conversations whose most recent event is older than the cut-off.
_IDLE = text(f"SELECT sender_id FROM {TABLE} GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
_DELETE = text(f"DELETE FROM {TABLE} WHERE sender_id IN :senders").bindparams(
    bindparam("senders", expanding=True))
# Senders deleted per statement: a long list in one IN (...) is slow to plan.
BATCH = 500


@contextlib.contextmanager
def _store(database_url: str):
    """A transaction on Rasa's store, or None while Rasa has not created its table."""
    engine = create_engine(database_url)
    try:
        if not inspect(engine).has_table(TABLE):
            yield None
            return
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def purge_conversations(database_url: str, hours: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is more than `hours` old; return how many."""
    cutoff = (time.time() if now is None else now) - hours * 3600
    with _store(database_url) as connection:
        if connection is None:
            return 0
        senders = connection.execute(_IDLE, {"cutoff": cutoff}).scalars().all()
        for start in range(0, len(senders), BATCH):
            connection.execute(_DELETE, {"senders": senders[start:start + BATCH]})
        return len(senders)


def forget_conversation(database_url: str, sender_id: str) -> int:
    """Delete one conversation's events now; return how many rows went."""
    with _store(database_url) as connection:
        if connection is None:
            return 0
        return connection.execute(_DELETE, {"senders": [sender_id]}).rowcount
