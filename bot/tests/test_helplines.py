"""The helplines' numbers come from the site's directory, never from the bot's own texts."""
import asyncio
import re
from pathlib import Path

import pytest
import yaml
from rasa.core.actions.action import ActionSessionStart as RasaActionSessionStart
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions import helplines
from actions.handoff import ActionOfferHandoff
from actions.session import ActionSessionStart
from actions.slot_mappings import ValidateSlotMappings
from actions.triage import ActionSubmitTriage
from actions.triage_form import ValidateTriageForm
from actions.webapp_api import WebappApi

BOT_DIR = Path(__file__).resolve().parent.parent
DOMAIN_DICT = yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))
RASA_DOMAIN = Domain.load(str(BOT_DIR / "domain.yml"))
CONTACTS_PAGE = "/annuaire/mes-contacts"
# Domain responses that name a helpline.
HELPLINE_RESPONSES = ("utter_urgent_illegal_eviction", "utter_urgent_expulsion",
                      "utter_surendettement", "utter_aide_juridique")


def sdk_tracker(slots=None, lang="fr", events=None):
    all_slots = {name: None for name in DOMAIN_DICT["slots"]}
    all_slots.update({"lang": lang}, **(slots or {}))
    latest = {"text": "", "intent": {"name": "demander_humain", "confidence": 0.9},
              "entities": [], "metadata": {"lang": lang}}
    return Tracker("test", all_slots, latest, events or [], False, None, {}, "action_listen")


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN_DICT))
    return dispatcher.messages, events


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def session_slots():
    """The call_* slots as a new session sets them."""
    _, events = run(ActionSessionStart(), sdk_tracker())
    values = slot_values(events)
    return {name: values[name] for name in helplines.SLOT_NAMES}


def utter(name, slots, lang="fr"):
    """The text Rasa itself renders for a domain response with these slots."""
    events = [SlotSet(key, value) for key, value in dict(slots, lang=lang).items()]
    tracker = DialogueStateTracker.from_events("test", events, slots=RASA_DOMAIN.slots)
    nlg = TemplatedNaturalLanguageGenerator(RASA_DOMAIN.responses)
    return asyncio.run(nlg.generate(name, tracker, "rest"))["text"]


def handoff_text(slots, lang="fr"):
    messages, _ = run(ActionOfferHandoff(), sdk_tracker(slots, lang))
    return messages[0]["text"]


# --- with the directory's answer -----------------------------------------------------
def test_session_start_reads_every_helpline_in_both_languages(fake_site):
    """Each call clause has the directory's number, and its hours when it has some."""
    slots = session_slots()
    assert slots["call_allo_fr"] == "au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h)"
    assert slots["call_allo_en"] == "on 0 805 299 049 (free; Monday to Friday, 2 pm to 5 pm)"
    assert slots["call_sos_loyers_fr"] == "au 0 805 160 075 (gratuit ; du lundi au vendredi)"
    assert slots["call_point_justice_fr"] == "au 3039 (gratuit)"
    assert slots["call_banque_de_france_fr"] == "au 34 14 (du lundi au vendredi, de 8 h à 18 h)"
    assert slots["call_banque_de_france_en"] == "on 34 14 (Monday to Friday, 8 am to 6 pm)"
    asked = {(path, lang) for method, path, lang in fake_site.requests if method == "GET"}
    assert asked == {(f"/api/structures/{structure_id}", lang)
                     for structure_id in helplines.HELPLINES.values() for lang in ("fr", "en")}


def test_domain_responses_print_the_directory_numbers(fake_site):
    slots = session_slots()
    urgent = utter("utter_urgent_expulsion", slots)
    assert ("Appelez dès aujourd'hui Allô Prévention Expulsion au 0 805 299 049 "
            "(gratuit ; du lundi au vendredi, de 14 h à 17 h) ou le point-justice au 3039 (gratuit).") in urgent
    assert "on 0 805 299 049 (free; Monday to Friday, 2 pm to 5 pm)" in utter("utter_urgent_expulsion", slots, "en")
    assert "appelez la Banque de France au 34 14 (du lundi" in utter("utter_surendettement", slots)
    assert "appeler le point-justice au 3039 (gratuit)." in utter("utter_aide_juridique", slots)
    illegal = utter("utter_urgent_illegal_eviction", slots)
    assert "au 17." in illegal and "Allô Prévention Expulsion au 0 805 299 049" in illegal


