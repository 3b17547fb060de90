""""Voir ma situation détaillée" after a chat: the tenant's result page, or the landlord questionnaire
pre-filled with what the chat learned, then the landlord's plan. No trained model needed: a tiny
local HTTP server plays Rasa and sends the bot's triage message, as the action server does."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from freezegun import freeze_time

from tests.chat.fake_rasa import FakeRasa
from tests.helpers import make_test_app
from tests.landlord.landlord_helpers import PREFIX, step_bodies

TODAY = "2026-05-04"
DETAILS = "/chat/suite/situation"


def text_of(response) -> str:
    return " ".join(response.get_data(as_text=True).replace("&#39;", "'").replace("\u00a0", " ").split())


def words_of(response) -> str:
    """The page's text without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def bot_result(answers: dict) -> list[dict]:
    """What the action server sends at the end of the triage (bot/actions/triage.py)."""
    return [{"text": "Résultat"},
            {"custom": {"kind": "triage_result", "urgency": "normal", "answers": answers,
                        "links": [{"title": "Être recontacté·e", "url": "/chat/suite/recontact"},
                                  {"title": "Voir ma situation détaillée", "url": DETAILS}]}}]


@pytest.fixture
def chatted(tmp_path):
    """chatted(answers, lang): a client whose chat ended with the bot's triage result for these answers."""
    app = make_test_app(tmp_path)

    def make(answers: dict, lang: str = "fr"):
        client = app.test_client()
        if lang == "en":
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
        with FakeRasa(reply=bot_result(answers)) as rasa:
            app.config["RASA_URL"] = rasa.url
            client.post("/chat", data={"message": "mon locataire ne paie plus"})
        assert f'href="{DETAILS}"' in client.get("/chat").get_data(as_text=True)
        return client
    return make


def path_of(response) -> str:
    parts = urlsplit(response.location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def answer_until_plan(client, location: str) -> list[int]:
    """Answer each step the questionnaire leads to (default answers); the step numbers it asked."""
    bodies, asked = step_bodies(), []
    while not location.endswith(f"{PREFIX}/plan"):
        number = int(re.search(r"/etape/(\d+)", location).group(1))
        asked.append(number)
        assert len(asked) <= 8, asked
        response = client.post(f"{PREFIX}/etape/{number}", data={**bodies[number - 1], "action": "next"})
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:2000])
        location = path_of(response)
    return asked


def questionnaire(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("landlord_questionnaire") or {})


@freeze_time(TODAY)
def test_landlord_continues_in_the_landlord_questionnaire_with_commune_prefilled(chatted):
    """The bot knew role and commune: step 1 is asked, the commune never again, the plan follows."""
    client = chatted({"lang": "fr", "role": "landlord", "commune": "90010"})
    response = client.get(DETAILS)
    assert response.status_code == 302
    assert path_of(response) == f"{PREFIX}/etape/1?depuis=assistant"
    state = questionnaire(client)
    assert state["raw"]["commune"] == {"commune_query": "Belfort", "insee": "90010"}
    assert state["done"] == ["commune"]
    page = words_of(client.get(path_of(response)))
    assert "Étape 1 sur 8" in page
    assert "Nous avons repris ce que vous avez dit à l'assistant pour : Où se trouve le logement ?" in page
    asked = answer_until_plan(client, path_of(response))
    assert asked == [1, 3, 4, 5, 6, 7, 8]
    plan = client.get(f"{PREFIX}/plan")
    assert plan.status_code == 200
    html = text_of(plan)
    assert "Vos étapes, dans l'ordre" in html
    assert "Belfort" in html and f'href="{PREFIX}/etape/2"' in html   # recap, with a link to change it
    assert '<time datetime="2026-03-31">31 mars 2026</time>' in html
    # The plan's answers now feed the referral form.
    with client.session_transaction() as session:
        assert session["triage_request"]["landlord_entity"] == "individual"
        assert session["triage_request"]["commune"] == "90010"


