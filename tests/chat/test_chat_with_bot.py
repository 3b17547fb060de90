"""Conversations through the Flask proxy with the REAL Rasa and action servers.

The bot is started once per run (session fixture) with the trained model; its
action server calls the real triage API of a live copy of the site.
"""
from __future__ import annotations

import datetime as dt

import requests

from tests.chat import bot_processes


def say(client, message=None, button=None):
    body = {"button": button} if button is not None else {"message": message}
    response = client.post("/chat/api/message", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return "\n".join(m.get("text", "") for m in response.json["messages"][1:])


def expected_social_worker(live_site, commune, lang):
    answer = requests.post(f"{live_site}/api/triage", timeout=10, json={
        "role": "tenant", "stage": "commandement_de_payer", "commune": commune, "lang": lang}).json()
    return next(o["structure"]["name"] for o in answer["orientations"] if o["kind"] == "social_worker")


def dont_know_to_the_result(client):
    """Answer every other question "je ne sais pas", up to the result: (its text, the request sent)."""
    for _ in range(10):
        result = say(client, "je sais pas")
        if "Qui contacter" in result:
            break
    with client.session_transaction() as session:
        return result, session["triage_request"]


def api_answer(live_site, request):
    """The site's own answer to a request the chat sent."""
    return requests.post(f"{live_site}/api/triage", timeout=10, json=request).json()


def api_orientations(live_site, request):
    return api_answer(live_site, request)["orientations"]


def test_french_conversation_from_hello_to_orientation(chat_app, live_site):
    """From "bonjour" to the social-work site of Belfort with the payment deadline,
    through the aid questions (income, household, benefit, job, other debts)."""
    client = chat_app.test_client()
    assert "assistant automatique" in say(client, "bonjour")
    # "Un papier de l'huissier" could be a summons: the chat asks which one.
    assert "dernier papier reçu" in say(client, "jai recu un papier de l'huissier je dois 2000e")
    assert "commune" in say(client, button="1")   # "Commandement de payer (commissaire de justice)"
    reply = say(client, "Belfort")
    assert "Commune : Belfort." in reply and "commandement de payer" in reply
    assert "bail" in say(client, "le 3 octobre")
    # The debt was told in the first message: the aid questions come next.
    assert "gagne" in say(client, "je sais pas")
    assert "personnes" in say(client, "1300 par mois")
    assert "aide au logement" in say(client, "moi et mes 2 enfants")
    assert "salarié" in say(client, button="1")  # "Oui, elle est versée à mon propriétaire"
    assert "autres dettes" in say(client, "je suis au chomage")
    result = say(client, button="0")  # "Non"
    assert expected_social_worker(live_site, "90010", "fr") in result
    assert "Vos dates :" in result
    assert "pas un avocat" in result
    page = client.get("/chat").get_data(as_text=True)
    assert 'href="/chat/suite/recontact"' in page and 'href="/chat/suite/situation"' in page
    with client.session_transaction() as session:
        sent = session["triage_request"]
    assert sent["commune"] == "90010" and sent["debt_eur"] == 2000.0
    assert sent["monthly_income_eur"] == 1300.0 and sent["household_size"] == 3
    assert sent["housing_benefit"] == "paid_to_landlord"
    assert sent["private_sector_employee"] is False
    assert sent["other_debts"] is False and sent["overindebtedness"] == "none"
    # The chat shows what the API answers for these answers, the CAF included
    # (housing benefit paid) and Action Logement left out (not an employee).
    orientations = api_orientations(live_site, sent)
    kinds = {o["kind"] for o in orientations}
    assert "caf" in kinds and "action_logement" not in kinds
    for orientation in orientations:
        assert orientation["reason"] in result
    # Each date, then what it is (the API's label is a sentence of its own).
    deadlines = api_answer(live_site, sent)["deadlines"]
    assert deadlines
    for deadline in deadlines:
        (line,) = [line for line in result.splitlines() if line.endswith(f" : {deadline['label']}")]
        assert line.startswith("• ") and deadline["date"][:4] in line.split(" : ")[0]


def test_words_out_of_place_after_the_answer_get_one_reply_and_the_chat_goes_on(chat_app):
    """An amount typed after the answer: Rasa's core fallback used to run ten
    times (ten "Je n'ai pas compris"), then the conversation answered nothing."""
    client = chat_app.test_client()
    say(client, "j'ai du retard de loyer")
    say(client, "Belfort")
    result, _sent = dont_know_to_the_result(client)
    assert "Qui contacter" in result
    response = client.post("/chat/api/message", json={"message": "2000 euros"})
    assert response.status_code == 200
    assert len(response.json["messages"]) - 1 <= 2
    # The next message is answered, and the second miss in a row offers a person.
    assert "parler à une personne" in say(client, "2000 euros")
    assert say(client, "merci")


def test_english_conversation_with_close_hearing_is_urgent(chat_app, live_site):
    """English page, hearing in 10 days: the urgent line comes first, in English."""
    client = chat_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    assert "automatic assistant" in say(client, "hello")
    assert "commune" in say(client, "i received a court summons for unpaid rent")
    assert "hearing date" in say(client, "Delle")
    assert "how much" in say(client, "in 10 days").lower()
    # Before the hearing: is the full rent paid again? (after the debt)
    assert "full rent again" in say(client, "i don't know")
    assert "earn" in say(client, "not yet")
    # No income given: no household-size question.
    assert "housing benefit" in say(client, "i don't know")
    assert "employee" in say(client, "no")
    assert "other debts" in say(client, button="2")  # "I don't know"
    result = say(client, "no")
    assert result.startswith("Your situation is urgent")
    assert expected_social_worker(live_site, "90033", "en") in result
    # "not yet" reaches the API, which adds the step to resume the rent.
    assert "pay each month's rent in full again" in result
    with client.session_transaction() as session:
        assert session["triage_request"]["resumed_rent"] is False


def test_hearing_date_already_past_gets_advice_then_the_answer_for_it(chat_app, live_site):
    """A past hearing: the judgment may be given, the CDAD first; the date is kept,
    and the site's answer says the hearing has passed rather than to attend it."""
    client = chat_app.test_client()
    assert "commune" in say(client, "jai recu une assignation au tribunal")
    assert "audience" in say(client, "Belfort")
    reply = say(client, "hier")
    assert "est déjà passé" in reply and "CDAD" in reply
    assert "montant" in reply
    result, sent = dont_know_to_the_result(client)
    assert sent["hearing_date"] == (dt.date.today() - dt.timedelta(days=1)).isoformat()
    steps = api_answer(live_site, sent)["next_steps"]
    assert steps[0]["text"].startswith("La date de l'audience est passée") and steps[0]["text"] in result
    assert "Allez à l'audience" not in result


def test_a_lease_date_given_to_the_month_is_not_made_a_day(chat_app, live_site):
    """"fin juillet 2023" holds the 29th, the day the period changed: the chat
    sends the month, and the answer gives the 6 weeks with the 2 months' warning
    instead of a 2-month deadline read from "1 juillet" (19 days too late)."""
    client = chat_app.test_client()
    assert "commune" in say(client, "jai recu un commandement de payer")
    assert "commandement" in say(client, "Belfort")
    assert "bail" in say(client, "le 2 novembre")
    say(client, "fin juillet 2023")
    result, sent = dont_know_to_the_result(client)
    assert sent["lease_date"] == "2023-07-01" and sent["lease_date_precision"] == "month"
    [pay] = [d for d in api_answer(live_site, sent)["deadlines"] if d["kind"] == "payment_deadline"]
    assert "6 semaines" in pay["label"] and "peut être de 2 mois" in pay["label"]
    assert pay["label"] in result


def test_question_in_the_middle_of_the_form_is_answered_then_form_resumes(chat_app):
    client = chat_app.test_client()
    assert "commune" in say(client, "j'ai des loyers impayes")
    reply = say(client, "c'est quand la treve hivernale")
    assert "1er novembre au 31 mars" in reply
    assert "Dans quelle commune" in reply
    # At the arrears stage the landlord's kind comes right after the commune.
    assert "bailleur social" in say(client, "Valdoie")
    assert "montant" in say(client, "c'est un hlm")


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


def test_restart_reaches_the_bot_and_a_new_conversation_begins(chat_app, caplog):
    """The real Rasa takes the site's restart command (its memory then deletes
    the conversation: bot/tests/test_idle_tracker_store.py), and the household
    starts again on a new id."""
    client = chat_app.test_client()
    assert "commune" in say(client, "j'ai des loyers impayes")
    with client.session_transaction() as session:
        old = session["chat"]["id"]
    assert client.post("/chat/recommencer").status_code == 303
    assert "not deleted from Rasa's memory" not in caplog.text
    assert "assistant automatique" in say(client, "bonjour")
    with client.session_transaction() as session:
        assert session["chat"]["id"] != old


def test_rasas_http_api_is_not_served(real_bot):
    """Only the REST channel: Rasa's HTTP API, without a token, would hand any
    local process the households' conversations and the model."""
    answer = requests.get(f"{real_bot.rasa_urls[0]}/conversations/readiness-probe/tracker", timeout=10)
    assert answer.status_code == 404
    launcher = (bot_processes.ROOT / "tools" / "run_all.sh").read_text(encoding="utf-8")
    assert "scripts/rasa_server.py run" in launcher and "--enable-api" not in launcher
