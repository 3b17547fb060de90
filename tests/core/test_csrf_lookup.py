"""CSRF on the chat: the token is looked for in the headers first (webapp/extensions.py).

The widget sends its token in X-CSRFToken with a JSON body; the page without
JavaScript sends it as a form field. Both are checked, and a message without a
valid token never reaches Rasa.
"""
from __future__ import annotations

import re

import pytest

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app


@pytest.fixture
def chat(tmp_path):
    with FakeRasa(reply=[{"text": "Bonjour."}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url, WTF_CSRF_ENABLED=True).test_client()
        page = client.get("/chat").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        yield client, token, rasa


def test_the_widget_s_token_in_the_header_is_checked(chat):
    client, token, rasa = chat
    assert client.post("/chat/api/message", json={"message": "bonjour"}).status_code == 400
    assert client.post("/chat/api/message", json={"message": "bonjour"},
                       headers={"X-CSRFToken": token[:-2] + "xx"}).status_code == 400
    assert rasa.received == []
    answer = client.post("/chat/api/message", json={"message": "bonjour"}, headers={"X-CSRFToken": token})
    assert answer.status_code == 200 and answer.json["messages"][-1]["text"] == "Bonjour."
    assert [m["message"] for m in rasa.received] == ["bonjour"]


def test_the_form_s_token_is_still_checked_without_javascript(chat):
    client, token, rasa = chat
    refused = client.post("/chat", data={"message": "bonjour"})
    assert refused.status_code == 400 and "Formulaire expiré" in refused.get_data(as_text=True)
    assert rasa.received == []
    assert client.post("/chat", data={"message": "bonjour", "csrf_token": token}).status_code == 303
    assert [m["message"] for m in rasa.received] == ["bonjour"]


def test_a_header_token_is_judged_even_beside_a_valid_form_token(chat):
    """Looked for first, the header decides: a wrong one is refused whatever the form holds."""
    client, token, rasa = chat
    response = client.post("/chat", data={"message": "bonjour", "csrf_token": token},
                           headers={"X-CSRFToken": "not-a-token"})
    assert response.status_code == 400 and rasa.received == []
