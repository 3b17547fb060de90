"""The helplines' numbers come from the site's directory, never from the bot's own texts."""
import asyncio
import re

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import ActionExecutor

from actions import helplines
from actions.handoff import ActionOfferHandoff, ActionUrgentExpulsion
from actions.slot_mappings import ValidateSlotMappings
from actions.triage import ActionSubmitTriage
from actions.triage_form import ValidateTriageForm
from actions.webapp_api import WebappApi
from action_helpers import BOT_DIR, DOMAIN, run, slot_events, tracker

DOMAIN_DICT = DOMAIN
RASA_DOMAIN = Domain.load(str(BOT_DIR / "domain.yml"))
CONTACTS_PAGE = "/annuaire/mes-contacts"
# Domain responses that name a helpline.
HELPLINE_RESPONSES = ("utter_urgent_illegal_eviction", "utter_surendettement", "utter_aide_juridique")


def sdk_tracker(slots=None, lang="fr", events=None, page_lang=None):
    """A tracker as the action server receives it; ``page_lang`` is the message's metadata."""
    return tracker(intent="demander_humain", slots={"lang": lang, **(slots or {})},
                   metadata={"lang": page_lang or lang}, active_loop=None, events=events)


slot_values = slot_events


def first_message_slots(lang="fr"):
    """The call_* slots as the first message of a conversation in ``lang`` sets them."""
    # A new conversation: the lang slot has its initial value, the page says ``lang``.
    _, events = run(ValidateSlotMappings(), sdk_tracker(lang="fr", page_lang=lang))
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


def urgent_text(slots, lang="fr"):
    messages, _ = run(ActionUrgentExpulsion(), sdk_tracker(slots, lang))
    return messages[0]["text"]


# --- with the directory's answer -----------------------------------------------------
FRENCH = {
    "call_allo": "au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h)",
    "call_sos_loyers": "au 0 805 160 075 (gratuit ; du lundi au vendredi)",
    "call_point_justice": "au 3039 (gratuit)",
    "call_banque_de_france": "au 34 14 (du lundi au vendredi, de 8 h à 18 h)",
}
ENGLISH = {
    "call_allo": "on 0 805 299 049 (free; Monday to Friday, 2 pm to 5 pm)",
    "call_sos_loyers": "on 0 805 160 075 (free; Monday to Friday)",
    "call_point_justice": "on 3039 (free)",
    "call_banque_de_france": "on 34 14 (Monday to Friday, 8 am to 6 pm)",
}


def test_first_message_sets_exactly_the_four_call_slots_in_its_language(fake_site):
    """Each call clause has the directory's number, and its hours when it has some."""
    _, events = run(ValidateSlotMappings(), sdk_tracker())
    assert slot_values(events) == FRENCH
    assert len(events) == 4
    asked = {(path, lang) for method, path, lang in fake_site.requests if method == "GET"}
    assert asked == {(f"/api/structures/{structure_id}", "fr") for structure_id in helplines.HELPLINES.values()}


def test_first_message_on_an_english_page_sets_them_in_english(fake_site):
    _, events = run(ValidateSlotMappings(), sdk_tracker(lang="fr", page_lang="en"))
    assert slot_values(events) == dict(ENGLISH, lang="en")


def test_a_second_message_in_the_same_language_adds_no_event(fake_site):
    """Every event stays in the tracker and costs Rasa time on each later message."""
    for lang, slots in (("fr", FRENCH), ("en", ENGLISH)):
        _, events = run(ValidateSlotMappings(), sdk_tracker(slots, lang))
        assert events == []


def test_a_language_change_sets_the_four_in_the_other_language(fake_site):
    _, events = run(ValidateSlotMappings(), sdk_tracker(FRENCH, lang="fr", page_lang="en"))
    assert slot_values(events) == dict(ENGLISH, lang="en")
    _, events = run(ValidateSlotMappings(), sdk_tracker(ENGLISH, lang="en", page_lang="fr"))
    assert slot_values(events) == dict(FRENCH, lang="fr")


