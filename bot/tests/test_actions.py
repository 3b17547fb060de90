"""Action unit tests: real actions, real HTTP to a local stand-in for the site."""
import asyncio
import datetime as dt
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import triage_form as triage_form_module
from actions.amounts import parse_amount
from actions.ask import ActionAskDebtEur, ActionAskRole, ActionAskStage
from actions.dates import parse_date
from actions.handoff import ActionHandleFallback, ActionOfferHandoff
from actions.slot_mappings import ValidateSlotMappings
from actions.triage import ActionSubmitTriage, format_date, render_result
from actions.triage_form import ValidateTriageForm
from actions.webapp_api import TriageRejected, WebappApi, WebappUnavailable

BOT_DIR = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 23)


def tracker(text="", intent="donner_date", slots=None, metadata=None, entities=None,
            requested_slot=None, active_loop="triage_form", events=None):
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update({"lang": "fr", "requested_slot": requested_slot})
    all_slots.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "entities": entities or [], "metadata": metadata or {}}
    return Tracker("test", all_slots, latest, events or [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, tr):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return dispatcher.messages, events


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(triage_form_module, "today", lambda: TODAY)


# --- parsing -----------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("jai recu un papier de l'huissier je dois 2000e", 2000.0),
    ("1 800 €", 1800.0),
    ("€1,800", 1800.0),
    ("deux mille euros", 2000.0),
    ("trois mille deux cents euros", 3200.0),
    ("je dois 3 mois de loyer", None),
])
def test_parse_amount_reads_amounts_people_type(text, expected):
    """Amounts with a currency are read; months of rent are not money."""
    assert parse_amount(text) == expected


def test_parse_amount_accepts_bare_number_only_when_asked():
    """A bare "1200" is an amount only as the answer to the amount question."""
    assert parse_amount("1200") is None
    assert parse_amount("1200", require_currency=False) == 1200.0


@pytest.mark.parametrize("text,prefer,expected", [
    ("le 3 octobre", "past", dt.date(2026, 10, 3)),
    ("hier", "past", dt.date(2026, 11, 22)),
    ("15/09", "past", dt.date(2026, 9, 15)),
    ("l'huissier est passe le 2 novembre", "past", dt.date(2026, 11, 2)),
    ("le 12 decembre", "future", dt.date(2026, 12, 12)),
    ("le 12 decembre", "past", dt.date(2025, 12, 12)),
    ("yesterday", "past", dt.date(2026, 11, 22)),
    ("Belfort", "past", None),
])
def test_parse_date_reads_relative_to_today(text, prefer, expected):
    """Dates without a year fall on the side of today the question implies."""
    assert parse_date(text, TODAY, prefer=prefer) == expected


# --- the site's API client ---------------------------------------------------------
def test_client_posts_situation_and_returns_answer(fake_site):
    """The client sends the JSON as is and returns the site's JSON."""
    fake_site.triage_body = {"urgency": "high", "orientations": [], "deadlines": [], "next_steps": []}
    answer = WebappApi().triage({"role": "tenant", "stage": "assignation"})
    assert answer["urgency"] == "high"
    assert fake_site.requests == [("POST", "/api/triage", {"role": "tenant", "stage": "assignation"})]


def test_client_raises_rejection_with_fields_on_400(fake_site):
    """A 400 keeps the field names the site gave."""
    fake_site.triage_status = 400
    fake_site.triage_body = {"errors": [{"field": "commune", "message": "Commune hors du département"}]}
    with pytest.raises(TriageRejected) as caught:
        WebappApi().triage({"role": "tenant", "commune": "25056"})
    assert caught.value.errors[0]["field"] == "commune"


def test_client_reports_site_down(closed_port_url):
    """Nothing listening is an unavailability, not a crash."""
    with pytest.raises(WebappUnavailable):
        WebappApi(timeout=1).find_communes("Belfort")


# --- language -------------------------------------------------------------------
def test_language_follows_page_metadata():
    """The lang slot takes the language the site passed with the message."""
    tr = tracker("hello", intent="saluer", metadata={"lang": "en"}, active_loop=None)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["lang"] == "en"


def test_amount_told_in_first_message_is_kept(fake_site):
    """"je dois 2000e" in the opening message spares the amount question."""
    tr = tracker("jai recu un papier de l'huissier je dois 2000e", intent="commandement_payer",
                 active_loop=None)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["debt_eur"] == 2000.0