def test_action_texts_print_the_directory_numbers(fake_site):
    slots = session_slots()
    said = handoff_text(slots)
    assert "• Allô Prévention Expulsion au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h)" in said
    assert ("• SOS Loyers impayés au 0 805 160 075 (gratuit ; du lundi au vendredi), "
            "pour les locataires et les propriétaires") in said
    assert "• Point-justice au 3039 (gratuit)" in said
    assert "• SOS Loyers impayés on 0 805 160 075 (free; Monday to Friday), for tenants" in handoff_text(slots, "en")

    fake_site.triage_body = {"urgency": "immediate", "orientations": [], "deadlines": [], "next_steps": []}
    messages, _ = run(ActionSubmitTriage(), sdk_tracker(dict(slots, role="tenant", stage="expulsion_scheduled")))
    assert messages[0]["text"].startswith(
        "Votre situation est urgente. Agissez aujourd'hui : appelez Allô Prévention Expulsion "
        "au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h) ou le point-justice au 3039 (gratuit).")


def test_past_hearing_advice_gives_the_point_justice_number(fake_site, monkeypatch):
    from actions import triage_form
    import datetime as dt

    monkeypatch.setattr(triage_form, "today", lambda: dt.date(2026, 11, 23))
    tracker = sdk_tracker(dict(session_slots(), role="tenant", stage="assignation", commune="90010",
                               requested_slot="hearing_date"))
    tracker.latest_message.update(text="hier", intent={"name": "donner_date", "confidence": 0.9})
    tracker.active_loop = {"name": "triage_form"}
    messages, _ = run(ValidateTriageForm(), tracker)
    assert "appelez le point-justice au 3039 (gratuit), pour savoir" in messages[0]["text"]


# --- a staff edit in the directory --------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_changed_number_reaches_the_texts_after_the_cache_lifetime(fake_site, monkeypatch):
    """The site is called once a minute at most; after that the new number is printed."""
    clock = Clock()
    monkeypatch.setattr(helplines, "CACHE", helplines.DirectoryCache(clock=clock))
    slots = session_slots()
    calls_before = len(fake_site.requests)

    fake_site.structures["allo-prevention-expulsion"]["phone"] = "0 800 123 456"
    clock.now += helplines.CACHE_TTL_S - 1
    _, events = run(ValidateSlotMappings(), sdk_tracker(slots))
    assert slot_values(events) == {}
    assert len(fake_site.requests) == calls_before  # still cached: the site was not called

    clock.now += 2
    _, events = run(ValidateSlotMappings(), sdk_tracker(slots))
    changed = slot_values(events)
    assert changed == {
        "call_allo_fr": "au 0 800 123 456 (gratuit ; du lundi au vendredi, de 14 h à 17 h)",
        "call_allo_en": "on 0 800 123 456 (free; Monday to Friday, 2 pm to 5 pm)",
    }
    slots.update(changed)
    assert "Allô Prévention Expulsion au 0 800 123 456" in handoff_text(slots)
    assert "Allô Prévention Expulsion au 0 800 123 456" in utter("utter_urgent_expulsion", slots)
    assert "0 805 299 049" not in handoff_text(slots) + utter("utter_urgent_expulsion", slots)


def test_a_new_session_takes_the_new_number(fake_site):
    """Last session's clause is carried over, then replaced by today's."""
    old = session_slots()
    fake_site.structures["point-justice-3039"]["phone"] = "30 30"
    helplines.CACHE.clear()
    tracker = sdk_tracker(old, events=[{"event": "slot", "name": name, "value": value}
                                       for name, value in old.items()])
    _, events = run(ActionSessionStart(), tracker)
    assert slot_values(events)["call_point_justice_fr"] == "au 30 30 (gratuit)"


# --- nothing to print ------------------------------------------------------------------
def assert_fallback(said, expected_clauses=1):
    assert "None" not in said and "{" not in said
    assert said.count(CONTACTS_PAGE) == expected_clauses


