"""Several Rasa processes: each conversation always reaches the same one.

With the embedded in-memory tracker store a conversation exists in one Rasa
process only, so the site must never send its next message elsewhere.
"""
from __future__ import annotations

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app
from webapp.chat.rasa_client import rasa_url_for
from webapp.chat.turns import next_process


def test_one_url_is_always_that_url():
    assert rasa_url_for(7, "http://127.0.0.1:5005/") == "http://127.0.0.1:5005"


def test_new_conversations_take_the_processes_in_turn(tmp_path):
    urls = "http://127.0.0.1:5005, http://127.0.0.1:5006"
    with make_test_app(tmp_path).app_context():
        picks = [rasa_url_for(next_process(), urls) for _ in range(20)]
    assert picks.count("http://127.0.0.1:5005") == picks.count("http://127.0.0.1:5006") == 10
    assert all(a != b for a, b in zip(picks, picks[1:]))


def test_the_turn_is_shared_by_every_worker(tmp_path, database_url):
    """Two apps on one database stand for two gunicorn workers. With 11 new
    conversations on one and 9 on the other, a turn per worker gave 11 and 9;
    the shared turn gives 10 and 10."""
    with FakeRasa() as first, FakeRasa() as second:
        workers = [make_test_app(tmp_path, DATABASE_URL=database_url, RASA_URL=f"{first.url},{second.url}")
                   for _ in range(2)]
        for number in range(20):
            worker = workers[0] if number < 11 else workers[1]
            assert worker.test_client().post("/chat", data={"message": "bonjour"}).status_code == 303
    assert len(first.received) == len(second.received) == 10


def test_a_database_without_the_turn_still_starts_conversations(tmp_path, caplog, database_url):
    import sqlalchemy as sa

    with FakeRasa() as rasa:
        app = make_test_app(tmp_path, DATABASE_URL=database_url, RASA_URL=rasa.url)
        with app.extensions["db_engine"].begin() as conn:
            conn.execute(sa.text("drop table chat_turn"))
        response = app.test_client().post("/chat", data={"message": "bonjour"})
    assert response.status_code == 303 and len(rasa.received) == 1
    assert "shared turn unavailable" in caplog.text


def test_site_keeps_each_conversation_on_one_rasa(tmp_path):
    with FakeRasa() as first, FakeRasa() as second:
        app = make_test_app(tmp_path, RASA_URL=f"{first.url},{second.url}")
        clients = [app.test_client() for _ in range(20)]
        for round_number in range(3):
            for client in clients:
                assert client.post("/chat", data={"message": f"message {round_number}"}).status_code == 303
        senders = [{m["sender"] for m in server.received} for server in (first, second)]
    # Every conversation sent its three messages to one server, never to both.
    assert not senders[0] & senders[1]
    assert len(senders[0] | senders[1]) == 20
    # Shared evenly: a hash of random ids puts 13 or more on one server one time in four.
    assert len(senders[0]) == len(senders[1]) == 10


def test_conversation_keeps_its_process_while_others_start(tmp_path):
    """The choice is kept in the session, not recomputed: a reload changes nothing."""
    with FakeRasa() as first, FakeRasa() as second:
        app = make_test_app(tmp_path, RASA_URL=f"{first.url},{second.url}")
        client = app.test_client()
        client.post("/chat", data={"message": "un"})
        for _ in range(3):
            # Other households start conversations in between.
            app.test_client().post("/chat", data={"message": "autre"})
            client.get("/chat")
            client.post("/chat", data={"message": "encore"})
        mine = [server for server in (first, second)
                if any(m["message"] == "un" for m in server.received)]
    assert len(mine) == 1
    assert [m["message"] for m in mine[0].received if m["message"] in ("un", "encore")] == \
        ["un", "encore", "encore", "encore"]


def test_empty_setting_gives_the_calm_fallback_page(tmp_path):
    client = make_test_app(tmp_path, RASA_URL=" , ").test_client()
    response = client.post("/chat", data={"message": "bonjour"})
    assert response.status_code == 200
    assert "L'assistant ne répond pas pour le moment" in response.get_data(as_text=True)