def test_domain_responses_print_the_directory_numbers(fake_site):
    slots, english = first_message_slots(), first_message_slots("en")
    urgent = urgent_text(slots)
    # "dès que possible", not "dès aujourd'hui": the line is open on weekdays, 2 to 5 pm.
    assert ("appelez dès que possible Allô Prévention Expulsion au 0 805 299 049 "
            "(gratuit ; du lundi au vendredi, de 14 h à 17 h) ou le point-justice au 3039 (gratuit).") in urgent
    assert ("call Allô Prévention Expulsion on 0 805 299 049 (free; Monday to Friday, 2 pm to 5 pm) "
            "or the point-justice on 3039 (free) as soon as you can.") in urgent_text(english, "en")
    assert "appelez la Banque de France au 34 14 (du lundi" in utter("utter_surendettement", slots)
    assert "call the Banque de France on 34 14 (Monday" in utter("utter_surendettement", english, "en")
    assert "appeler le point-justice au 3039 (gratuit)." in utter("utter_aide_juridique", slots)
    illegal = utter("utter_urgent_illegal_eviction", slots)
    assert "au 17." in illegal and "Allô Prévention Expulsion au 0 805 299 049" in illegal


def test_action_texts_print_the_directory_numbers(fake_site):
    slots = first_message_slots()
    said = handoff_text(slots)
    assert "• Allô Prévention Expulsion au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h)" in said
    assert ("• SOS Loyers impayés au 0 805 160 075 (gratuit ; du lundi au vendredi), "
            "pour les locataires et les propriétaires") in said
    assert "• Point-justice au 3039 (gratuit)" in said
    english = handoff_text(first_message_slots("en"), "en")
    assert "• SOS Loyers impayés on 0 805 160 075 (free; Monday to Friday), for tenants" in english

    fake_site.triage_body = {"urgency": "immediate", "orientations": [], "deadlines": [], "next_steps": []}
    messages, _ = run(ActionSubmitTriage(), sdk_tracker(dict(slots, role="tenant", stage="expulsion_scheduled")))
    assert messages[0]["text"].startswith(
        "Votre situation est urgente. Agissez aujourd'hui : appelez Allô Prévention Expulsion "
        "au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h) ou le point-justice au 3039 (gratuit).")


def test_action_texts_follow_a_language_change_within_the_message(fake_site):
    """The validation runs first: the action sees the slots in the message's language."""
    tracker = sdk_tracker(FRENCH, lang="fr", page_lang="en")
    _, events = run(ValidateSlotMappings(), tracker)
    for name, value in slot_values(events).items():
        tracker.slots[name] = value
    messages, _ = run(ActionOfferHandoff(), tracker)
    assert "• Allô Prévention Expulsion on 0 805 299 049 (free; Monday to Friday" in messages[0]["text"]
    assert " au " not in messages[0]["text"]


def test_clauses_in_another_language_are_not_mixed_into_a_text():
    """Slots still in French for an English text: the English clause without a number."""
    messages, _ = run(ActionOfferHandoff(), sdk_tracker(FRENCH, lang="fr", page_lang="en"))
    said = messages[0]["text"]
    assert said.startswith("You can talk to a person")
    assert "au 0 805" not in said and "gratuit" not in said
    assert_fallback(said)


def test_past_hearing_advice_gives_the_point_justice_number(fake_site, monkeypatch):
    from actions import triage_form
    import datetime as dt

    monkeypatch.setattr(triage_form, "today", lambda: dt.date(2026, 11, 23))
    tracker = sdk_tracker(dict(first_message_slots(), role="tenant", stage="assignation", commune="90010",
                               requested_slot="hearing_date"))
    tracker.latest_message.update(text="hier", intent={"name": "donner_date", "confidence": 0.9})
    tracker.active_loop = {"name": "triage_form"}
    messages, _ = run(ValidateTriageForm(), tracker)
    assert "appelez le point-justice au 3039 (gratuit)." in messages[0]["text"]


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
    slots = first_message_slots()
    calls_before = len(fake_site.requests)

    fake_site.structures["allo-prevention-expulsion"]["phone"] = "0 800 123 456"
    clock.now += helplines.CACHE_TTL_S - 1
    _, events = run(ValidateSlotMappings(), sdk_tracker(slots))
    assert events == []
    assert len(fake_site.requests) == calls_before  # still cached: the site was not called

    clock.now += 2
    _, events = run(ValidateSlotMappings(), sdk_tracker(slots))
    changed = slot_values(events)
    assert changed == {"call_allo": "au 0 800 123 456 (gratuit ; du lundi au vendredi, de 14 h à 17 h)"}
    slots.update(changed)
    assert "Allô Prévention Expulsion au 0 800 123 456" in handoff_text(slots)
    assert "Allô Prévention Expulsion au 0 800 123 456" in urgent_text(slots)
    assert "0 805 299 049" not in handoff_text(slots) + urgent_text(slots)
    # An English conversation gets the English clause of the new number.
    _, events = run(ValidateSlotMappings(), sdk_tracker(ENGLISH, "en"))
    assert slot_values(events) == {"call_allo": "on 0 800 123 456 (free; Monday to Friday, 2 pm to 5 pm)"}


