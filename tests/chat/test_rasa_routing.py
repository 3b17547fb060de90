"""Several Rasa processes: each conversation always reaches the same one.

With the embedded in-memory tracker store a conversation exists in one Rasa
process only, so the site must never send its next message elsewhere.
"""
from __future__ import annotations

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app
from webapp.chat.rasa_client import next_process, rasa_url_for


def test_one_url_is_always_that_url():
    assert rasa_url_for(next_process(), "http://127.0.0.1:5005/") == "http://127.0.0.1:5005"


def test_new_conversations_take_the_processes_in_turn():
    urls = "http://127.0.0.1:5005, http://127.0.0.1:5006"
    picks = [rasa_url_for(next_process(), urls) for _ in range(20)]
    assert picks.count("http://127.0.0.1:5005") == picks.count("http://127.0.0.1:5006") == 10
    assert all(a != b for a, b in zip(picks, picks[1:]))


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
