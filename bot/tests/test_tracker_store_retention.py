"""What the site's retention rule (webapp/chat/retention.py) reads in Rasa's SQL tracker store.

The site never imports Rasa: it deletes, with plain SQL, the rows of table
`events` whose conversation (`sender_id`) has no event newer than the
cut-off (`timestamp`, seconds since the epoch). This test writes a real
conversation through Rasa 3.6.21's SQLTrackerStore and checks that reading,
and that Rasa then finds nothing left of it.
"""
import asyncio
import sqlite3
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

# The statements of webapp/chat/retention.py, as the site runs them.
IDLE = "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?"
DELETE = "DELETE FROM events WHERE sender_id IN (?)"


def test_the_site_reads_each_conversations_last_event_and_deletes_it_whole(tmp_path):
    database = tmp_path / "rasa.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(database))
    now = time.time()
    events = [ActionExecuted("action_listen", timestamp=now - 7200),
              UserUttered("je dois 2000e a mon proprio", timestamp=now - 3600)]
    asyncio.run(store.save(DialogueStateTracker.from_events("household", events)))

    with sqlite3.connect(database) as connection:
        columns = {row[1]: row[2] for row in connection.execute("PRAGMA table_info(events)")}
        assert columns["sender_id"].startswith("VARCHAR") and columns["timestamp"] == "FLOAT"
        stamps = [row[0] for row in connection.execute("SELECT timestamp FROM events WHERE sender_id = 'household'")]
        assert max(stamps) == now - 3600
        assert connection.execute(IDLE, (now - 3601,)).fetchall() == []
        assert connection.execute(IDLE, (now - 3599,)).fetchall() == [("household",)]
        connection.execute(DELETE, ("household",))

    found = asyncio.run(SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(database)).retrieve("household"))
    assert found is None or not found.events