# --- the form -------------------------------------------------------------------
def test_form_asks_dates_the_api_uses_for_order_to_pay():
    """After a commandement, the form asks its date, the lease date, the debt."""
    slots = asyncio.run(ValidateTriageForm().required_slots(
        [], CollectingDispatcher(),
        tracker(slots={"role": "tenant", "stage": "commandement_de_payer"}), DOMAIN))
    assert slots == ["role", "stage", "commune", "commandement_date", "lease_date", "debt_eur"]


def test_form_asks_landlord_only_the_commune():
    """A landlord is oriented without any stage question."""
    slots = asyncio.run(ValidateTriageForm().required_slots(
        [], CollectingDispatcher(), tracker(slots={"role": "landlord"}), DOMAIN))
    assert slots == ["role", "commune"]


def test_form_resolves_commune_through_site(fake_site):
    """A unique match sets the INSEE code and the name."""
    tr = tracker("j'habite a belfort", intent="donner_commune", requested_slot="commune",
                 slots={"role": "tenant", "stage": "arrears"},
                 entities=[{"entity": "commune", "value": "belfort"}])
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["commune"] == "90010"
    assert slot_events(events)["requested_slot"] == "debt_eur"
    assert ("GET", "/api/communes", "belfort") in fake_site.requests


def test_form_offers_choice_when_postcode_is_shared(fake_site):
    """90300 covers several communes: the household chooses with buttons."""
    tr = tracker("90300", intent="donner_commune", requested_slot="commune",
                 slots={"role": "tenant", "stage": "arrears"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["commune"] is None
    titles = [b["title"] for m in messages for b in m.get("buttons", [])]
    assert titles == ["Valdoie (90300)", "Offemont (90300)"]


def test_form_reads_commandement_date(fake_site):
    """"le 3 octobre" becomes an ISO date in the past."""
    tr = tracker("le 3 octobre", requested_slot="commandement_date",
                 slots={"role": "tenant", "stage": "commandement_de_payer", "commune": "90010"})
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["commandement_date"] == "2026-10-03"
    assert slot_events(events)["requested_slot"] == "lease_date"


def test_form_accepts_dont_know():
    """"je sais pas" moves on instead of trapping the household."""
    tr = tracker("jsp", intent="ne_sais_pas", requested_slot="lease_date",
                 slots={"role": "tenant", "stage": "commandement_de_payer", "commune": "90010",
                        "commandement_date": "2026-10-03"})
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["lease_date"] == "unknown"


def test_form_reasks_an_unreadable_date():
    """An answer that is not a date is refused with a message, and asked again."""
    tr = tracker("bah le papier jaune", requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] is None
    assert slot_events(events)["requested_slot"] == "hearing_date"
    assert "date" in messages[0]["text"]


def test_form_leaves_interruptions_to_the_rules():
    """A question about the trêve fills no slot, so the form is rejected and the rule answers."""
    tr = tracker("c'est quand la treve", intent="question_treve_hivernale",
                 requested_slot="commune", slots={"role": "tenant", "stage": "arrears"})
    _, events = run(ValidateTriageForm(), tr)
    assert "commune" not in slot_events(events)


# --- the triage answer ------------------------------------------------------------
TRIAGE_ANSWER = {
    "urgency": "immediate",
    "orientations": [
        {"kind": "social_worker", "priority": 1, "reason": "Pour monter un dossier d'aide.",
         "structure": {"id": "esd-belfort", "name": "ESD de Belfort", "address": None,
                       "phone": None, "email": None, "url": None}},
        {"kind": "helpline", "priority": 2, "reason": "Écoute juridique.", "structure": None},
    ],
    "deadlines": [{"kind": "hearing", "date": "2026-12-01", "label": "Audience"}],
    "next_steps": [{"text": "Reprenez le paiement du loyer courant.", "link": None}],
}


def test_submit_sends_known_answers_only_and_relays_result(fake_site):
    """Unknown answers are left out; the reply names the structure and the date."""
    fake_site.triage_body = TRIAGE_ANSWER
    tr = tracker("", intent="donner_date", active_loop=None, slots={
        "role": "tenant", "stage": "assignation", "commune": "90010",
        "hearing_date": "2026-12-01", "debt_eur": "unknown"})
    messages, events = run(ActionSubmitTriage(), tr)
    sent = fake_site.requests[-1][2]
    assert sent == {"lang": "fr", "role": "tenant", "stage": "assignation",
                    "commune": "90010", "hearing_date": "2026-12-01"}
    reply = messages[0]["text"]
    assert reply.startswith("Votre situation est urgente")
    assert "ESD de Belfort" in reply and "coordonnées à confirmer" in reply
    assert "Audience : 1 décembre 2026" in reply
    assert messages[1]["custom"]["answers"] == sent
    assert slot_events(events)["urgency"] == "immediate"


def test_submit_in_english_formats_dates_in_english(fake_site):
    fake_site.triage_body = TRIAGE_ANSWER
    tr = tracker("", metadata={"lang": "en"}, active_loop=None,
                 slots={"role": "tenant", "stage": "assignation", "lang": "en"})
    messages, _ = run(ActionSubmitTriage(), tr)
    assert "Audience: 1 December 2026" in messages[0]["text"]
    assert "Talk to someone now" in [b["title"] for b in messages[0]["buttons"]]


def test_submit_when_site_down_offers_questionnaire_and_numbers(closed_port_url):
    """The household is never left without a way forward."""
    tr = tracker("", active_loop=None, slots={"role": "tenant"})
    messages, events = run(ActionSubmitTriage(WebappApi(timeout=1)), tr)
    assert "/questionnaire/locataire" in messages[0]["text"]
    assert "0 805 299 049" in messages[0]["text"]
    assert events == []


def test_render_result_without_orientations_still_has_disclaimer():
    assert "pas un avocat" in render_result({"urgency": "normal"}, "fr")
    assert format_date("2026-04-01", "fr") == "1 avril 2026"


# --- hand-off ---------------------------------------------------------------------
def user_event(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_first_fallback_says_what_assistant_can_do():
    tr = tracker("blabla", intent="nlu_fallback", active_loop=None,
                 events=[user_event("saluer"), user_event("nlu_fallback")])
    messages, _ = run(ActionHandleFallback(), tr)
    assert messages[0]["text"].startswith("Je n'ai pas compris. Je peux vous aider")


def test_second_fallback_in_a_row_offers_a_person():
    tr = tracker("blabla", intent="hors_sujet", active_loop=None,
                 events=[user_event("nlu_fallback"), user_event("hors_sujet")])
    messages, _ = run(ActionHandleFallback(), tr)
    assert "0 805 299 049" in messages[1]["text"]


def test_handoff_never_asks_for_contact_details():
    """The chat points to the referral form; it does not collect a phone number."""
    messages, _ = run(ActionOfferHandoff(), tracker(active_loop=None))
    assert "jamais dans cette conversation" in messages[0]["text"]
    assert messages[1]["custom"]["links"][0]["url"] == "/chat/suite/recontact"


# --- held-out data stays held out ---------------------------------------------------
def test_heldout_sets_share_no_sentence_with_training_data():
    training = set()
    for path in (BOT_DIR / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                training.add(line.strip().lstrip("- ").lower())
    for name in ("heldout_fr.tsv", "heldout_en.tsv"):
        for line in (BOT_DIR / "tests" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                assert line.split("\t", 1)[1].strip().lower() not in training, line


# --- the form's questions ---------------------------------------------------------
def test_every_form_slot_has_a_question_action_in_the_domain():
    import actions.ask as ask

    names = {cls().name() for cls in ask.AskSlotAction.__subclasses__()}
    assert names == {f"action_ask_{slot}" for slot in DOMAIN["forms"]["triage_form"]["required_slots"]}
    assert names <= set(DOMAIN["actions"])


def test_role_question_in_english_has_buttons():
    messages, _ = run(ActionAskRole(), tracker(metadata={"lang": "en"}))
    assert messages[0]["text"] == "Are you the tenant or the landlord?"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/choisir_role{"role": "tenant"}', '/choisir_role{"role": "landlord"}']


def test_stage_question_offers_dont_know():
    messages, _ = run(ActionAskStage(), tracker())
    assert messages[0]["buttons"][-1]["title"] == "Je ne sais pas"
    assert run(ActionAskDebtEur(), tracker())[0][0]["buttons"] == []