@freeze_time(TODAY)
def test_prefilled_commune_is_shown_when_the_landlord_goes_back(chatted):
    client = chatted({"lang": "fr", "role": "landlord", "commune": "90010"})
    client.get(DETAILS)
    step1 = client.post(f"{PREFIX}/etape/1", data={"landlord_entity": "individual", "action": "next"})
    assert path_of(step1) == f"{PREFIX}/etape/3"
    back = client.post(f"{PREFIX}/etape/3", data={"action": "back"})
    assert path_of(back) == f"{PREFIX}/etape/2"
    step2 = text_of(client.get(f"{PREFIX}/etape/2"))
    assert 'value="Belfort"' in step2
    assert "Réponse reprise de votre conversation avec l'assistant" in step2


@freeze_time(TODAY)
def test_debt_benefit_stage_and_date_from_the_chat_are_not_asked_again(chatted):
    """Known debt: only the months are left on that step; housing benefit, stage and its date: those
    steps are skipped."""
    client = chatted({"lang": "fr", "role": "landlord", "commune": "90010", "stage": "commandement_de_payer",
                      "commandement_date": "2026-01-31", "debt_eur": 1234.56,
                      "housing_benefit": "paid_to_tenant"})
    start = path_of(client.get(DETAILS))
    assert start == f"{PREFIX}/etape/1?depuis=assistant"
    state = questionnaire(client)
    assert sorted(state["done"]) == ["aides", "commune", "procedure"]
    assert state["raw"]["impayes"] == {"debt": "1234,56"}
    assert state["raw"]["aides"] == {"housing_benefit": "paid_to_tenant"}
    assert state["raw"]["procedure"] == {"stage": "commandement_de_payer", "commandement_date": "31/01/2026"}
    client.post(f"{PREFIX}/etape/1", data={"landlord_entity": "individual", "action": "next"})
    client.post(f"{PREFIX}/etape/3", data={**step_bodies()[2], "action": "next"})
    step4 = client.get(f"{PREFIX}/etape/4").get_data(as_text=True)
    assert 'value="1234,56"' in step4 and "Réponse reprise de votre conversation" in step4
    assert "field-error" not in step4
    # The landlord only adds the number of months.
    after4 = client.post(f"{PREFIX}/etape/4", data={"debt": "1234,56", "months_unpaid": "2", "action": "next"})
    assert path_of(after4) == f"{PREFIX}/etape/6"
    assert answer_until_plan(client, path_of(after4)) == [6, 7]
    html = text_of(client.get(f"{PREFIX}/plan"))
    # Commandement of 31 January 2026 on a lease signed before 29 July 2023: two months.
    assert '<time datetime="2026-03-31">31 mars 2026</time>' in html
    assert "1 234,56 €" in html


@freeze_time(TODAY)
def test_english_landlord_is_led_to_the_english_questionnaire_and_plan(chatted):
    client = chatted({"lang": "en", "role": "landlord", "commune": "90010"}, lang="en")
    response = client.get(DETAILS)
    assert path_of(response) == f"{PREFIX}/etape/1?depuis=assistant"
    page = words_of(client.get(path_of(response)))
    assert "Step 1 of 8" in page and "Who lets the home?" in page
    assert "We have kept what you told the assistant for: Where is the home?" in page
    assert answer_until_plan(client, path_of(response)) == [1, 3, 4, 5, 6, 7, 8]
    html = text_of(client.get(f"{PREFIX}/plan"))
    assert "Your steps, in order" in html and "Belfort" in html
    assert '<time datetime="2026-03-31">31 March 2026</time>' in html


@freeze_time(TODAY)
def test_tenant_still_gets_the_tenant_result_page_in_french_and_english(chatted):
    for lang, heading in (("fr", "Qui contacter, dans cet ordre"), ("en", "Who to contact, in this order")):
        client = chatted({"lang": lang, "role": "tenant", "stage": "arrears", "commune": "90010",
                          "debt_eur": 850}, lang=lang)
        response = client.get(DETAILS)
        assert response.status_code == 200
        assert heading in text_of(response)
        assert not questionnaire(client)