# --- nothing to print ------------------------------------------------------------------
def assert_fallback(said, expected_clauses=1):
    assert "None" not in said and "{" not in said and "\x00" not in said
    assert "  " not in said and " ," not in said and " ." not in said and " \n" not in said
    assert said.count(CONTACTS_PAGE) == expected_clauses


def test_site_down_gives_the_contacts_page_instead_of_a_number(closed_port_url):
    slots, english = first_message_slots(), first_message_slots("en")
    assert all(isinstance(value, str) and CONTACTS_PAGE in value
               for value in list(slots.values()) + list(english.values()))
    # No answer from the site, so nothing says the line is free either.
    assert slots["call_allo"] == (
        "(son numéro est sur la page « Trouver mes contacts » du site, /annuaire/mes-contacts)")
    assert english["call_banque_de_france"] == (
        "(its number is on the site's “Find my contacts” page, /annuaire/mes-contacts)")

    urgent = urgent_text(slots)
    assert_fallback(urgent)
    # Neither line has a number: one sentence sends to the contacts page
    # (the domain response did it twice in one sentence).
    assert urgent.startswith("C'est urgent. Ne restez pas seul·e : appelez dès que possible "
                             "Allô Prévention Expulsion ou le point-justice. Leurs numéros sont sur la page")
    assert urgent.endswith("Ensuite, je vous dis où trouver l'assistante sociale du Département.")
    assert_fallback(urgent_text(english, "en"))
    for name in HELPLINE_RESPONSES:
        assert_fallback(utter(name, slots))
        assert_fallback(utter(name, english, "en"))
    # A text composed by an action says it once.
    assert_fallback(handoff_text(slots))
    assert_fallback(handoff_text(english, "en"))

    messages, _ = run(ActionSubmitTriage(WebappApi(timeout=1)), sdk_tracker(dict(slots, role="tenant")))
    assert "/questionnaire/locataire" in messages[0]["text"]
    assert_fallback(messages[0]["text"])


def test_a_number_missing_from_the_directory_is_left_out_alone(fake_site):
    """No phone, or no such structure: that sentence points to the contacts page, the others keep theirs."""
    fake_site.structures["allo-prevention-expulsion"]["phone"] = None
    del fake_site.structures["banque-de-france-3414"]
    slots = first_message_slots()
    urgent = urgent_text(slots)
    assert_fallback(urgent)
    assert "Allô Prévention Expulsion (gratuit) ou le point-justice au 3039 (gratuit)." in urgent
    assert "le point-justice au 3039 (gratuit)" in urgent
    assert "du lundi au vendredi, de 14 h" not in urgent  # no hours without a number
    assert_fallback(utter("utter_surendettement", first_message_slots("en"), "en"))


def test_site_error_keeps_the_last_known_numbers(fake_site, monkeypatch):
    """A site that fails for a moment does not take the numbers away."""
    clock = Clock()
    monkeypatch.setattr(helplines, "CACHE", helplines.DirectoryCache(clock=clock))
    first = first_message_slots()
    fake_site.structures_status = 500
    clock.now += helplines.CACHE_TTL_S + 1
    assert first_message_slots() == first
    _, events = run(ValidateSlotMappings(), sdk_tracker(first))
    assert events == []
    calls = len(fake_site.requests)
    clock.now += 1
    first_message_slots()
    assert len(fake_site.requests) == calls  # not retried at every message


def test_texts_without_any_slot_still_say_something(fake_site):
    """A conversation whose slots are not set yet: the action texts never print None."""
    assert_fallback(handoff_text({}))
    assert_fallback(handoff_text({}, "en"))


