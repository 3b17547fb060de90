"""The site's HTTP client to Rasa: kept connections, a Rasa restart, a slow Rasa, a bad setting."""
from __future__ import annotations

import time

from tests.chat.bot_processes import free_port
from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app

FALLBACK = "L'assistant ne répond pas pour le moment"


def test_messages_reuse_one_kept_connection(tmp_path):
    with FakeRasa(keep_alive=True) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        for n in range(5):
            assert client.post("/chat/api/message", json={"message": f"m{n}"}).status_code == 200
    assert len(rasa.received) == 5
    assert len(set(rasa.peers)) == 1


def test_a_restarted_rasa_is_reached_on_a_new_connection(tmp_path):
    """Rasa restarted (or closed the idle connection): the next message goes through, no error page."""
    port = free_port()
    app = make_test_app(tmp_path, RASA_URL=f"http://127.0.0.1:{port}")
    client = app.test_client()
    with FakeRasa(port=port, keep_alive=True, reply=[{"text": "avant"}]):
        assert client.post("/chat/api/message", json={"message": "un"}).json["messages"][-1]["text"] == "avant"
    with FakeRasa(port=port, keep_alive=True, reply=[{"text": "après"}]) as restarted:
        response = client.post("/chat/api/message", json={"message": "deux"})
    assert response.status_code == 200 and response.json["messages"][-1]["text"] == "après"
    assert [m["message"] for m in restarted.received] == ["deux"]


def test_a_slow_rasa_gives_the_calm_page_within_the_timeout_then_recovers(tmp_path):
    with FakeRasa(keep_alive=True, delay=3.0) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url, RASA_TIMEOUT=0.5).test_client()
        started = time.monotonic()
        response = client.post("/chat", data={"message": "bonjour"})
        assert time.monotonic() - started < 2.5
        assert response.status_code == 200 and FALLBACK in response.get_data(as_text=True)
        rasa.delay = 0.0
        assert client.post("/chat/api/message", json={"message": "re"}).status_code == 200


def test_a_malformed_setting_gives_the_calm_page(tmp_path):
    for setting in ("127.0.0.1:5005", "http://127.0.0.1:port", "ftp://127.0.0.1:21"):
        client = make_test_app(tmp_path, RASA_URL=setting).test_client()
        response = client.post("/chat", data={"message": "bonjour"})
        assert response.status_code == 200, setting
        assert FALLBACK in response.get_data(as_text=True), setting
