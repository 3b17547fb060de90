"""The assistant's conversations in Rasa's SQL tracker store are deleted once idle for CHAT_RETENTION_HOURS.

The in-memory store deletes them itself (bot/tests/test_idle_tracker_store.py); the site
has it delete a conversation restarted on the chat page.
"""
from __future__ import annotations

import ast
import time

import sqlalchemy as sa

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app
from webapp.chat.retention import purge_conversations
from webapp.config import ROOT, Config

HOUR = 3600
# Rasa 3.6.21's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent);
# bot/tests/test_tracker_store_retention.py checks it against Rasa itself.
_METADATA = sa.MetaData()
EVENTS = sa.Table(
    "events", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def _store(url: str, now: float) -> None:
    """Three conversations: idle 30 hours; idle 1 hour; begun 40 hours ago and still going 2 hours ago."""
    engine = sa.create_engine(url)
    _METADATA.create_all(engine)
    rows = [("old", now - 31 * HOUR), ("old", now - 30 * HOUR),
            ("recent", now - 1 * HOUR),
            ("long", now - 40 * HOUR), ("long", now - 2 * HOUR)]
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), [
            {"sender_id": sender, "type_name": "user", "timestamp": stamp,
             "data": '{"text": "je dois 2000e a mon proprio"}'} for sender, stamp in rows])
    engine.dispose()


def _senders(url: str) -> list[tuple[str, int]]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(sa.select(EVENTS.c.sender_id, sa.func.count())
                                   .group_by(EVENTS.c.sender_id).order_by(EVENTS.c.sender_id)).all()
    engine.dispose()
    return [tuple(row) for row in found]


def test_only_conversations_idle_longer_than_the_delay_are_deleted(database_url):
    now = time.time()
    _store(database_url, now)
    assert purge_conversations(database_url, 24, now=now) == 1
    # A conversation begun long ago keeps all its events while it goes on.
    assert _senders(database_url) == [("long", 2), ("recent", 1)]
    assert purge_conversations(database_url, 24, now=now) == 0
    # Exactly 24 hours idle is not more than 24 hours.
    assert purge_conversations(database_url, 24, now=now + 23 * HOUR) == 1
    assert purge_conversations(database_url, 24, now=now + 23 * HOUR + 1) == 1
    assert _senders(database_url) == []


def test_a_store_rasa_has_not_written_to_yet_has_nothing_to_delete(tmp_path):
    assert purge_conversations(f"sqlite:///{tmp_path / 'empty.sqlite3'}", 24) == 0


def test_the_command_runs_with_the_other_retention_rules(tmp_path):
    url = f"sqlite:///{tmp_path / 'rasa.sqlite3'}"
    _store(url, time.time())
    runner = make_test_app(tmp_path, RASA_TRACKER_DB_URL=url, CHAT_RETENTION_HOURS=12).test_cli_runner()
    result = runner.invoke(args=["retention", "conversations"])
    assert result.exit_code == 0 and "deleted 1 conversations" in result.output
    result = runner.invoke(args=["retention", "all"])
    assert result.exit_code == 0
    assert "deleted 0 conversations" in result.output and "anonymised 0 cases" in result.output
    assert _senders(url) == [("long", 2), ("recent", 1)]


def test_without_a_tracker_store_database_the_command_says_who_deletes_them(tmp_path):
    result = make_test_app(tmp_path).test_cli_runner().invoke(args=["retention", "conversations"])
    assert result.exit_code == 0 and "in-memory tracker store deletes" in result.output


def test_the_in_memory_stores_default_delay_is_the_sites():
    # The bot's environment cannot import the site: its store keeps the same
    # default for `rasa` commands run by hand, and the launchers pass the
    # site's setting (tests/chat/bot_processes.py, tools/run_all.sh).
    source = (ROOT / "bot" / "addons" / "idle_tracker_store.py").read_text(encoding="utf-8")
    defaults = [node.value.value for node in ast.parse(source).body
                if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["DEFAULT_IDLE_HOURS"]]
    assert defaults == [Config.CHAT_RETENTION_HOURS]


def test_the_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RASA_TRACKER_DB_URL", "postgresql+psycopg://rasa@/rasa")
    monkeypatch.setenv("CHAT_RETENTION_HOURS", "6")
    app = make_test_app(tmp_path)
    assert app.config["RASA_TRACKER_DB_URL"] == "postgresql+psycopg://rasa@/rasa"
    assert app.config["CHAT_RETENTION_HOURS"] == 6