# --- "gratuit" is the directory's fact ------------------------------------------------
def test_a_line_the_directory_does_not_mark_free_gets_no_gratuit(fake_site):
    """The point-justice made not free in the site's answer: no "gratuit" anywhere, the rest unchanged."""
    fake_site.structures["point-justice-3039"]["free_call"] = False
    slots, english = first_message_slots(), first_message_slots("en")
    assert slots == dict(FRENCH, call_point_justice="au 3039")
    assert english == dict(ENGLISH, call_point_justice="on 3039")
    assert "appeler le point-justice au 3039." in utter("utter_aide_juridique", slots)
    assert "call the point-justice on 3039." in utter("utter_aide_juridique", english, "en")
    said = handoff_text(slots)
    assert "• Point-justice au 3039\n" in said
    assert "• SOS Loyers impayés au 0 805 160 075 (gratuit ; du lundi au vendredi)" in said
    assert "• Point-justice on 3039\n" in handoff_text(english, "en")


def test_only_a_true_free_call_says_free():
    """An older site without the field, or a malformed value, says nothing of the price."""
    for structure in ({"phone": "3039"}, {"phone": "3039", "free_call": None},
                      {"phone": "3039", "free_call": "true"}, {"phone": "3039", "free_call": 1}):
        assert helplines.clause(structure, "fr") == "au 3039", structure
    assert helplines.clause({"phone": "3039", "free_call": True}, "en") == "on 3039 (free)"
    assert not hasattr(helplines, "FREE")  # no list of free lines in the bot


# --- several lines without a number: the contacts page once ----------------------------
NO_NUMBER_END = "sont sur la page « Trouver mes contacts » du site : /annuaire/mes-contacts."
REST_FR = ("Vous pouvez aussi demander à être recontacté·e : vos coordonnées sont demandées dans un formulaire, "
           "avec votre accord, jamais dans cette conversation.")
REST_EN = "You can also ask to be contacted: your details are asked in a form, with your consent, never in this conversation."


def test_handoff_with_every_number_says_no_more(fake_site):
    assert handoff_text(first_message_slots()) == (
        "Vous pouvez parler à une personne :\n"
        "• Allô Prévention Expulsion au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h)\n"
        "• SOS Loyers impayés au 0 805 160 075 (gratuit ; du lundi au vendredi), pour les locataires et les propriétaires\n"
        "• Point-justice au 3039 (gratuit)\n" + REST_FR)
    assert CONTACTS_PAGE not in handoff_text(first_message_slots("en"), "en")


def test_handoff_with_one_number_missing_names_it_once(fake_site):
    """Staff cleared a number: the site then says nothing of its price either."""
    fake_site.structures["sos-loyers-impayes"].update(phone=None, free_call=False)
    said = handoff_text(first_message_slots())
    assert said == (
        "Vous pouvez parler à une personne :\n"
        "• Allô Prévention Expulsion au 0 805 299 049 (gratuit ; du lundi au vendredi, de 14 h à 17 h)\n"
        "• SOS Loyers impayés, pour les locataires et les propriétaires\n"
        "• Point-justice au 3039 (gratuit)\n"
        "Le numéro de SOS Loyers impayés est sur la page « Trouver mes contacts » du site : /annuaire/mes-contacts.\n"
        + REST_FR)
    english = handoff_text(first_message_slots("en"), "en")
    assert ("• SOS Loyers impayés, for tenants and landlords\n• Point-justice on 3039 (free)\n"
            "The number for SOS Loyers impayés is on the site's “Find my contacts” page: /annuaire/mes-contacts.\n"
            + REST_EN) in english
    assert_fallback(said)
    assert_fallback(english)


def test_handoff_with_every_number_missing_says_where_they_are_once(closed_port_url):
    assert handoff_text(first_message_slots()) == (
        "Vous pouvez parler à une personne :\n"
        "• Allô Prévention Expulsion\n"
        "• SOS Loyers impayés, pour les locataires et les propriétaires\n"
        "• Point-justice\n"
        "Leurs numéros " + NO_NUMBER_END + "\n" + REST_FR)
    assert handoff_text(first_message_slots("en"), "en") == (
        "You can talk to a person:\n"
        "• Allô Prévention Expulsion\n"
        "• SOS Loyers impayés, for tenants and landlords\n"
        "• Point-justice\n"
        "Their numbers are on the site's “Find my contacts” page: /annuaire/mes-contacts.\n" + REST_EN)


