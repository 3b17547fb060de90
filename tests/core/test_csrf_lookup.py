"""CSRF on the chat: the token is looked for in the headers first (webapp/extensions.py).

The widget sends its token in X-CSRFToken with a JSON body; the page without
JavaScript sends it as a form field. Both are checked, and a message without a
valid token never reaches Rasa.
"""
from __future__ import annotations

import re
import time

import pytest
from itsdangerous import BadData, URLSafeTimedSerializer

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app
from webapp.extensions import CSRF_SALT, _verified


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


# Each token's signature is checked once per process (webapp/extensions.py,
# _verified); what depends on the request is judged every time.

def test_a_kept_token_still_expires(tmp_path):
    with FakeRasa(reply=[{"text": "Bonjour."}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url, WTF_CSRF_ENABLED=True,
                               WTF_CSRF_TIME_LIMIT=2).test_client()
        token = _token_of(client)
        assert _send(client, token).status_code == 200
        time.sleep(3.1)
        refused = _send(client, token)
        assert refused.status_code == 400
        assert [m["message"] for m in rasa.received] == ["bonjour"]
        # A new page gives a new token, which works.
        assert _send(client, _token_of(client)).status_code == 200


def test_a_kept_token_is_good_only_with_its_own_session(chat, tmp_path):
    client, token, rasa = chat
    assert _send(client, token).status_code == 200
    other = client.application.test_client()
    _token_of(other)
    assert _send(other, token).status_code == 400
    assert _send(client, token).status_code == 200
    assert len(rasa.received) == 2


def test_a_forged_token_is_never_kept(chat):
    client, token, rasa = chat
    kept = _verified.cache_info().currsize
    for _ in range(3):
        assert _send(client, token[:-3] + "abc").status_code == 400
    assert _verified.cache_info().currsize == kept
    assert rasa.received == []


def test_a_signature_is_kept_per_secret_key():
    signed = URLSafeTimedSerializer("one key", salt=CSRF_SALT).dumps("raw")
    assert _verified("one key", signed)[0] == "raw"
    with pytest.raises(BadData):
        _verified("another key", signed)


def _token_of(client) -> str:
    page = client.get("/chat").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _send(client, token):
    return client.post("/chat/api/message", json={"message": "bonjour"}, headers={"X-CSRFToken": token})


def test_the_override_was_written_for_the_installed_flask_wtf():
    """HeaderFirstCSRFProtect.protect repeats Flask-WTF 1.3.0's checks: an
    upgrade must be read against it before this test is changed."""
    from importlib.metadata import version
    assert version("Flask-WTF") == "1.3.0"
