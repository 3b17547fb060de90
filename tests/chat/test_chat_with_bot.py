"""Conversations through the Flask proxy with the REAL Rasa and action servers.

The bot is started once per run (session fixture) with the trained model; its
action server calls the real triage API of a live copy of the site.
"""
from __future__ import annotations

import requests


def say(client, message=None, button=None):
    body = {"button": button} if button is not None else {"message": message}
    response = client.post("/chat/api/message", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return "\n".join(m.get("text", "") for m in response.json["messages"][1:])


def expected_social_worker(live_site, commune, lang):
    answer = requests.post(f"{live_site}/api/triage", timeout=10, json={
        "role": "tenant", "stage": "commandement_de_payer", "commune": commune, "lang": lang}).json()
    return next(o["structure"]["name"] for o in answer["orientations"] if o["kind"] == "social_worker")


def test_french_conversation_from_hello_to_orientation(chat_app, live_site):
    """From "bonjour" to the social-work site of Belfort with the payment deadline."""
    client = chat_app.test_client()
    assert "assistant automatique" in say(client, "bonjour")
    assert "commune" in say(client, "jai recu un papier de l'huissier je dois 2000e")
    reply = say(client, "Belfort")
    assert "Commune : Belfort." in reply and "commandement de payer" in reply
    assert "bail" in say(client, "le 3 octobre")
    result = say(client, "je sais pas")
    assert expected_social_worker(live_site, "90010", "fr") in result
    assert "Vos dates :" in result
    assert "pas un avocat" in result
    page = client.get("/chat").get_data(as_text=True)
    assert 'href="/chat/suite/recontact"' in page and 'href="/chat/suite/situation"' in page
    with client.session_transaction() as session:
        assert session["triage_request"]["commune"] == "90010"
        assert session["triage_request"]["debt_eur"] == 2000.0


def test_english_conversation_with_close_hearing_is_urgent(chat_app, live_site):
    """English page, hearing in 10 days: the urgent line comes first, in English."""
    client = chat_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    assert "automatic assistant" in say(client, "hello")
    assert "commune" in say(client, "i received a court summons for unpaid rent")
    assert "hearing date" in say(client, "Delle")
    assert "how much" in say(client, "in 10 days").lower()
    result = say(client, "i don't know")
    assert result.startswith("Your situation is urgent")
    assert expected_social_worker(live_site, "90033", "en") in result


def test_question_in_the_middle_of_the_form_is_answered_then_form_resumes(chat_app):
    client = chat_app.test_client()
    assert "commune" in say(client, "j'ai des loyers impayes")
    reply = say(client, "c'est quand la treve hivernale")
    assert "1er novembre au 31 mars" in reply
    assert "Dans quelle commune" in reply
    assert "montant" in say(client, "Valdoie")


def test_illegal_eviction_gets_urgent_answer_first(chat_app):
    client = chat_app.test_client()
    reply = say(client, "mon proprio a change la serrure et mis mes affaires dehors")
    assert reply.startswith("C'est urgent")
    assert "17" in reply


def test_buttons_drive_the_form(chat_app):
    """The role and stage questions can be answered with buttons only."""
    client = chat_app.test_client()
    assert "locataire ou propriétaire" in say(client, "je cherche une assistante sociale")
    assert "Où en est la procédure" in say(client, button="0")
    assert "commune" in say(client, button="0")


def test_no_javascript_conversation_re_renders_the_log(chat_app):
    client = chat_app.test_client()
    response = client.post("/chat", data={"message": "bonjour"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "assistant automatique" in page and 'role="log"' in page