def test_site_down_gives_the_contacts_page_instead_of_a_number(closed_port_url):
    slots = session_slots()
    assert all(isinstance(value, str) and CONTACTS_PAGE in value for value in slots.values())
    assert slots["call_allo_fr"] == (
        "(gratuit ; son numéro est sur la page « Trouver mes contacts » du site, /annuaire/mes-contacts)")
    assert slots["call_banque_de_france_en"] == (
        "(its number is on the site's “Find my contacts” page, /annuaire/mes-contacts)")

    urgent = utter("utter_urgent_expulsion", slots)
    assert_fallback(urgent, 2)
    assert urgent.startswith("C'est urgent : ne restez pas seul·e. Appelez dès aujourd'hui "
                             "Allô Prévention Expulsion (gratuit ; son numéro est sur la page")
    for name in HELPLINE_RESPONSES:
        for lang in ("fr", "en"):
            assert_fallback(utter(name, slots, lang), 2 if name == "utter_urgent_expulsion" else 1)
    assert_fallback(handoff_text(slots), 3)
    assert_fallback(handoff_text(slots, "en"), 3)

    messages, _ = run(ActionSubmitTriage(WebappApi(timeout=1)), sdk_tracker(dict(slots, role="tenant")))
    assert "/questionnaire/locataire" in messages[0]["text"]
    assert_fallback(messages[0]["text"])


def test_a_number_missing_from_the_directory_is_left_out_alone(fake_site):
    """No phone, or no such structure: that sentence points to the contacts page, the others keep theirs."""
    fake_site.structures["allo-prevention-expulsion"]["phone"] = None
    del fake_site.structures["banque-de-france-3414"]
    slots = session_slots()
    urgent = utter("utter_urgent_expulsion", slots)
    assert_fallback(urgent)
    assert "Allô Prévention Expulsion (gratuit ; son numéro est sur la page" in urgent
    assert "le point-justice au 3039 (gratuit)" in urgent
    assert "du lundi au vendredi, de 14 h" not in urgent  # no hours without a number
    assert_fallback(utter("utter_surendettement", slots, "en"))


def test_site_error_keeps_the_last_known_numbers(fake_site, monkeypatch):
    """A site that fails for a moment does not take the numbers away."""
    clock = Clock()
    monkeypatch.setattr(helplines, "CACHE", helplines.DirectoryCache(clock=clock))
    first = session_slots()
    fake_site.structures_status = 500
    clock.now += helplines.CACHE_TTL_S + 1
    assert session_slots() == first
    calls = len(fake_site.requests)
    clock.now += 1
    session_slots()
    assert len(fake_site.requests) == calls  # not retried at every message


def test_texts_without_any_slot_still_say_something(fake_site):
    """A conversation from before these slots existed: the action texts never print None."""
    assert_fallback(handoff_text({}), 3)


# --- the session start is Rasa's own, plus the numbers ------------------------------------
SESSION_EVENTS = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "slot", "name": "lang", "value": "en"},
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "hello", "parse_data": {"intent": {"name": "saluer", "confidence": 1.0}}},
    {"event": "slot", "name": "role", "value": "tenant", "metadata": {"source": "test"}},
    {"event": "slot", "name": "commune", "value": "90010"},
    {"event": "action", "name": "utter_greet"},
    {"event": "slot", "name": "debt_eur", "value": 500.0},
    {"event": "undo"},                                       # takes back utter_greet
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "je dois 2000e", "parse_data": {"intent": {"name": "loyer_impaye", "confidence": 1.0}}},
    {"event": "slot", "name": "stage", "value": "jugement"},
    {"event": "rewind"},                                     # takes back the message and action_listen
    {"event": "slot", "name": "stage", "value": "arrears"},
    {"event": "slot", "name": "commune", "value": None},
    {"event": "slot", "name": "call_allo_fr", "value": "au 0 (ancien)"},
    {"event": "slot", "name": "session_started_metadata", "value": {"lang": "en"}},
]


def rasa_default_and_ours(events, carry_over=True):
    domain_dict = dict(DOMAIN_DICT, session_config={"session_expiration_time": 120,
                                                    "carry_over_slots_to_new_session": carry_over})
    domain = Domain.from_dict(domain_dict)
    rasa_tracker = DialogueStateTracker.from_events(
        "test", [Event.from_parameters(e) for e in events], slots=domain.slots)
    rasa_events = asyncio.run(RasaActionSessionStart().run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), rasa_tracker, domain))
    # What the action server receives, as Rasa's RemoteAction sends it.
    tracker = Tracker.from_dict(rasa_tracker.current_state(EventVerbosity.ALL))
    ours = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, domain.as_dict()))
    return [e.as_dict() for e in rasa_events], ours


def comparable(event):
    return {key: event.get(key) for key in ("event", "name", "value", "metadata")}


