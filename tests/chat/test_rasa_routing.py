"""Several Rasa processes: each conversation always reaches the same one.

With the embedded in-memory tracker store a conversation exists in one Rasa
process only, so the site must never send its next message elsewhere.
"""
from __future__ import annotations

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app
from webapp.chat.rasa_client import rasa_url_for


def test_one_url_is_always_that_url():
    assert rasa_url_for("abc", "http://127.0.0.1:5005/") == "http://127.0.0.1:5005"


def test_same_conversation_same_process_and_both_processes_used():
    urls = "http://127.0.0.1:5005, http://127.0.0.1:5006"
    picks = {rasa_url_for(f"conversation-{n}", urls) for n in range(200)}
    assert picks == {"http://127.0.0.1:5005", "http://127.0.0.1:5006"}
    assert len({rasa_url_for("conversation-7", urls) for _ in range(20)}) == 1


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
    # Random ids: all 20 on one server would happen about once in 500,000 runs.
    assert senders[0] and senders[1]


def test_empty_setting_gives_the_calm_fallback_page(tmp_path):
    client = make_test_app(tmp_path, RASA_URL=" , ").test_client()
    response = client.post("/chat", data={"message": "bonjour"})
    assert response.status_code == 200
    assert "L'assistant ne répond pas pour le moment" in response.get_data(as_text=True)