def test_a_missing_line_keeps_its_free_note_and_loses_only_the_pointer():
    """A directory saying "free" without a number: "(gratuit)" stays in the clause, the page moves to the end."""
    calls = {"call_allo": helplines.clause({"phone": None, "free_call": True}, "fr"),
             "call_point_justice": "au 3039 (gratuit)"}
    assert calls["call_allo"].startswith("(gratuit ; son numéro")
    said = helplines.say("result_intro_immediate", "fr", calls)
    assert said == ("Votre situation est urgente. Agissez aujourd'hui : appelez Allô Prévention Expulsion (gratuit) "
                    "ou le point-justice au 3039 (gratuit). Le numéro d'Allô Prévention Expulsion est sur la page "
                    "« Trouver mes contacts » du site : /annuaire/mes-contacts.")
    both = helplines.say("result_intro_immediate", "en", {})
    assert both == ("Your situation is urgent. Act today: call Allô Prévention Expulsion or the point-justice. "
                    "Their numbers are on the site's “Find my contacts” page: /annuaire/mes-contacts.")


def test_every_composed_text_reads_cleanly_whatever_is_missing():
    """Each text naming helplines, with any set of lines missing: one pointer at most, no stray blank."""
    import itertools

    from actions.texts import NUMBER_OF, TEXTS

    assert set(NUMBER_OF) == set(helplines.HELPLINES)
    with_calls = [key for key, texts in TEXTS.items() if "{call_" in texts["fr"]]
    assert {"handoff", "api_unavailable", "result_intro_immediate", "hearing_date_past"} <= set(with_calls)
    for key in with_calls:
        for lang in ("fr", "en"):
            template = TEXTS[key][lang]
            assert template.count("{numbers_page}") + template.count("{numbers_page_line}") == 1, (key, lang)
            used = sorted(set(re.findall(r"{(call_[a-z_]+)}", template)))
            for missing in itertools.chain.from_iterable(
                    itertools.combinations(used, n) for n in range(len(used) + 1)):
                calls = {name: helplines.clause(None if name in missing else {"phone": "0 800 000 000"}, lang)
                         for name in used}
                said = helplines.say(key, lang, calls, date="1 mai")
                assert_fallback(said, 1 if missing else 0)
                assert said.count("0 800 000 000") == len(used) - len(missing), (key, lang, missing)


# --- the session start is Rasa's own ------------------------------------------------------
def test_no_custom_session_start():
    """Rasa's default session start: no remote call and no SlotSet at each conversation's start."""
    assert "action_session_start" not in DOMAIN_DICT["actions"]
    executor = ActionExecutor()
    executor.register_package("actions")
    assert "action_session_start" not in executor.actions
    assert "action_validate_slot_mappings" in executor.actions


# --- the domain and the bot's files ---------------------------------------------------
def test_domain_placeholders_are_the_call_slots():
    """Every {placeholder} of a response is a call slot, the same in French and in English."""
    used = set()
    for name, variations in DOMAIN_DICT["responses"].items():
        placeholders = [set(re.findall(r"{([^{}]+)}", variation.get("text", ""))) for variation in variations]
        assert all(found == placeholders[0] for found in placeholders), name
        used |= placeholders[0]
    assert used <= set(helplines.SLOT_NAMES)
    assert {"call_allo", "call_point_justice", "call_banque_de_france"} <= used
    call_slots = {name for name in DOMAIN_DICT["slots"] if name.startswith("call_")}
    assert call_slots == set(helplines.SLOT_NAMES) == {f"call_{key}" for key in helplines.HELPLINES}
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
    slots = first_message_slots()
    calls_before = len(fake_site.requests)

    def no_thread(*_args, **_kwargs):
        raise AssertionError("a thread was started for a fresh cache")

    monkeypatch.setattr(helplines.asyncio, "to_thread", no_thread)
    for _ in range(3):
        _, events = run(ValidateSlotMappings(), sdk_tracker(slots))
        assert events == []
    assert len(fake_site.requests) == calls_before
    clock.now += helplines.CACHE_TTL_S + 1
    assert helplines.slot_values("fr", fetch=False) is None