def test_without_a_role_the_button_leads_back_to_the_chat(tmp_path):
    client = make_test_app(tmp_path).test_client()
    with client.session_transaction() as session:
        session["triage_request"] = {"lang": "fr", "commune": "90010"}
    response = client.get(DETAILS)
    assert response.status_code == 302 and response.location.endswith("/chat")
    assert not questionnaire(client)


@freeze_time(TODAY)
def test_the_landlords_corrections_win_over_the_same_chat_answers(chatted):
    """Back to the chat, same button again: what the landlord changed in the questionnaire is kept."""
    client = chatted({"lang": "fr", "role": "landlord", "commune": "90010"})
    client.get(DETAILS)
    client.post(f"{PREFIX}/etape/1", data={"landlord_entity": "family_sci", "action": "next"})
    client.post(f"{PREFIX}/etape/2", data={"commune_query": "Delle", "action": "next"})
    again = client.get(DETAILS)
    assert path_of(again) == f"{PREFIX}/etape/3?depuis=assistant"
    state = questionnaire(client)
    assert state["raw"]["commune"]["commune_query"] == "Delle"
    assert state["raw"]["qui"] == {"landlord_entity": "family_sci"}


@freeze_time(TODAY)
def test_a_finished_questionnaire_leads_straight_to_the_plan(chatted):
    client = chatted({"lang": "fr", "role": "landlord", "commune": "90010"})
    answer_until_plan(client, path_of(client.get(DETAILS)))
    # The questionnaire's own request is now the stored one; the chat's button still works.
    response = client.get(DETAILS)
    assert path_of(response) == f"{PREFIX}/plan"
    assert client.get(f"{PREFIX}/plan").status_code == 200


@freeze_time(TODAY)
def test_chat_values_the_questionnaire_refuses_are_not_prefilled(chatted):
    """A commune outside the département, a date in the future: nothing is guessed, the landlord answers."""
    client = chatted({"lang": "fr", "role": "landlord", "commune": "25056", "stage": "commandement_de_payer",
                      "commandement_date": "2026-12-01"})
    assert path_of(client.get(DETAILS)) == f"{PREFIX}/etape/1?depuis=assistant"
    state = questionnaire(client)
    assert "commune" not in state["raw"]
    assert state["raw"]["procedure"] == {"stage": "commandement_de_payer"}
    assert state["done"] == []
    page = text_of(client.get(f"{PREFIX}/etape/1?depuis=assistant"))
    assert "répondez aux questions que l'assistant ne vous a pas posées" in page


@freeze_time(TODAY)
def test_a_tenant_who_changes_the_chat_s_answers_finds_them_in_the_questionnaire(chatted):
    """"Modifier mes réponses" on the chat's result page opened an empty questionnaire."""
    answers = {"lang": "fr", "role": "tenant", "stage": "commandement_de_payer", "commune": "90010",
               "commandement_date": "2026-04-02", "lease_date": "2023-07-01", "lease_date_precision": "month",
               "debt_eur": 1500.0, "housing_benefit": "paid_to_landlord", "private_sector_employee": False,
               "other_debts": False, "overindebtedness": "none"}
    client = chatted(answers)
    assert client.get(DETAILS).status_code == 200
    # The link opens the first step with the chat's answer chosen, and the others shown.
    situation = text_of(client.get("/questionnaire/locataire/situation"))
    assert re.search(r'value="commandement_de_payer"[^>]*checked', situation)
    assert 'value="2026-04-02"' in text_of(client.get("/questionnaire/locataire/date"))
    # "juillet 2023" is not a day: the questionnaire asks for the lease's day
    # (its result page sends there), it does not pick one, nor read it as unknown.
    with client.session_transaction() as session:
        kept = session["questionnaire_locataire"]
    assert "lease_date" not in kept and "lease_date_unknown" not in kept
    assert kept["debt_eur"] == "1500" and kept["housing_benefit"] == "paid_to_landlord" and kept["debts"] == "none"
    assert client.get("/questionnaire/locataire/resultat").location.endswith("/questionnaire/locataire")
    assert client.get("/questionnaire/locataire").location.endswith("/questionnaire/locataire/bail")
    assert "2023-07" not in text_of(client.get("/questionnaire/locataire/bail"))