@pytest.mark.parametrize("carry_over", [True, False])
def test_session_start_carries_slots_over_as_rasa_does(closed_port_url, carry_over):
    rasa_events, ours = rasa_default_and_ours(SESSION_EVENTS, carry_over)
    numbers = ours[-1 - len(helplines.SLOT_NAMES):-1]
    assert [e["name"] for e in numbers] == list(helplines.SLOT_NAMES)
    without_numbers = ours[:-1 - len(helplines.SLOT_NAMES)] + ours[-1:]
    assert [comparable(e) for e in without_numbers] == [
        comparable(e) for e in rasa_events]
    assert ours[0]["event"] == "session_started"
    assert ours[-1] == {"event": "action", "name": "action_listen", "policy": None,
                        "confidence": None, "timestamp": None}
    if carry_over:
        carried = {e["name"]: e["value"] for e in without_numbers if e["event"] == "slot"}
        assert carried["role"] == "tenant" and carried["stage"] == "arrears" and carried["commune"] is None
        assert "debt_eur" not in carried  # undone with utter_greet, as Rasa does
        assert [e.get("metadata") for e in without_numbers if e.get("name") == "role"] == [{"source": "test"}]


def test_session_start_carries_over_only_the_last_session(closed_port_url):
    """Slots set before the previous session start come back only through its carry-over."""
    events = SESSION_EVENTS + [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "slot", "name": "role", "value": "landlord"},
        {"event": "action", "name": "action_listen"},
        {"event": "restart"},
        {"event": "slot", "name": "lang", "value": "fr"},
    ]
    rasa_events, ours = rasa_default_and_ours(events)
    carried = [comparable(e) for e in ours if e["event"] == "slot" and e["name"] not in helplines.SLOT_NAMES]
    assert carried == [comparable(e) for e in rasa_events if e["event"] == "slot"]
    assert [(e["name"], e["value"]) for e in ours if e["event"] == "slot"][0] == ("lang", "fr")


def test_action_server_serves_the_session_start():
    executor = ActionExecutor()
    executor.register_package("actions")
    assert "action_session_start" in executor.actions
    assert "action_session_start" in DOMAIN_DICT["actions"]


# --- the domain and the bot's files ---------------------------------------------------
def test_domain_placeholders_are_the_call_slots():
    """Every {placeholder} of a response is a slot the action server fills."""
    used = set()
    for variations in DOMAIN_DICT["responses"].values():
        for variation in variations:
            used |= set(re.findall(r"{([^{}]+)}", variation.get("text", "")))
    assert used <= set(helplines.SLOT_NAMES)
    assert {f"call_{key}_{lang}" for key in ("allo", "point_justice", "banque_de_france")
            for lang in ("fr", "en")} <= used
    for name in helplines.SLOT_NAMES:
        slot = DOMAIN_DICT["slots"][name]
        assert slot["influence_conversation"] is False and slot["mappings"] == [{"type": "custom"}]


# A phone number as the chat page makes it callable (webapp/chat/views.py),
# not counting the directory's id "point-justice-3039".
PHONE = re.compile(r"(?<![\d-])(0 ?\d{3} ?\d{3} ?\d{3}|0\d(?: ?\d{2}){4}|3039|34 ?14)(?!\d)")


def test_no_phone_number_is_written_in_the_bot():
    """The directory is the one place for the numbers (tests excepted: fixtures)."""
    files = [BOT_DIR / "domain.yml", BOT_DIR / "README.md", *sorted((BOT_DIR / "actions").glob("*.py")),
             *sorted((BOT_DIR / "actions").glob("*.yml")), *sorted((BOT_DIR / "data").rglob("*.yml"))]
    found = [f"{path.relative_to(BOT_DIR)}: {match.group(0)}" for path in files
             for match in PHONE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_fresh_cache_answers_each_message_without_a_thread_or_the_site(fake_site, monkeypatch):
    """The validation action runs on every message: a warm cache costs a dict read, no more."""
    clock = Clock()
    monkeypatch.setattr(helplines, "CACHE", helplines.DirectoryCache(clock=clock))
    slots = session_slots()
    calls_before = len(fake_site.requests)

    def no_thread(*_args, **_kwargs):
        raise AssertionError("a thread was started for a fresh cache")

    monkeypatch.setattr(helplines.asyncio, "to_thread", no_thread)
    for _ in range(3):
        _, events = run(ValidateSlotMappings(), sdk_tracker(slots))
        assert slot_values(events) == {}
    assert len(fake_site.requests) == calls_before
    clock.now += helplines.CACHE_TTL_S + 1
    assert helplines.slot_values(fetch=False) is None
