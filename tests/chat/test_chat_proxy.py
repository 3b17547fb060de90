"""The chat page's own behaviour: limits, fallback page, recovery, server-side id.

These need no trained model: Rasa is absent (a closed port) or a tiny local
HTTP server plays a Rasa that answers nothing.
"""
from __future__ import annotations

import re

import pytest

from tests.chat.bot_processes import free_port
from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app


def closed_port_app(tmp_path, **config):
    return make_test_app(tmp_path, RASA_URL=f"http://127.0.0.1:{free_port()}", RASA_TIMEOUT=2.0, **config)


def test_household_sees_calm_fallback_page_when_bot_is_down(tmp_path):
    """No JavaScript, bot stopped: a normal page with the questionnaire and the numbers."""
    client = closed_port_app(tmp_path).test_client()
    response = client.post("/chat", data={"message": "bonjour"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "L'assistant ne répond pas pour le moment" in page
    assert 'href="/questionnaire/locataire"' in page
    assert 'href="tel:' in page
    # The message is kept in the box, ready to be sent again.
    assert ">bonjour</textarea>" in page


def test_widget_gets_json_error_when_bot_is_down(tmp_path):
    client = closed_port_app(tmp_path).test_client()
    response = client.post("/chat/api/message", json={"message": "bonjour"})
    assert response.status_code == 503
    assert response.json["errors"][0]["field"] == "bot"
    assert "questionnaire/locataire" in response.json["fallback_html"]


def test_empty_answer_from_rasa_counts_as_unavailable(tmp_path):
    """Rasa answers [] when its action server is down: the household is told, not left waiting."""
    with FakeRasa(reply=[]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        response = client.post("/chat", data={"message": "j'habite a Belfort"})
    assert response.status_code == 200
    assert "L'assistant ne répond pas pour le moment" in response.get_data(as_text=True)


def test_chat_recovers_by_itself_when_bot_comes_back(tmp_path):
    port = free_port()
    client = make_test_app(tmp_path, RASA_URL=f"http://127.0.0.1:{port}", RASA_TIMEOUT=2.0).test_client()
    assert client.post("/chat/api/message", json={"message": "bonjour"}).status_code == 503
    with FakeRasa(port=port, reply=[{"text": "Bonjour, je suis revenu."}]):
        response = client.post("/chat/api/message", json={"message": "bonjour"})
    assert response.status_code == 200
    assert response.json["messages"][-1]["text"] == "Bonjour, je suis revenu."


def test_too_long_message_is_refused_next_to_the_field(tmp_path):
    client = closed_port_app(tmp_path, CHAT_MAX_MESSAGE_LENGTH=50).test_client()
    response = client.post("/chat", data={"message": "x" * 51})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="chat-error"' in page and "50 caractères au plus" in page
    assert 'aria-describedby="chat-hint chat-error"' in page
    # The whole text is kept, and the field takes focus without any script.
    assert ">" + "x" * 51 + "</textarea>" in page and "autofocus" in page
    assert "<title>Erreur : Assistant" in page
    api = client.post("/chat/api/message", json={"message": "x" * 51})
    assert api.status_code == 400
    assert api.json["errors"][0]["field"] == "message"


def test_rate_limit_per_session(tmp_path):
    with FakeRasa() as rasa:
        app = make_test_app(tmp_path, RASA_URL=rasa.url, CHAT_RATE_LIMIT_PER_MINUTE=3)
        client, other = app.test_client(), app.test_client()
        statuses = [client.post("/chat/api/message", json={"message": f"m{i}"}).status_code
                    for i in range(4)]
        assert statuses == [200, 200, 200, 429]
        # Another browser has its own quota.
        assert other.post("/chat/api/message", json={"message": "salut"}).status_code == 200


def test_conversation_id_is_server_side_and_stable(tmp_path):
    """The id is made by the server, kept across requests, never taken from the client."""
    with FakeRasa() as rasa:
        app = make_test_app(tmp_path, RASA_URL=rasa.url)
        first, second = app.test_client(), app.test_client()
        first.post("/chat/api/message", json={"message": "un", "sender": "attacker"})
        first.post("/chat", data={"message": "deux", "sender": "attacker"})
        second.post("/chat/api/message", json={"message": "trois"})
        senders = [body["sender"] for body in rasa.received]
    assert senders[0] == senders[1] != senders[2]
    assert "attacker" not in senders and len(senders[0]) == 32
    assert rasa.received[0]["metadata"] == {"lang": "fr"}


def test_conversation_survives_reload(tmp_path):
    with FakeRasa(reply=[{"text": "Dans quelle commune ?"}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat", data={"message": "loyer impaye"})
    page = client.get("/chat").get_data(as_text=True)
    assert "loyer impaye" in page and "Dans quelle commune ?" in page


def test_buttons_are_chosen_by_index_not_by_payload(tmp_path):
    """The client names a button of the last bot turn; it cannot send its own payload."""
    reply = [{"text": "Locataire ou propriétaire ?",
              "buttons": [{"title": "Je suis locataire", "payload": '/choisir_role{"role": "tenant"}'}]}]
    with FakeRasa(reply=reply) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat/api/message", json={"message": "bonjour"})
        client.post("/chat/api/message", json={"button": "0"})
        client.post("/chat/api/message", json={"message": "/restart"})
        sent = [body["message"] for body in rasa.received]
    assert sent == ["bonjour", '/choisir_role{"role": "tenant"}', "restart"]
    page = client.get("/chat").get_data(as_text=True)
    assert "Je suis locataire" in page


def test_phone_numbers_in_bot_text_are_tel_links(tmp_path):
    with FakeRasa(reply=[{"text": "Appelez le 0 805 299 049 ou le 3039. <b>x</b>"}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat", data={"message": "aide"})
    page = client.get("/chat").get_data(as_text=True)
    assert '<a class="tel" href="tel:0805299049">0 805 299 049</a>' in page
    assert 'href="tel:3039"' in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_police_number_is_a_link_and_a_date_s_17_is_not(tmp_path):
    """"Date notée : 17 novembre 2026" was a tel:17 link: a tap on the date called the police."""
    text = ("Appelez la police ou la gendarmerie au 17. Police : 17\nDate notée : 17 novembre 2026.\n"
            "Payez jusqu'au 17 décembre. Date noted: 17 November 2026. Ouvert de 14 h à 17 h.")
    with FakeRasa(reply=[{"text": text}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat", data={"message": "aide"})
    page = client.get("/chat").get_data(as_text=True)
    assert page.count('href="tel:17"') == 2
    assert "Date notée : 17 novembre 2026." in page and "au 17 décembre" in page
    assert "Date noted: 17 November 2026." in page


def test_triage_answers_are_kept_for_the_referral_form(tmp_path):
    answers = {"lang": "fr", "role": "tenant", "stage": "arrears", "commune": "90010"}
    reply = [{"text": "Résultat"},
             {"custom": {"kind": "triage_result", "answers": answers,
                         "links": [{"title": "Être recontacté·e", "url": "/chat/suite/recontact"},
                                   {"title": "Ailleurs", "url": "https://example.org/"}]}}]
    with FakeRasa(reply=reply) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat", data={"message": "x"})
    page = client.get("/chat").get_data(as_text=True)
    assert 'href="/chat/suite/recontact"' in page
    assert "example.org" not in page
    with client.session_transaction() as session:
        assert session["triage_request"] == answers
    assert client.get("/chat/suite/recontact").headers["Location"].endswith("/etre-recontacte")
    details = client.get("/chat/suite/situation")
    assert details.status_code == 200
    assert "Qui contacter" in details.get_data(as_text=True)


def test_detailed_situation_page_for_partial_answers(tmp_path):
    """Stage unknown: the page still renders; a landlord: the landlord questionnaire; nothing stored: back to the chat."""
    app = make_test_app(tmp_path)
    for answers in ({"role": "tenant", "lang": "fr"},
                    {"role": "tenant", "stage": "illegal_eviction", "commune": "90010"}):
        client = app.test_client()
        with client.session_transaction() as session:
            session["triage_request"] = answers
        assert client.get("/chat/suite/situation").status_code == 200
    landlord = app.test_client()
    with landlord.session_transaction() as session:
        session["triage_request"] = {"role": "landlord", "commune": "90010", "lang": "fr"}
    response = landlord.get("/chat/suite/situation")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questionnaire/proprietaire/etape/1?depuis=assistant")
    empty = app.test_client().get("/chat/suite/situation")
    assert empty.status_code == 302 and empty.headers["Location"].endswith("/chat")


def test_site_pages_named_in_bot_text_are_links(tmp_path):
    """"Its number is on the page /annuaire/mes-contacts": one tap, not copy and paste."""
    text = ("Répondez au questionnaire (/questionnaire/locataire) ou voyez /annuaire/mes-contacts. "
            "Pas un lien : /pas-une-page, 1/2 loyer, et/ou, http://exemple.org/annuaire.")
    with FakeRasa(reply=[{"text": text}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat", data={"message": "aide"})
        api = client.post("/chat/api/message", json={"message": "encore"}).json
    page = client.get("/chat").get_data(as_text=True)
    for html in (page, api["html"]):
        assert '(<a href="/questionnaire/locataire">/questionnaire/locataire</a>)' in html
        assert '<a href="/annuaire/mes-contacts">/annuaire/mes-contacts</a>.' in html
    message = api["html"]
    assert "/pas-une-page" in message and 'href="/pas-une-page"' not in message
    assert message.count("<a ") == 2


@pytest.mark.parametrize("log, start", [
    ([], None),
    ([{"who": "bot"}], 0),
    ([{"who": "user"}, {"who": "bot"}, {"who": "bot"}], 1),
    ([{"who": "user"}, {"who": "bot"}, {"who": "user"}, {"who": "bot"}, {"who": "bot"}], 3),
    ([{"who": "user"}, {"who": "bot"}, {"who": "user"}], 2),   # no answer came: the message itself
])
def test_the_page_jumps_to_the_latest_answer_s_first_entry(log, start):
    from webapp.chat.conversation import answer_start

    assert answer_start(log) == start


def test_the_bot_s_lists_are_lists_and_its_page_links_are_named_by_title(tmp_path):
    """A screen reader hears "list, 2 items", not one long paragraph of "•"."""
    text = ("Votre situation est urgente.\n\nQui contacter, dans cet ordre :\n"
            "1. ESD de Belfort\n   Il vous aide.\n   Téléphone : 03 84 00 00 00\n2. CDAD\n\n"
            "Vos dates :\n• 2 janvier 2027 : Dernier jour\n• 3 mars 2027 : Audience\n\n"
            "Ce que vous pouvez faire :\n• Lisez la page (/infos/locataire/commandement-de-payer)")
    with FakeRasa(reply=[{"text": text}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        html = client.post("/chat/api/message", json={"message": "aide"}).json["html"]
    assert "<p>Votre situation est urgente.</p><p>Qui contacter, dans cet ordre :</p>" in html
    assert ('<ol><li>ESD de Belfort<br>Il vous aide.<br>Téléphone : <a class="tel" href="tel:0384000000">'
            '03 84 00 00 00</a></li><li>CDAD</li></ol>') in html
    assert "<ul><li>2 janvier 2027 : Dernier jour</li><li>3 mars 2027 : Audience</li></ul>" in html
    assert '(<a href="/infos/locataire/commandement-de-payer">Vous avez reçu un commandement de payer</a>)' in html
    assert "•" not in html


def test_english_answers_mark_the_french_terms_they_quote(tmp_path):
    """As on the English pages (RGAA 8.7): a screen reader says the paper's French name in French."""
    text = "You received a commandement de payer: read (/infos/locataire/commandement-de-payer)"
    with FakeRasa(reply=[{"text": text}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        english = client.post("/chat/api/message", json={"message": "help"},
                              headers={"Accept-Language": "en-GB,en;q=0.9"}).json["html"]
        french = client.post("/chat/api/message", json={"message": "aide"},
                             headers={"Accept-Language": "fr-FR"}).json["html"]
    assert 'You received a <span lang="fr">commandement de payer</span>' in english
    # The link's title too, never inside the tag.
    assert re.search(r'<a href="/infos/locataire/commandement-de-payer">[^<]*<span lang="fr">', english)
    assert '<span lang="fr">' not in french


@pytest.mark.parametrize("body", ["[1]", '"x"', "5", '{"button": Infinity}', "[" * 50_000 + "]" * 50_000])
def test_the_widget_endpoint_answers_any_json_with_a_400_not_a_500(tmp_path, body):
    with FakeRasa(reply=[{"text": "Bonjour"}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        r = client.post("/chat/api/message", data=body, content_type="application/json")
    assert r.status_code == 400
    assert r.get_json()["errors"][0]["field"] == "message"


def test_an_expired_token_on_the_widget_endpoint_is_json(tmp_path):
    """The widget reads JSON: a CSRF failure as an HTML page left it guessing."""
    client = make_test_app(tmp_path, WTF_CSRF_ENABLED=True).test_client()
    r = client.post("/chat/api/message", json={"message": "bonjour"}, headers={"X-CSRFToken": "stale"})
    assert r.status_code == 400 and r.is_json
    assert r.get_json()["errors"][0]["message"]


def test_after_a_language_switch_earlier_messages_keep_their_language(tmp_path):
    """French answers shown on the English page are marked lang="fr" (RGAA 8.8), and not
    given English-page French-term marks inside."""
    with FakeRasa(reply=[{"text": "Vous avez reçu un commandement de payer."}]) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat/api/message", json={"message": "bonjour"}, headers={"Accept-Language": "fr-FR"})
        page = client.get("/chat", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<div class="chat-text" lang="fr"><p>Vous avez reçu un commandement de payer.</p></div>' in page
    assert '<div class="chat-text" lang="fr"><p>bonjour</p></div>' in page


def test_after_a_language_switch_the_last_buttons_keep_their_language(tmp_path):
    """English buttons under a French page were read with French sounds, and the
    pressed one was logged as French."""
    reply = [{"text": "Where is the procedure?", "buttons": [{"title": "Court summons", "payload": "/x"}]}]
    with FakeRasa(reply=reply) as rasa:
        client = make_test_app(tmp_path, RASA_URL=rasa.url).test_client()
        client.post("/chat/api/message", json={"message": "hello"}, headers={"Accept-Language": "en-GB"})
        page = client.get("/chat", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
        assert re.search(r'<button [^>]*lang="en"[^>]*>Court summons</button>', page)
        answer = client.post("/chat/api/message", json={"button": 0}, headers={"Accept-Language": "fr-FR"}).get_json()
    assert answer["messages"][0] == {"who": "user", "text": "Court summons", "lang": "en"}
    assert '<div class="chat-text" lang="en"><p>Court summons</p></div>' in answer["html"]
