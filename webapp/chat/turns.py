"""Which Rasa process a new conversation goes to: the next in turn, across every worker.

One Rasa process answers one message at a time, so several share the load,
and with the embedded in-memory tracker store a conversation must always go
back to the process that holds it (webapp.chat.conversation keeps the number).

A counter in each gunicorn worker split the conversations evenly per worker
only: with 11 new conversations on one worker and 9 on the other, both
starting on process 0, the processes got 11 and 9, so the first one's queue
was a tenth longer. The turn is therefore one row in the database, taken
with one statement when a conversation starts (not on each message).
"""
from __future__ import annotations

import itertools
import logging

from flask import current_app
from sqlalchemy import BigInteger, Integer, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base, get_session
from webapp.db_direct import direct_connections

log = logging.getLogger(__name__)


class ChatTurn(Base):
    __tablename__ = "chat_turn"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    taken: Mapped[int] = mapped_column(BigInteger)


_TAKE = (update(ChatTurn).where(ChatTurn.id == 1)
         .values(taken=ChatTurn.taken + 1).returning(ChatTurn.taken))
_TAKE_SQL = f"UPDATE {ChatTurn.__tablename__} SET taken = taken + 1 WHERE id = 1 RETURNING taken"


def next_process() -> int:
    """The number of the next conversation's Rasa process (any integer; taken modulo the processes)."""
    direct = direct_connections(current_app)
    try:
        if direct is not None:
            # One autocommit statement (webapp/db_direct.py): through the ORM
            # the turn was a third of the chat page's CPU. A turn lost in a
            # server crash costs nothing.
            taken = direct.scalar(_TAKE_SQL)
        else:
            taken = _take_through_orm()
    except (SQLAlchemyError, *((direct.errors,) if direct else ())) as exc:
        log.warning("chat: shared turn unavailable, this worker's own turn instead: %s", exc)
        taken = None
    if taken is None:
        # When the database cannot answer, a conversation must still start:
        # this worker's own turn.
        taken = next(current_app.extensions.setdefault("chat_turn", itertools.count()))
    return taken


def _take_through_orm() -> int | None:
    db = get_session()
    try:
        taken = db.execute(_TAKE).scalar_one_or_none()
        db.commit()
    except SQLAlchemyError:
        db.rollback()
        raise
    return taken