def test_the_chat_page_says_how_long_messages_are_kept(tmp_path):
    client = make_test_app(tmp_path, RASA_TRACKER_DB_URL=f"sqlite:///{tmp_path / 'rasa.sqlite3'}",
                           CHAT_RETENTION_HOURS=24).test_client()
    assert "Vos messages sont effacés après 24 h sans nouveau message." in client.get("/chat").get_data(as_text=True)
    english = client.get("/chat", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your messages are deleted after 24 hours without a new message." in english


def test_with_the_in_memory_store_the_page_says_the_same_delay_in_the_right_number(tmp_path):
    # The embedded store deletes idle conversations too (bot/addons/idle_tracker_store.py).
    client = make_test_app(tmp_path, CHAT_RETENTION_HOURS=1).test_client()
    assert "Vos messages sont effacés après 1 h sans nouveau message." in client.get("/chat").get_data(as_text=True)
    english = client.get("/chat", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your messages are deleted after 1 hour without a new message." in english


def _chat_id(client) -> str:
    assert client.get("/chat").status_code == 200
    with client.session_transaction() as session:
        return session["chat"]["id"]


def test_restarting_deletes_the_conversation_from_rasas_store_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'rasa.sqlite3'}"
    _store(url, time.time())
    client = make_test_app(tmp_path, RASA_TRACKER_DB_URL=url).test_client()
    mine = _chat_id(client)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), [{"sender_id": mine, "type_name": "user", "timestamp": time.time(),
                                              "data": '{"text": "bonjour"}'}] * 3)
    engine.dispose()
    assert client.post("/chat/recommencer").status_code == 303
    assert _senders(url) == [("long", 2), ("old", 2), ("recent", 1)]
    assert _chat_id(client) != mine


def test_restarting_with_the_store_unreachable_still_restarts(tmp_path, caplog):
    from tests.chat.bot_processes import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/rasa"
    client = make_test_app(tmp_path, RASA_TRACKER_DB_URL=url).test_client()
    mine = _chat_id(client)
    assert client.post("/chat/recommencer").status_code == 303
    assert _chat_id(client) != mine
    assert "not deleted from Rasa's store" in caplog.text


def test_restarting_has_rasas_memory_delete_the_conversation(tmp_path):
    """With the embedded in-memory store, the old conversation's own Rasa process gets Rasa's restart command.

    bot/tests/test_idle_tracker_store.py shows Rasa then deleting it.
    """
    with FakeRasa() as first, FakeRasa() as second:
        client = make_test_app(tmp_path, RASA_URL=f"{first.url},{second.url}").test_client()
        client.post("/chat/api/message", json={"message": "bonjour"})
        mine = _chat_id(client)
        holder = first if first.received else second
        other = second if holder is first else first
        assert client.post("/chat/recommencer", headers={"Accept-Language": "en"}).status_code == 303
        assert holder.received[-1] == {"sender": mine, "message": "/restart", "metadata": {"lang": "en"}}
        assert len(holder.received) == 2 and not other.received
    assert _chat_id(client) != mine


def test_restarting_a_conversation_that_sent_nothing_does_not_call_rasa(tmp_path):
    with FakeRasa() as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        _chat_id(client)
        assert client.post("/chat/recommencer").status_code == 303
    assert rasa.received == []


def test_with_the_sql_store_restarting_deletes_through_the_database_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'rasa.sqlite3'}"
    _store(url, time.time())
    with FakeRasa() as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url, RASA_TRACKER_DB_URL=url).test_client()
        client.post("/chat/api/message", json={"message": "bonjour"})
        assert client.post("/chat/recommencer").status_code == 303
    assert [body["message"] for body in rasa.received] == ["bonjour"]


def test_restarting_with_rasa_down_still_restarts(tmp_path, caplog):
    from tests.chat.bot_processes import free_port

    port = free_port()
    client = make_test_app(tmp_path, RASA_URL=f"http://127.0.0.1:{port}", RASA_TIMEOUT=2.0).test_client()
    with FakeRasa(port=port):
        client.post("/chat/api/message", json={"message": "bonjour"})
    mine = _chat_id(client)
    assert client.post("/chat/recommencer").status_code == 303
    assert _chat_id(client) != mine
    assert "not deleted from Rasa's memory" in caplog.text
