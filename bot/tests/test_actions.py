"""Action unit tests: real actions, real HTTP to a local stand-in for the site."""
import asyncio
import datetime as dt

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions import triage_form as triage_form_module
from actions.texts import text
from actions.amounts import parse_amount
from actions.ask import (ActionAskDebtEur, ActionAskDebts, ActionAskHousingBenefit,
                         ActionAskLandlordKind, ActionAskPrivateSectorEmployee,
                         ActionAskResumedRent, ActionAskRole, ActionAskStage)
from actions.communes import resolve_commune_entity
from actions.dates import parse_date, parse_date_and_precision
from actions.handoff import ActionHandleFallback, ActionOfferHandoff, ActionUrgentExpulsion
from actions.slot_mappings import ValidateSlotMappings
from actions.triage import ActionSubmitTriage, format_date, render_result
from actions.triage_form import ValidateTriageForm
from actions.webapp_api import TriageRejected, WebappApi, WebappUnavailable
from action_helpers import BOT_DIR, DOMAIN, run, slot_events, tracker

TODAY = dt.date(2026, 11, 23)



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
    ("-5 €", None),           # the sign made it 5 € of debt
    ("je dois -300e", None),
    ("ma dette - 800 €", 800.0),           # a dash in a sentence, not a minus
    ("1 500 € - 2000 €", 1500.0),
    # Months of rent and the rent: the product ("3 mois de loyer a 550" was 550).
    ("3 mois de loyer a 550", 1650.0),
    ("je dois 3 loyers de 550€", 1650.0),
    ("3 months at 550 euros", 1650.0),
    ("3 mois de loyer de retard", None),
])
def test_parse_amount_reads_amounts_people_type(text, expected):
    """Amounts with a currency are read; months of rent are not money."""
    assert parse_amount(text) == expected


def test_parse_amount_accepts_bare_number_only_when_asked():
    """A bare "1200" is an amount only as the answer to the amount question."""
    assert parse_amount("1200") is None
    assert parse_amount("1200", require_currency=False) == 1200.0
    assert parse_amount("-5", require_currency=False) is None


@pytest.mark.parametrize("text", ["je dois 3 mois de loyer", "3 loyers", "2 mois et demi"])
def test_months_of_rent_are_not_an_amount_even_when_asked(text):
    """"je dois 3 mois de loyer" to the amount question is not a debt of 3 euros."""
    assert parse_amount(text, require_currency=False) is None


@pytest.mark.parametrize("text,prefer,expected", [
    ("le 3 octobre", "past", dt.date(2026, 10, 3)),
    ("hier", "past", dt.date(2026, 11, 22)),
    ("15/09", "past", dt.date(2026, 9, 15)),
    ("l'huissier est passe le 2 novembre", "past", dt.date(2026, 11, 2)),
    ("le 12 decembre", "future", dt.date(2026, 12, 12)),
    ("le 12 decembre", "past", dt.date(2025, 12, 12)),
    ("yesterday", "past", dt.date(2026, 11, 22)),
    ("Belfort", "past", None),
    # The hearing's hour, as the summons gives it: "15 janvier à 14h" was the
    # year 2114, "8/12 a 9h" today.
    ("le 15 janvier à 14h", "future", dt.date(2027, 1, 15)),
    ("8/12 a 9h", "future", dt.date(2026, 12, 8)),
    ("le mardi 8 décembre 2026 à 9 heures", "future", dt.date(2026, 12, 8)),
    ("le 15 janvier a 14h30", "future", dt.date(2027, 1, 15)),
    ("10/12/2026 14:00", "future", dt.date(2026, 12, 10)),
    ("on 8 December at 2 pm", "future", dt.date(2026, 12, 8)),
    ("le 10 decembre le matin", "future", dt.date(2026, 12, 10)),
    ("14h", "future", None),
    ("2026-12-15", "future", dt.date(2026, 12, 15)),
    ("aujourd hui", "past", dt.date(2026, 11, 23)),
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


@pytest.mark.parametrize("message, role", [
    ("j'ai fait delivrer un commandement de payer a mon locataire", "landlord"),
    ("je suis bailleur, le commissaire a delivre le commandement", "landlord"),
    ("mon bailleur m'a envoye un commandement de payer", "tenant"),
])
def test_a_landlord_telling_of_the_commandement_is_not_taken_for_the_tenant(message, role):
    """The stage intents set the role to tenant: a landlord then got the tenant's questions and answer."""
    tr = tracker(message, intent="commandement_payer", active_loop=None, slots={"role": "tenant"},
                 events=[{"event": "user", "text": message},
                         {"event": "slot", "name": "role", "value": "tenant"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["role"] == role


@pytest.mark.parametrize("message, stage", [
    ("j'ai reçu un courrier recommandé mais je comprends pas ce que c'est", None),
    ("jai recu un papier de l'huissier je dois 2000e", None),
    ("jai recu un commandement de payer", "commandement_de_payer"),
    ("I got an order to pay from the bailiff", "commandement_de_payer"),
    # Misspelled, still named (the first version of this check sent them to the paper question).
    ("jai eu un commandemant de payé par huissier", "commandement_de_payer"),
    ("comandement de payer", "commandement_de_payer"),
])
def test_some_paper_is_not_taken_for_a_commandement_de_payer(message, stage):
    """An unnamed paper got the commandement's 6-week deadline; the form now asks which paper."""
    tr = tracker(message, intent="commandement_payer", active_loop=None, slots={"stage": "commandement_de_payer"},
                 events=[{"event": "user", "text": message},
                         {"event": "slot", "name": "stage", "value": "commandement_de_payer"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == stage


# --- the form -------------------------------------------------------------------
def required(slots):
    return asyncio.run(ValidateTriageForm().required_slots(
        [], CollectingDispatcher(), tracker(slots=slots), DOMAIN))


def test_form_asks_dates_the_api_uses_for_order_to_pay():
    """After a commandement: its date, the lease date, the debt, then the aid questions."""
    assert required({"role": "tenant", "stage": "commandement_de_payer"}) == [
        "role", "stage", "commune", "commandement_date", "lease_date", "debt_eur",
        "monthly_income_eur", "housing_benefit", "private_sector_employee", "debts"]


def test_form_asks_landlord_the_commune_and_the_housing_benefit():
    """A landlord is oriented without any stage question; the benefit decides the CAF report."""
    assert required({"role": "landlord"}) == ["role", "commune", "housing_benefit"]


def test_form_asks_household_size_only_after_a_positive_income():
    """The household size is asked once an income is known, not for "je ne sais pas" or 0."""
    base = {"role": "tenant", "stage": "arrears"}
    assert "household_size" in required(dict(base, monthly_income_eur=1300.0))
    assert "household_size" not in required(dict(base, monthly_income_eur="unknown"))
    assert "household_size" not in required(dict(base, monthly_income_eur=0.0))
    assert "household_size" not in required(base)


def test_form_skips_income_when_nothing_is_owed():
    """A debt of 0 opens no FSL: no income question."""
    assert "monthly_income_eur" not in required({"role": "tenant", "stage": "arrears", "debt_eur": 0.0})
    assert "monthly_income_eur" in required({"role": "tenant", "stage": "arrears", "debt_eur": "unknown"})


@pytest.mark.parametrize("stage,income,aids", [
    ("arrears", True, True),
    ("commandement_de_payer", True, True),
    ("assignation", True, True),
    ("unknown", True, True),
    ("jugement", False, True),
    ("commandement_de_quitter", False, True),
    ("expulsion_scheduled", False, True),
    ("illegal_eviction", False, False),
])
def test_aid_questions_follow_the_stages_the_api_uses(stage, income, aids):
    """Income only before the judgment (FSL scale); benefit, job, debts at every stage but illegal eviction."""
    slots = required({"role": "tenant", "stage": stage})
    assert ("monthly_income_eur" in slots) is income
    assert all((slot in slots) is aids for slot in ("housing_benefit", "private_sector_employee", "debts"))
    if aids:
        # Deciding date first, then the debt, then the aids.
        assert slots[-3:] == ["housing_benefit", "private_sector_employee", "debts"]


@pytest.mark.parametrize("stage,asked", [
    ("arrears", True), ("unknown", True), ("jugement", True), ("commandement_de_quitter", True),
    ("expulsion_scheduled", True), ("commandement_de_payer", False), ("assignation", False),
    ("illegal_eviction", False),
])
def test_landlord_kind_is_asked_first_where_the_api_reads_it(stage, asked):
    """Arrears (CDAD for a private landlord) and after the judgment (protocole): right after the commune."""
    slots = required({"role": "tenant", "stage": stage})
    assert ("landlord_kind" in slots) is asked
    if asked:
        assert slots[3] == "landlord_kind"
    assert "landlord_kind" not in required({"role": "landlord"})


def test_resumed_rent_is_asked_after_the_debt_at_the_summons_only():
    """Only before the hearing, after the debt; not when nothing is owed."""
    slots = required({"role": "tenant", "stage": "assignation"})
    assert slots[slots.index("debt_eur") + 1] == "resumed_rent"
    assert "resumed_rent" in required({"role": "tenant", "stage": "assignation", "debt_eur": "unknown"})
    assert "resumed_rent" not in required({"role": "tenant", "stage": "assignation", "debt_eur": 0.0})
    for stage in ("arrears", "commandement_de_payer", "jugement", "unknown"):
        assert "resumed_rent" not in required({"role": "tenant", "stage": stage})


def test_form_resolves_commune_through_site(fake_site):
    """A unique match sets the INSEE code and the name."""
    tr = tracker("j'habite a belfort", intent="donner_commune", requested_slot="commune",
                 slots={"role": "tenant", "stage": "arrears"},
                 entities=[{"entity": "commune", "value": "belfort"}])
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["commune"] == "90010"
    # At the arrears stage the landlord's kind comes right after the commune.
    assert slot_events(events)["requested_slot"] == "landlord_kind"
    assert ("GET", "/api/communes", "belfort") in fake_site.requests


def commune_entities(message, *names):
    return [{"entity": "commune", "value": n, "start": message.lower().index(n.lower()),
             "end": message.lower().index(n.lower()) + len(n)} for n in names]


@pytest.mark.parametrize("message, names", [
    ("j'habite dans le Territoire de Belfort a Delle", ("Belfort", "Delle")),
    ("j'habite rue de Belfort a Delle", ("Belfort", "Delle")),
    ("24 Faubourg de Belfort, Delle", ("Belfort", "Delle")),
])
def test_a_departement_or_street_named_after_a_commune_is_not_the_home(fake_site, message, names):
    """"Rue de Belfort à Delle" sent the household to Belfort's social workers."""
    tr = tracker(message, intent="donner_commune", requested_slot="commune",
                 slots={"role": "tenant", "stage": "arrears"}, entities=commune_entities(message, *names))
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["commune"] == "90033"


def test_the_home_named_in_passing_skips_the_departement_s_name(fake_site):
    message = "mon proprio a change les serrures, j'habite dans le Territoire de Belfort a Delle"
    tr = tracker(message, intent="expulsion_illegale", active_loop=None,
                 entities=commune_entities(message, "Belfort", "Delle"))
    assert resolve_commune_entity(tr) == {"commune": "90033", "commune_name": "Delle"}
    only_departement = "c'est dans le doubs, pas dans le territoire de belfort"
    tr = tracker(only_departement, intent="donner_commune", active_loop=None,
                 entities=commune_entities(only_departement, "belfort"))
    assert resolve_commune_entity(tr) == {}


@pytest.mark.parametrize("message, previous", [("25200", None), ("montbeliard", "Je ne trouve pas « besancon »")])
def test_a_home_outside_the_departement_is_told_what_the_service_covers(fake_site, message, previous):
    """A postcode of another département at once, or a second name not found: not "check the spelling" forever."""
    events = ([{"event": "user", "text": "besancon"}, {"event": "bot", "text": previous + " parmi les communes…"},
               {"event": "bot", "text": "Dans quelle commune du Territoire de Belfort est le logement ?"}]
              if previous else []) + [{"event": "user", "text": message}]
    tr = tracker(message, intent="donner_commune", requested_slot="commune",
                 slots={"role": "tenant", "stage": "arrears"}, events=events)
    messages, evs = run(ValidateTriageForm(), tr)
    assert slot_events(evs)["commune"] is None
    assert messages[0]["text"].startswith("Ce service couvre seulement les communes du Territoire de Belfort")
    assert "SOS Loyers impayés" in messages[0]["text"]


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


# --- dates on the wrong side of today ---------------------------------------------
@pytest.mark.parametrize("slot,stage,answer,shown", [
    ("commandement_date", "commandement_de_payer", "le 3 decembre 2026", "3 décembre 2026"),
    ("commandement_date", "commandement_de_payer", "demain", "24 novembre 2026"),
    ("judgment_served_date", "jugement", "dans 10 jours", "3 décembre 2026"),
    ("commandement_de_quitter_date", "commandement_de_quitter", "12/01/2027", "12 janvier 2027"),
    ("lease_date", "commandement_de_payer", "mars 2027", "1er mars 2027"),
])
def test_form_refuses_a_past_event_dated_in_the_future(slot, stage, answer, shown):
    """A paper already received cannot bear a future date: said plainly, asked again."""
    tr = tracker(answer, requested_slot=slot,
                 slots={"role": "tenant", "stage": stage, "commune": "90010", "landlord_kind": "private",
                        "commandement_date": "2026-10-03" if slot == "lease_date" else None})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)[slot] is None
    assert slot_events(events)["requested_slot"] == slot
    assert messages[0]["text"].startswith(f"Le {shown} n'est pas encore arrivé")
    assert "je ne sais pas" in messages[0]["text"]


def test_form_accepts_today_for_a_past_event():
    tr = tracker("aujourd'hui", requested_slot="commandement_date",
                 slots={"role": "tenant", "stage": "commandement_de_payer", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["commandement_date"] == "2026-11-23"
    assert [m["text"] for m in messages] == ["Date notée : 23 novembre 2026."]


@pytest.mark.parametrize("answer, iso", [("le 15 decembre", "2025-12-15"), ("avant hier", "2026-11-21")])
def test_a_past_date_is_said_back_with_its_year(answer, iso):
    """"le 15 décembre" in November is last December: the household sees it
    before the deadlines. "avant hier" without its hyphen was read as yesterday."""
    tr = tracker(answer, requested_slot="judgment_served_date",
                 slots={"role": "tenant", "stage": "jugement", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["judgment_served_date"] == iso
    assert messages[0]["text"] == f"Date notée : {format_date(iso, 'fr')}."


@pytest.mark.parametrize("answer", ["fin octobre", "en octobre", "octobre 2026"])
def test_a_key_date_given_to_the_month_asks_for_the_day(answer):
    """"fin octobre" was the 1st: an appeal still open until 1 December was said closed on 1 November."""
    tr = tracker(answer, requested_slot="judgment_served_date",
                 slots={"role": "tenant", "stage": "jugement", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["judgment_served_date"] is None
    assert messages[0]["text"].startswith("Il me faut le jour exact")


@pytest.mark.parametrize("answer,shown,iso", [
    ("hier", "22 novembre 2026", "2026-11-22"),
    ("le 12 novembre", "12 novembre 2026", "2026-11-12"),  # not November 2027
    ("le 2 octobre 2026", "2 octobre 2026", "2026-10-02"),
])
def test_form_says_a_past_hearing_may_mean_a_judgment_and_keeps_it(answer, shown, iso):
    """A hearing already past: the judgment may be given, the CDAD first; the date is
    kept for the site's answer (which then says what to do), the stage too."""
    tr = tracker(answer, requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] == iso
    assert slot_events(events)["requested_slot"] == "debt_eur"
    assert "stage" not in slot_events(events)
    said = messages[0]["text"]
    assert said.startswith(f"Le {shown} est déjà passé")
    assert "jugement" in said and "CDAD" in said and "Je le note" in said


def test_past_hearing_message_in_english():
    tr = tracker("yesterday", requested_slot="hearing_date", metadata={"lang": "en"},
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010", "lang": "en"})
    messages, _ = run(ValidateTriageForm(), tr)
    assert messages[0]["text"].startswith("22 November 2026 has already passed")
    assert "CDAD" in messages[0]["text"]


@pytest.mark.parametrize("answer,expected", [
    ("aujourd'hui", "2026-11-23"),
    ("le 5 janvier", "2027-01-05"),
    ("le 20", "2026-12-20"),
    ("dans 10 jours", "2026-12-03"),
])
def test_form_accepts_a_hearing_today_or_ahead(answer, expected):
    tr = tracker(answer, requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] == expected
    # Said back with its year, as the past dates are.
    assert [m["text"] for m in messages] == [f"Date notée : {format_date(expected, 'fr')}."]


@pytest.mark.parametrize("answer", ["fin janvier", "en janvier", "end of January"])
def test_a_hearing_given_to_the_month_asks_for_the_day(answer):
    """"fin janvier" was the 1st of January: "Audience : allez-y" on New Year's Day."""
    tr = tracker(answer, requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] is None
    assert messages[0]["text"].startswith("Il me faut le jour exact")


def test_a_correction_right_after_a_date_was_said_back_corrects_it():
    """"non pardon, le 15 novembre" after "Date notée : 15 décembre 2025." became the lease date."""
    events = [{"event": "user", "text": "le 15 decembre"},
              {"event": "slot", "name": "commandement_date", "value": "2025-12-15"},
              {"event": "bot", "text": "Date notée : 15 décembre 2025."},
              {"event": "slot", "name": "requested_slot", "value": "lease_date"},
              {"event": "user", "text": "non pardon, le 15 novembre"}]
    tr = tracker("non pardon, le 15 novembre", requested_slot="lease_date", events=events,
                 slots={"role": "tenant", "stage": "commandement_de_payer", "commune": "90010",
                        "commandement_date": "2025-12-15"})
    messages, evs = run(ValidateTriageForm(), tr)
    slots = slot_events(evs)
    assert slots["commandement_date"] == "2026-11-15" and slots["lease_date"] is None
    assert messages[0]["text"] == "Date notée : 15 novembre 2026."


def test_hearing_date_accepts_dont_know():
    """"je ne sais pas" moves on without a date."""
    tr = tracker("je sais pas", intent="ne_sais_pas", requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010"})
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] == "unknown"
    assert slot_events(events)["requested_slot"] == "debt_eur"


# --- the aid questions -------------------------------------------------------------
ARREARS = {"role": "tenant", "stage": "arrears", "commune": "90010", "landlord_kind": "private",
           "debt_eur": 1500.0}


AID_ORDER = ["monthly_income_eur", "household_size", "housing_benefit", "private_sector_employee", "debts"]


def answer_form(text, intent, requested, slots=None, entities=None, metadata=None):
    """The form at ``requested``, the questions before it answered "je ne sais pas"."""
    earlier = {slot: "unknown" for slot in AID_ORDER[:AID_ORDER.index(requested)]}
    tr = tracker(text, intent=intent, requested_slot=requested,
                 slots={**ARREARS, **earlier, **(slots or {})}, entities=entities, metadata=metadata)
    messages, events = run(ValidateTriageForm(), tr)
    return messages, slot_events(events)


@pytest.mark.parametrize("text,intent,expected,next_slot", [
    ("1300 par mois", "donner_montant", 1300.0, "household_size"),
    ("1 250 €", "donner_montant", 1250.0, "household_size"),
    ("rien", "nier", 0.0, "housing_benefit"),
    ("aucun revenu", "nier", 0.0, "housing_benefit"),
    ("je prefere ne pas repondre", "ne_sais_pas", "unknown", "housing_benefit"),
])
def test_income_answers(text, intent, expected, next_slot):
    """An amount, a nil income, or "je ne sais pas" (which skips the household size)."""
    _, slots = answer_form(text, intent, "monthly_income_eur")
    assert slots["monthly_income_eur"] == expected
    assert slots["requested_slot"] == next_slot


def test_income_not_understood_is_asked_again():
    messages, slots = answer_form("le smic", "donner_montant", "monthly_income_eur")
    assert slots["monthly_income_eur"] is None
    assert slots["requested_slot"] == "monthly_income_eur"
    assert "montant" in messages[0]["text"]


@pytest.mark.parametrize("text,expected", [
    ("3", 3), ("trois", 3), ("on est 4", 4), ("moi et mes 2 enfants", 3),
    ("je vis seule", 1), ("moi et mon mari", 2), ("2 adultes et 3 enfants", 5),
    ("seule avec un enfant", 2), ("me and my 2 kids", 3), ("we are 5", 5),
    ("j'ai un fils", 2), ("mon fils et moi", 2), ("family of 4", 4),
    # The number after "on est" is the total: the people named after it are in it (it made 3 and 5).
    ("on est 2 avec mon mari", 2), ("on est 3 avec mes 2 enfants", 3), ("we are 3 with my 2 kids", 3),
])
def test_household_size_read_from_words(text, expected):
    _, slots = answer_form(text, "donner_taille_foyer", "household_size",
                           slots={"monthly_income_eur": 1300.0})
    assert slots["household_size"] == expected
    assert slots["requested_slot"] == "housing_benefit"


@pytest.mark.parametrize("text", ["moi et mes enfants", "3 ou 4", "40", "bof"])
def test_household_size_unclear_is_asked_again(text):
    messages, slots = answer_form(text, "donner_taille_foyer", "household_size",
                                  slots={"monthly_income_eur": 1300.0})
    assert slots["household_size"] is None
    assert "nombre de personnes" in messages[0]["text"]


@pytest.mark.parametrize("text,intent,entities,role,expected", [
    ('/affirmer{"answer": "paid_to_landlord"}', "affirmer", [{"entity": "answer", "value": "paid_to_landlord"}], "tenant", "paid_to_landlord"),
    ('/nier{"answer": "none"}', "nier", [{"entity": "answer", "value": "none"}], "tenant", "none"),
    ("/ne_sais_pas", "ne_sais_pas", [], "tenant", "unknown"),
    ("non", "nier", [], "tenant", "none"),
    ("elle est versee au proprio", "choisir_role", [{"entity": "role", "value": "landlord"}], "tenant", "paid_to_landlord"),
    ("oui c'est moi qui la touche", "affirmer", [], "tenant", "paid_to_tenant"),
    ("je touche pas d'apl", "nier", [], "tenant", "none"),
    ("oui elle m'est versee directement", "affirmer", [], "landlord", "paid_to_landlord"),
    ("c'est le locataire qui la recoit", "affirmer", [], "landlord", "paid_to_tenant"),
    # The tenant named as the one who gets it: "directement" is his, not the landlord's.
    ("il touche les apl directement", "affirmer", [], "landlord", "paid_to_tenant"),
    ("yes it's paid to me", "affirmer", [], "tenant", "paid_to_tenant"),
])
def test_housing_benefit_answers(text, intent, entities, role, expected):
    _, slots = answer_form(text, intent, "housing_benefit", slots={"role": role}, entities=entities)
    assert slots["housing_benefit"] == expected


def test_housing_benefit_bare_yes_asks_who_receives_it():
    """"oui" alone: the API needs the recipient, so the form asks rather than guess."""
    messages, slots = answer_form("oui", "affirmer", "housing_benefit")
    assert slots["housing_benefit"] is None
    assert slots["requested_slot"] == "housing_benefit"
    assert messages[0]["text"] == "D'accord. Est-elle versée à vous, ou directement à votre propriétaire ?"
    messages, _ = answer_form("yes", "affirmer", "housing_benefit", slots={"role": "landlord", "lang": "en"},
                              metadata={"lang": "en"})
    assert messages[0]["text"] == "All right. Is it paid directly to you, or to your tenant?"


def answer_landlord_kind(text, intent, entities=None):
    """The arrears form at the landlord question, right after the commune."""
    tr = tracker(text, intent=intent, requested_slot="landlord_kind", entities=entities,
                 slots={"role": "tenant", "stage": "arrears", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    return messages, slot_events(events)


@pytest.mark.parametrize("text,intent,entities,expected", [
    ('/affirmer{"answer": "social"}', "affirmer", [{"entity": "answer", "value": "social"}], "social"),
    ('/affirmer{"answer": "private"}', "affirmer", [{"entity": "answer", "value": "private"}], "private"),
    ("/ne_sais_pas", "ne_sais_pas", [], "unknown"),
    ("non", "nier", [], "unknown"),
    ("hlm", "donner_bailleur", [], "social"),
    ("c'est l'office", "donner_bailleur", [], "social"),
    ("Territoire Habitat", "donner_commune", [], "social"),
    ("mon proprio c'est territoire habitat", "choisir_role", [{"entity": "role", "value": "landlord"}], "social"),
    ("non c'est un hlm", "nier", [], "social"),
    ("un proprio", "choisir_role", [{"entity": "role", "value": "landlord"}], "private"),
    ("un particulier", "donner_bailleur", [], "private"),
    ("je passe par une agence", "donner_bailleur", [], "private"),
    ("pas un hlm, un particulier", "donner_bailleur", [], "private"),
    ("it's council housing", "donner_bailleur", [], "social"),
    ("a private landlord", "choisir_role", [], "private"),
])
def test_landlord_kind_answers(text, intent, entities, expected):
    """Buttons, and what people type: hlm, office, proprio, particulier, agence."""
    _, read = answer_landlord_kind(text, intent, entities)
    assert read["landlord_kind"] == expected
    assert read["requested_slot"] == "debt_eur"


@pytest.mark.parametrize("text", ["oui", "bof", "un particulier ou l'office"])
def test_landlord_kind_unclear_is_asked_again(text):
    messages, read = answer_landlord_kind(text, "affirmer")
    assert read["landlord_kind"] is None
    assert read["requested_slot"] == "landlord_kind"
    assert messages[0]["text"].startswith("Je n'ai pas compris. Choisissez « bailleur social »")


def test_landlord_kind_told_first_is_kept_and_not_taken_for_the_role():
    """"je suis en hlm, mon proprio..." before the question: kept; "mon proprio" makes a tenant, not a landlord."""
    tr = tracker("mon proprio c'est un hlm", intent="donner_bailleur", active_loop=None,
                 slots={"role": "landlord"}, entities=[{"entity": "role", "value": "landlord"}],
                 events=[{"event": "user", "parse_data": {"intent": {"name": "donner_bailleur"}}},
                         slot_event("role", "landlord")])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["landlord_kind"] == "social"
    assert slot_events(events)["role"] == "tenant"
    # The answer to the question itself is the form's to read.
    tr = tracker("hlm", intent="donner_bailleur", requested_slot="landlord_kind", slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert "landlord_kind" not in slot_events(events)


SUMMONS = {"role": "tenant", "stage": "assignation", "commune": "90010",
           "hearing_date": "2026-12-10", "debt_eur": 2000.0}


@pytest.mark.parametrize("text,intent,entities,expected", [
    ('/affirmer{"answer": "yes"}', "affirmer", [{"entity": "answer", "value": "yes"}], "yes"),
    ('/nier{"answer": "no"}', "nier", [{"entity": "answer", "value": "no"}], "no"),
    ("/ne_sais_pas", "ne_sais_pas", [], "unknown"),
    ("oui je paye a nouveau", "affirmer", [], "yes"),
    ("je paie de nouveau le loyer tous les mois", "loyer_impaye", [], "yes"),
    ("j'ai repris depuis mars", "donner_date", [], "yes"),
    ("pas encore", "nier", [], "no"),
    ("oui mais pas en entier", "affirmer", [], "no"),
    ("je paye une partie", "loyer_impaye", [], "no"),
    ("not yet", "nier", [], "no"),
    ("yes i pay the full rent again", "affirmer", [], "yes"),
    ("ouais", "affirmer", [], "yes"),
])
def test_resumed_rent_answers(text, intent, entities, expected):
    """"oui je paye a nouveau", "pas encore"; a part of the rent is not yet a yes."""
    tr = tracker(text, intent=intent, requested_slot="resumed_rent", slots=SUMMONS, entities=entities)
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["resumed_rent"] == expected
    assert slot_events(events)["requested_slot"] == "monthly_income_eur"


def test_resumed_rent_unclear_is_asked_again():
    tr = tracker("bah", intent="hors_sujet", requested_slot="resumed_rent", slots=SUMMONS)
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["resumed_rent"] is None
    assert messages[0]["text"].startswith("Je n'ai pas compris. Choisissez")


def test_rent_paid_again_is_not_taken_for_the_debt_nor_the_stage():
    """"je paye a nouveau 450e" answers the rent question: the debt and the stage stay."""
    before = [slot_event("stage", "assignation"),
              {"event": "user", "parse_data": {"intent": {"name": "loyer_impaye"}}},
              slot_event("stage", "arrears")]
    tr = tracker("je paye a nouveau 450e par mois", intent="loyer_impaye", requested_slot="resumed_rent",
                 slots=dict(SUMMONS, stage="arrears"), events=before)
    _, events = run(ValidateSlotMappings(), tr)
    assert "debt_eur" not in slot_events(events)
    assert slot_events(events)["stage"] == "assignation"


@pytest.mark.parametrize("text,intent,expected", [
    ("/affirmer", "affirmer", "yes"),
    ("non", "nier", "no"),
    ("/ne_sais_pas", "ne_sais_pas", "unknown"),
    ("je suis au chomage", "donner_situation_pro", "no"),
    ("je suis en cdi", "donner_situation_pro", "yes"),
    ("je suis fonctionnaire", "donner_situation_pro", "no"),
    ("i'm retired", "donner_situation_pro", "no"),
    # "chomage" read as the arrears intent must not matter.
    ("au chomage", "loyer_impaye", "no"),
])
def test_private_sector_employee_answers(text, intent, expected):
    _, slots = answer_form(text, intent, "private_sector_employee")
    assert slots["private_sector_employee"] == expected
    assert slots["requested_slot"] == "debts"


def test_private_sector_employee_unclear_is_asked_again():
    messages, slots = answer_form("bah", "hors_sujet", "private_sector_employee")
    assert slots["private_sector_employee"] is None
    assert messages[0]["text"].startswith("Je n'ai pas compris. Choisissez")


@pytest.mark.parametrize("text,intent,entities,expected", [
    ('/affirmer{"answer": "admissible"}', "affirmer", [{"entity": "answer", "value": "admissible"}], "admissible"),
    ('/affirmer{"answer": "filed"}', "affirmer", [{"entity": "answer", "value": "filed"}], "filed"),
    ("non", "nier", [], "none"),
    ("oui des credits", "affirmer", [], "other_debts"),
    ("pas d'autres dettes", "nier", [], "none"),
    ("j'ai un credit mais pas de dossier", "affirmer", [], "other_debts"),
    ("/ne_sais_pas", "ne_sais_pas", [], "unknown"),
])
def test_debts_answers_end_the_form(text, intent, entities, expected):
    _, slots = answer_form(text, intent, "debts", entities=entities)
    assert slots["debts"] == expected
    assert slots["requested_slot"] is None


def test_an_aid_answer_read_as_a_question_is_kept_for_the_form():
    """"j'ai un dossier a la banque de france" comes as the over-indebtedness question:
    the answer is read before the form runs, so the form takes it instead of asking again."""
    tr = tracker("j'ai depose un dossier a la banque de france", intent="question_surendettement",
                 requested_slot="debts", slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["debts"] == "filed"
    tr = tracker("l'apl est versee au proprio", intent="question_apl",
                 requested_slot="housing_benefit", slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["housing_benefit"] == "paid_to_landlord"
    tr = tracker("i have a car loan", intent="demander_aide_financiere", requested_slot="debts", slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["debts"] == "other_debts"
    # A real question fills nothing: the form rejects it, the rule answers, the form asks again.
    tr = tracker("c'est quoi l'apl", intent="question_apl", requested_slot="housing_benefit", slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert "housing_benefit" not in slot_events(events)
    # Outside its own question, nothing is read.
    tr = tracker("je touche l'apl", intent="question_apl", requested_slot="debts", slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert "housing_benefit" not in slot_events(events)


def slot_event(name, value):
    return {"event": "slot", "name": name, "value": value}


def test_an_answer_does_not_change_role_or_stage():
    """"c'est verse au proprio" carries the landlord role; "je dois 3 mois" the arrears stage."""
    before = [slot_event("role", "tenant"), slot_event("stage", "commandement_de_payer"),
              {"event": "user", "parse_data": {"intent": {"name": "affirmer"}}},
              slot_event("role", "landlord"), slot_event("stage", "arrears")]
    tr = tracker("c'est verse au proprio", intent="choisir_role", requested_slot="housing_benefit",
                 slots={"role": "landlord", "stage": "arrears"}, events=before)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["role"] == "tenant"
    assert slot_events(events)["stage"] == "commandement_de_payer"


def test_urgent_fact_still_changes_the_stage_mid_question():
    before = [slot_event("stage", "arrears"),
              {"event": "user", "parse_data": {"intent": {"name": "expulsion_imminente"}}},
              slot_event("stage", "expulsion_scheduled")]
    tr = tracker("la police vient demain", intent="expulsion_imminente", requested_slot="debts",
                 slots={"role": "tenant", "stage": "expulsion_scheduled"}, events=before)
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == "expulsion_scheduled"


def test_income_amount_is_not_taken_for_the_debt():
    """"je gagne 1200e" answers the income question; the rent debt stays as told."""
    tr = tracker("je gagne 1200e", intent="donner_montant", requested_slot="monthly_income_eur",
                 slots=ARREARS)
    _, events = run(ValidateSlotMappings(), tr)
    assert "debt_eur" not in slot_events(events)


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
    assert "• 1er décembre 2026 : Audience" in reply
    assert messages[1]["custom"]["answers"] == sent
    assert slot_events(events)["urgency"] == "immediate"


def test_submit_sends_only_the_current_stage_s_dates(fake_site):
    """A commandement date told before "non, c'est une assignation" made a payment
    deadline appear beside the hearing (and in the referral sent to partners)."""
    fake_site.triage_body = TRIAGE_ANSWER
    tr = tracker("", intent="donner_date", active_loop=None, slots={
        "role": "tenant", "stage": "assignation", "commune": "90010",
        "commandement_date": "2026-10-02", "lease_date": "2024-01-10", "hearing_date": "2027-02-10"})
    run(ActionSubmitTriage(), tr)
    sent = fake_site.requests[-1][2]
    assert sent["hearing_date"] == "2027-02-10"
    assert "commandement_date" not in sent and "lease_date" not in sent


def test_submit_sends_aid_answers_as_api_fields(fake_site):
    """Income, household, benefit, job and debts reach the API in its own terms."""
    tr = tracker("", intent="nier", active_loop=None, slots={
        "role": "tenant", "stage": "arrears", "commune": "90010", "debt_eur": 1500.0,
        "monthly_income_eur": 1300.0, "household_size": 3.0, "housing_benefit": "paid_to_landlord",
        "private_sector_employee": "yes", "debts": "none"})
    run(ActionSubmitTriage(), tr)
    assert fake_site.requests[-1][2] == {
        "lang": "fr", "role": "tenant", "stage": "arrears", "commune": "90010", "debt_eur": 1500.0,
        "monthly_income_eur": 1300.0, "household_size": 3, "housing_benefit": "paid_to_landlord",
        "private_sector_employee": True, "other_debts": False, "overindebtedness": "none"}


@pytest.mark.parametrize("slots,sent", [
    ({"landlord_kind": "social", "resumed_rent": "no"}, {"landlord_kind": "social", "resumed_rent": False}),
    ({"landlord_kind": "private", "resumed_rent": "yes"}, {"landlord_kind": "private", "resumed_rent": True}),
    ({"landlord_kind": "unknown", "resumed_rent": "unknown"}, {}),
])
def test_submit_sends_landlord_kind_and_resumed_rent(fake_site, slots, sent):
    """The tenant's landlord and rent reach the API in its terms; "je ne sais pas" is left out."""
    tr = tracker("", active_loop=None, slots=dict({"role": "tenant", "stage": "assignation"}, **slots))
    run(ActionSubmitTriage(), tr)
    assert fake_site.requests[-1][2] == dict({"lang": "fr", "role": "tenant", "stage": "assignation"}, **sent)


def test_submit_sends_no_tenant_landlord_facts_for_a_landlord(fake_site):
    tr = tracker("", active_loop=None, slots={"role": "landlord", "landlord_kind": "social",
                                              "resumed_rent": "yes"})
    run(ActionSubmitTriage(), tr)
    assert fake_site.requests[-1][2] == {"lang": "fr", "role": "landlord"}


def test_landlord_kind_question_names_only_the_brief_s_social_landlord():
    """Plain words FR and EN; Territoire Habitat is the one organisation the brief names."""
    fr, _ = run(ActionAskLandlordKind(), tracker(slots={"role": "tenant"}))
    en, _ = run(ActionAskLandlordKind(), tracker(metadata={"lang": "en"}, slots={"role": "tenant"}))
    assert fr[0]["text"].startswith("Votre logement appartient-il à un bailleur social (HLM, office public")
    assert "Territoire Habitat" in fr[0]["text"] and "Territoire Habitat" in en[0]["text"]
    assert [b["payload"] for b in fr[0]["buttons"]] == [
        '/affirmer{"answer": "social"}', '/affirmer{"answer": "private"}', "/ne_sais_pas"]
    resumed, _ = run(ActionAskResumedRent(), tracker(slots={"role": "tenant"}))
    assert resumed[0]["text"].startswith("Avez-vous recommencé à payer le loyer en entier")


@pytest.mark.parametrize("slots,sent", [
    ({"debts": "other_debts", "private_sector_employee": "no"}, {"other_debts": True, "private_sector_employee": False}),
    ({"debts": "admissible"}, {"overindebtedness": "admissible"}),
    ({"debts": "unknown", "private_sector_employee": "unknown", "housing_benefit": "unknown",
      "monthly_income_eur": "unknown", "household_size": "unknown"}, {}),
])
def test_submit_leaves_dont_know_out(fake_site, slots, sent):
    tr = tracker("", active_loop=None, slots=dict({"role": "tenant", "stage": "jugement"}, **slots))
    run(ActionSubmitTriage(), tr)
    assert fake_site.requests[-1][2] == dict({"lang": "fr", "role": "tenant", "stage": "jugement"}, **sent)


def test_submit_in_english_formats_dates_in_english(fake_site):
    fake_site.triage_body = TRIAGE_ANSWER
    tr = tracker("", metadata={"lang": "en"}, active_loop=None,
                 slots={"role": "tenant", "stage": "assignation", "lang": "en"})
    messages, _ = run(ActionSubmitTriage(), tr)
    assert "• 1 December 2026: Audience" in messages[0]["text"]
    assert "Talk to someone now" in [b["title"] for b in messages[0]["buttons"]]


def test_submit_when_site_down_offers_questionnaire_and_a_helpline(closed_port_url):
    """The household is never left without a way forward."""
    tr = tracker("", active_loop=None, slots={"role": "tenant", "call_allo": "au 0 800 000 001 (gratuit)"})
    messages, events = run(ActionSubmitTriage(WebappApi(timeout=1)), tr)
    assert "/questionnaire/locataire" in messages[0]["text"]
    assert "Allô Prévention Expulsion au 0 800 000 001 (gratuit)" in messages[0]["text"]
    assert events == []


def test_render_result_without_orientations_still_has_disclaimer():
    calls = {"call_allo": "au 1", "call_sos_loyers": "au 2", "call_point_justice": "au 3",
             "call_banque_de_france": "au 4"}
    assert "pas un avocat" in render_result({"urgency": "normal"}, "fr", calls)
    assert format_date("2026-04-01", "fr") == "1er avril 2026"


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
    assert messages[1]["text"].startswith("Vous pouvez parler à une personne")
    assert "Allô Prévention Expulsion" in messages[1]["text"]


def test_the_fallback_then_listens_so_a_core_fallback_cannot_loop():
    """An amount typed after the answer reaches the action as Rasa's core
    fallback: without a listen it ran ten times, then the conversation died."""
    _, events = run(ActionHandleFallback(), tracker("2000 euros", intent="donner_montant", active_loop=None))
    assert events == [{"event": "followup", "name": "action_listen", "timestamp": None}]


def test_a_second_miss_answered_by_the_core_fallback_offers_a_person():
    """Understood words out of place count as misses when the fallback answered them."""
    tr = tracker("ok", intent="affirmer", active_loop=None,
                 events=[user_event("donner_montant"), {"event": "action", "name": "action_handle_fallback"},
                         {"event": "action", "name": "action_listen"}, user_event("affirmer")])
    messages, _ = run(ActionHandleFallback(), tr)
    assert messages[1]["text"].startswith("Vous pouvez parler à une personne")


def test_an_understood_message_between_two_misses_restarts_the_count():
    tr = tracker("blabla", intent="nlu_fallback", active_loop=None,
                 events=[user_event("nlu_fallback"), {"event": "action", "name": "action_handle_fallback"},
                         user_event("saluer"), {"event": "action", "name": "utter_saluer"},
                         user_event("nlu_fallback")])
    messages, _ = run(ActionHandleFallback(), tr)
    assert len(messages) == 1 and messages[0]["text"].startswith("Je n'ai pas compris.")


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


@pytest.mark.parametrize("action", [ActionAskHousingBenefit, ActionAskPrivateSectorEmployee, ActionAskDebts,
                                    ActionAskLandlordKind, ActionAskResumedRent])
@pytest.mark.parametrize("lang,dont_know", [("fr", "Je ne sais pas"), ("en", "I don't know")])
def test_choice_questions_end_with_dont_know(action, lang, dont_know):
    """Every choice has a "don't know" button, which leaves the field out of the API call."""
    messages, _ = run(action(), tracker(metadata={"lang": lang}, slots={"role": "tenant"}))
    assert messages[0]["buttons"][-1] == {"title": dont_know, "payload": "/ne_sais_pas"}


def test_housing_benefit_question_is_worded_for_the_role():
    tenant, _ = run(ActionAskHousingBenefit(), tracker(slots={"role": "tenant"}))
    landlord, _ = run(ActionAskHousingBenefit(), tracker(slots={"role": "landlord"}))
    assert tenant[0]["text"].startswith("Recevez-vous une aide au logement")
    assert landlord[0]["text"].startswith("Votre locataire reçoit-il une aide au logement")
    assert landlord[0]["buttons"][0] == {"title": "Oui, elle m'est versée directement",
                                         "payload": '/affirmer{"answer": "paid_to_landlord"}'}


def test_button_payloads_name_domain_intents_and_entities():
    """A payload the domain does not know would reach the bot as plain text."""
    import json
    import re

    from actions.texts import ASK_BUTTONS

    for choices in ASK_BUTTONS.values():
        for payload, _ in choices:
            match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
            assert match and match.group(1) in DOMAIN["intents"], payload
            if match.group(2):
                assert set(json.loads(match.group(2))) <= set(DOMAIN["entities"]), payload


def test_a_steps_phone_link_is_not_repeated_after_its_number():
    """The chat makes the number in the text a call link: "(tel:3039)" after it was noise."""
    calls = {}
    reply = render_result({"urgency": "normal", "next_steps": [
        {"text": "Appelez le point-justice au 3039 (appel gratuit).", "link": "tel:3039"},
        {"text": "Appelez Allô Prévention Expulsion au 0 805 299 049.", "link": "tel:0805299049"},
        {"text": "Appelez la ligne d'écoute.", "link": "tel:0805160075"},
        {"text": "Lisez la page sur le commandement.", "link": "/infos/locataire/commandement-de-payer"},
    ]}, "fr", calls)
    assert "tel:" not in reply
    assert "• Appelez le point-justice au 3039 (appel gratuit).\n" in reply
    assert "• Appelez Allô Prévention Expulsion au 0 805 299 049.\n" in reply
    # A number the text does not give is shown, as a number.
    assert "• Appelez la ligne d'écoute. (0805160075)\n" in reply
    assert "• Lisez la page sur le commandement. (/infos/locataire/commandement-de-payer)" in reply


# --- a lease date given to the month or the year --------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("fin juillet 2023", (dt.date(2023, 7, 1), "month")),
    ("03/2021", (dt.date(2021, 3, 1), "month")),     # not the 3rd of this month in 2021
    ("2021-03", (dt.date(2021, 3, 1), "month")),
    ("13/2021", (None, "day")),                       # no 13th month: not understood
    ("en 2023", (dt.date(2023, 11, 1), "year")),
    ("le 28 juillet 2023", (dt.date(2023, 7, 28), "day")),
    ("le 3 octobre", (dt.date(2026, 10, 3), "day")),
])
def test_parse_date_says_how_much_of_the_date_was_given(text, expected):
    assert parse_date_and_precision(text, TODAY) == expected


@pytest.mark.parametrize("answer,kept", [("fin juillet 2023", "2023-07"), ("en 2021", "2021"),
                                         ("le 28 juillet 2023", "2023-07-28")])
def test_form_keeps_the_lease_date_s_precision(answer, kept):
    """"juillet 2023" is a month: the form keeps "2023-07", it does not make it the 1st."""
    tr = tracker(answer, requested_slot="lease_date",
                 slots={"role": "tenant", "stage": "commandement_de_payer", "commune": "90010",
                        "commandement_date": "2026-11-02"})
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["lease_date"] == kept


@pytest.mark.parametrize("slot,sent", [
    ("2023-07", {"lease_date": "2023-07-01", "lease_date_precision": "month"}),
    ("2023", {"lease_date": "2023-01-01", "lease_date_precision": "year"}),
    ("2023-07-28", {"lease_date": "2023-07-28"}),
])
def test_submit_sends_the_lease_date_s_precision_with_it(fake_site, slot, sent):
    tr = tracker("", active_loop=None, slots={"role": "tenant", "stage": "commandement_de_payer",
                                              "lease_date": slot})
    run(ActionSubmitTriage(), tr)
    assert fake_site.requests[-1][2] == dict({"lang": "fr", "role": "tenant", "stage": "commandement_de_payer"},
                                             **sent)


@pytest.mark.parametrize("lang, line", [
    ("fr", "• 5 janvier 2024 (date passée) : Dernier jour pour payer"),
    ("en", "• 5 January 2024 (date passed): Last day to pay"),
])
def test_a_deadline_gone_by_says_so_as_on_the_result_page(lang, line):
    """The chat showed "27 octobre 2026 : Dernier jour pour payer" under a date already past."""
    reply = render_result({"urgency": "normal", "deadlines": [
        {"kind": "payment_deadline", "date": "2024-01-05", "passed": True,
         "label": "Dernier jour pour payer" if lang == "fr" else "Last day to pay"},
        {"kind": "hearing", "date": "2027-01-05", "passed": False, "label": "Audience"}]}, lang, {})
    assert line in reply
    assert "2027 (date" not in reply


@pytest.mark.parametrize("request_, opening", [
    ({"role": "tenant", "stage": "arrears"}, "Il n'y a pas encore de procédure"),
    ({"role": "tenant"}, "Voici qui contacter et ce que vous pouvez faire."),
    ({"role": "landlord", "stage": "assignation"}, "Voici qui contacter et les démarches à faire."),
])
def test_no_procedure_yet_is_said_only_when_the_household_said_so(request_, opening):
    """A landlord with a hearing set, or a tenant who did not know the stage, was told "pas encore de procédure"."""
    assert render_result({"urgency": "normal"}, "fr", {}, request_).startswith(opening)


def _miss_turn(previous_bot_texts, message="bof"):
    events = [{"event": "user", "text": "avant"}] + [{"event": "bot", "text": t} for t in previous_bot_texts] \
        + [{"event": "user", "text": message}]
    return tracker(message, intent="nlu_fallback", requested_slot="judgment_served_date",
                   slots={"role": "tenant", "stage": "jugement", "commune": "90010"}, events=events)


def test_a_second_answer_in_a_row_not_understood_in_the_form_offers_a_person():
    """Four misses in a row re-asked the lease date four times, and no person was offered."""
    miss = text("not_understood_date", "fr")
    messages, _ = run(ValidateTriageForm(), _miss_turn([miss, "Quel jour ?"]))
    said = [m.get("text") or "" for m in messages]
    assert said[0] == miss
    assert any(t.startswith("Vous pouvez parler à une personne") for t in said)


def test_a_first_miss_in_the_form_offers_no_person_yet_and_the_offer_is_not_repeated():
    miss = text("not_understood_date", "fr")
    first, _ = run(ValidateTriageForm(), _miss_turn(["Quel jour ?"]))
    assert not any((m.get("text") or "").startswith("Vous pouvez parler") for m in first)
    handoff = next(m["text"] for m in run(ValidateTriageForm(), _miss_turn([miss]))[0]
                   if (m.get("text") or "").startswith("Vous pouvez"))
    third, _ = run(ValidateTriageForm(), _miss_turn([miss, handoff]))
    assert not any((m.get("text") or "").startswith("Vous pouvez parler") for m in third)


def test_a_structure_without_contact_says_how_to_reach_it_meanwhile():
    reply = render_result({"urgency": "normal", "orientations": [{
        "kind": "social_worker", "reason": "Une assistante sociale vous aide.",
        "structure": {"name": "ESD — antenne de Delle", "address": None, "phone": None,
                      "referral": "En attendant, le Département peut vous indiquer votre Espace des solidarités."}}]},
        "fr", {})
    assert "   En attendant, le Département peut vous indiquer votre Espace des solidarités." in reply


@pytest.mark.parametrize("message, reminded", [
    ("je m'appelle Jeanne Martin, 06 12 34 56 78, rappelez moi", True),
    ("mon mail est jeanne.martin@example.org", True),
    ("call me back please", True),
    ("je dois 2000 euros depuis le 15/09/2026", False),
    ("mon code postal est 90000", False),
])
def test_contact_details_typed_in_the_chat_get_a_reminder_and_the_form(message, reminded):
    """The chat never asks for them; typed anyway, they were ignored without a word."""
    tr = tracker(message, intent="nlu_fallback", active_loop=None)
    messages, _ = run(ValidateSlotMappings(), tr)
    said = [m for m in messages if (m.get("text") or "").startswith("N'écrivez pas ici votre numéro")]
    assert bool(said) is reminded
    if reminded:
        assert any((m.get("custom") or {}).get("links", [{}])[0].get("url") == "/chat/suite/recontact" for m in messages)


@pytest.mark.parametrize("message, intent, role", [
    ("je suis locataire et je ne peux plus payer mon loyer", "bailleur_impaye", "tenant"),
    ("mais non je suis le locataire moi", "choisir_role", "tenant"),
    ("je suis bailleur, mon locataire ne paie plus", "loyer_impaye", "landlord"),
])
def test_words_saying_who_speaks_set_the_role_over_the_intent(message, intent, role):
    """"je suis locataire et je ne peux plus payer" was read as the landlord's intent:
    the tenant got the landlord's questions and plan, and could not correct it."""
    wrong = "landlord" if role == "tenant" else "tenant"
    tr = tracker(message, intent=intent, requested_slot="housing_benefit",
                 slots={"role": wrong, "stage": "arrears", "commune": "90010"},
                 events=[{"event": "user", "text": message}, {"event": "slot", "name": "role", "value": wrong}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["role"] == role


def test_of_two_communes_the_one_lived_in_is_the_home(fake_site):
    """"je travaille a Belfort mais j'habite a Offemont" gave "Commune : Belfort."."""
    message = "je travaille a Belfort mais j'habite a Offemont"
    tr = tracker(message, intent="loyer_impaye", active_loop=None,
                 entities=commune_entities(message, "Belfort", "Offemont"))
    assert resolve_commune_entity(tr) == {"commune": "90075", "commune_name": "Offemont"}


@pytest.mark.parametrize("urgency", ["high", "immediate"])
def test_a_landlord_s_answer_never_opens_with_the_tenant_s_words(urgency):
    reply = render_result({"urgency": urgency}, "fr", {}, {"role": "landlord", "stage": "commandement_de_payer"})
    assert reply.startswith("Voici qui contacter et les démarches à faire.")
    assert "vous avez encore des droits" not in reply


@pytest.mark.parametrize("message, stage", [
    ("retard de loyer depuis juin, commandement de payer recu le 20 octobre", "commandement_de_payer"),
    ("j ai plus payer depuis 5 mois et j ai eu le jugement", "jugement"),
    ("commandement de paiement recu, je dois 3 loyers", "commandement_de_payer"),
    ("jai 3 mois de retard et une convocation au tribunal", "assignation"),
    ("je dois 3 mois de loyer", "arrears"),
    # A threat is not a summons.
    ("mon proprio menace de m envoyer au tribunal je dois 2 mois", "arrears"),
    # A paper received beside a wish or a lack: still the paper.
    ("j'ai 3 mois de retard, j'ai reçu une assignation, mon proprio veut que je parte", "assignation"),
    ("j'ai pas de travail et j'ai reçu une assignation, je dois 3 mois", "assignation"),
    ("je dois 2 mois, je dois payer avant l'audience du 3 decembre", "assignation"),
])
def test_the_arrears_intent_does_not_hide_the_paper_named(message, stage):
    """Classified as plain arrears, a message naming a paper lost its deadline ("pas encore de procédure")."""
    tr = tracker(message, intent="loyer_impaye", active_loop=None, slots={"stage": "arrears"},
                 events=[{"event": "user", "text": message}, {"event": "slot", "name": "stage", "value": "arrears"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == stage


@pytest.mark.parametrize("requested", ["hearing_date", "commune", "lease_date"])
def test_debt_words_in_an_answer_keep_the_stage(requested):
    """"le 15 decembre, jai 3 mois de loyer de retard" to the hearing's date kept the date and lost the summons."""
    message = "le 15 decembre, jai 3 mois de loyer de retard"
    tr = tracker(message, intent="loyer_impaye", requested_slot=requested, slots={"stage": "arrears"},
                 events=[{"event": "slot", "name": "stage", "value": "assignation"},
                         {"event": "user", "text": message}, {"event": "slot", "name": "stage", "value": "arrears"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == "assignation"


def test_the_court_s_town_is_not_the_home(fake_site):
    """"convocation au tribunal de belfort… jhabite delle" gave "Commune : Belfort."."""
    message = "slt jai une convocation au tribunal de belfort pour le 8 decembre. jhabite delle"
    tr = tracker(message, intent="assignation_tribunal", active_loop=None,
                 entities=commune_entities(message, "belfort", "delle"))
    assert resolve_commune_entity(tr) == {"commune": "90033", "commune_name": "Delle"}


@pytest.mark.parametrize("active_loop, requested", [("triage_form", "hearing_date"), (None, None)])
def test_a_home_said_later_corrects_the_commune(fake_site, active_loop, requested):
    """"non j habite a delle pas belfort" was read as a date, and after the answer changed nothing."""
    message = "non j habite a delle pas belfort"
    tr = tracker(message, intent="donner_commune", active_loop=active_loop, requested_slot=requested,
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010", "commune_name": "Belfort"},
                 entities=commune_entities(message, "delle", "belfort"))
    messages, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["commune"] == "90033"
    assert any(m.get("text") == "Commune : Delle." for m in messages)
    if active_loop:
        messages, events = run(ValidateTriageForm(), tr)
        assert not any("pas compris" in (m.get("text") or "") for m in messages)
        # Set to None, not left out: a turn that fills nothing made the form give up.
        assert slot_events(events)["hearing_date"] is None


def test_a_commune_named_in_passing_does_not_replace_the_one_given(fake_site):
    """Only a home said as such corrects it: "le tribunal de Belfort" does not."""
    message = "la convocation vient du tribunal de belfort"
    tr = tracker(message, intent="assignation_tribunal", active_loop="triage_form", requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90033", "commune_name": "Delle"},
                 entities=commune_entities(message, "belfort"))
    _, events = run(ValidateSlotMappings(), tr)
    assert "commune" not in slot_events(events)


@pytest.mark.parametrize("message, truce", [
    ("ils viennent demain matin nous expulser. c est quoi la treve hivernal ??", True),
    ("they are evicting me tomorrow, what is the winter truce?", True),
    ("je vais etre expulse demain", False),
])
def test_the_urgent_answer_also_answers_a_truce_question(message, truce):
    """The urgent intent wins over the truce question asked with it; the question still gets its answer."""
    messages, _ = run(ActionUrgentExpulsion(), tracker(message, intent="expulsion_imminente", active_loop=None))
    assert messages[0]["text"].startswith(("C'est urgent.", "This is urgent."))
    assert any(m.get("response") == "utter_treve_hivernale" for m in messages) is truce


@pytest.mark.parametrize("message, intent, stage", [
    ("lettre du tribunal", "jugement_expulsion", None),
    ("j'ai des papiers du tribunal", "assignation_tribunal", None),
    ("i got court papers", "assignation_tribunal", None),
    ("le juge il di moi partir", "jugement_expulsion", "jugement"),
    ("j'ai une lettre de convocation au tribunal", "assignation_tribunal", "assignation"),
])
def test_a_court_paper_not_named_is_asked_not_guessed(message, intent, stage):
    """"lettre du tribunal" was taken for a judgment: an appeal date and DALO for a household that may have a summons."""
    guessed = {"jugement_expulsion": "jugement", "assignation_tribunal": "assignation"}[intent]
    tr = tracker(message, intent=intent, active_loop=None, slots={"stage": guessed},
                 events=[{"event": "user", "text": message}, {"event": "slot", "name": "stage", "value": guessed}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == stage


@pytest.mark.parametrize("message", ["mon proprio veut m'expulser", "mon propriétaire veut me mettre dehors",
                                     "my landlord wants to evict me"])
def test_a_landlord_s_wish_to_evict_is_not_a_stage(message):
    """The form asks the stage, with its buttons; it did not say "pas encore de procédure"."""
    tr = tracker(message, intent="loyer_impaye", active_loop=None, slots={"stage": "arrears"},
                 events=[{"event": "user", "text": message}, {"event": "slot", "name": "stage", "value": "arrears"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] is None


@pytest.mark.parametrize("message, stage", [
    ("i got an eviction notice", None),
    ("hi i got a eviction letter what do i do", None),
    ("i received a notice to vacate from the court officer", "commandement_de_quitter"),
    ("j'ai recu un commandement de quitter les lieux", "commandement_de_quitter"),
])
def test_an_eviction_notice_is_asked_which_paper(message, stage):
    tr = tracker(message, intent="commandement_quitter", active_loop=None, slots={"stage": "commandement_de_quitter"},
                 events=[{"event": "user", "text": message},
                         {"event": "slot", "name": "stage", "value": "commandement_de_quitter"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == stage


def test_a_hearing_years_away_is_a_date_misread():
    """No summons gives a hearing in 2115: asked again, not noted."""
    tr = tracker("le 15 janvier 2115", requested_slot="hearing_date", slots={"role": "tenant", "stage": "assignation"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] is None
    assert messages[0]["text"].startswith("Je n'ai pas compris cette date")


def test_a_key_date_that_makes_it_urgent_gets_the_urgent_answer_at_once(fake_site):
    """A hearing days away waited behind eight aid questions for any word of urgency.
    Urgent or not is the site's answer (its rules), asked with the date."""
    fake_site.triage_body = dict(fake_site.triage_body, urgency="immediate")
    tr = tracker("le 30 novembre", requested_slot="hearing_date",
                 slots={"role": "tenant", "stage": "assignation", "commune": "90010"})
    messages, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["hearing_date"] == "2026-11-30"
    assert [m["text"][:22] for m in messages] == ["Date notée : 30 novemb", "C'est urgent. Appelez "]
    posted = [body for method, path, body in fake_site.requests if method == "POST"]
    assert posted == [{"lang": "fr", "role": "tenant", "stage": "assignation", "hearing_date": "2026-11-30",
                       "commune": "90010"}]
    # Said once: the next date of the same conversation does not repeat it.
    said = [{"event": "bot", "text": messages[1]["text"]}]
    messages, _ = run(ValidateTriageForm(), tracker("le 30 novembre", requested_slot="hearing_date", events=said,
                                                   slots={"role": "tenant", "stage": "assignation"}))
    assert len(messages) == 1


def test_a_date_that_is_not_urgent_adds_nothing(fake_site):
    tr = tracker("le 15 mars", requested_slot="hearing_date", slots={"role": "tenant", "stage": "assignation"})
    messages, _ = run(ValidateTriageForm(), tr)
    assert len(messages) == 1 and messages[0]["text"].startswith("Date notée")


@pytest.mark.parametrize("text, prefer, lang, expected", [
    # Month first on the English site: "12/15" was 12 November 2115.
    ("12/15", "future", "en", (dt.date(2026, 12, 15), "day")),
    ("11/20", "past", "en", (dt.date(2026, 11, 20), "day")),
    ("11/20/2026", "past", "en", (dt.date(2026, 11, 20), "day")),
    ("11/12", "past", "en", (dt.date(2025, 12, 11), "day")),    # both could be months: day first
    # On the French site "04/21" is a month and a year, as a lease is dated
    # (the English rule made it 21 April 2026, and the payment period wrong).
    ("04/21", "past", "fr", (dt.date(2021, 4, 1), "month")),
    ("12/11", "past", "fr", (dt.date(2026, 11, 12), "day")),
])
def test_numeric_dates_follow_the_site_s_language(text, prefer, lang, expected):
    assert parse_date_and_precision(text, TODAY, prefer, lang) == expected


def test_a_home_said_with_a_date_keeps_the_date(fake_site):
    """"j'habite à Belfort depuis mars 2019" at the lease question ended the questions."""
    message = "j'habite à Belfort depuis mars 2019"
    tr = tracker(message, requested_slot="lease_date", entities=commune_entities(message, "Belfort"),
                 slots={"role": "tenant", "stage": "commandement_de_payer", "commune": "90010"})
    _, events = run(ValidateTriageForm(), tr)
    assert slot_events(events)["lease_date"] == "2019-03"


@pytest.mark.parametrize("answer, requested", [("non pardon, le 3 décembre", "debt_eur"),
                                               ("non pardon, le 3 décembre", "housing_benefit")])
def test_a_date_corrected_at_the_next_question_is_the_date_not_the_answer(answer, requested):
    """"non pardon, le 3 décembre" after "Date notée : 12 mars 2027." became a debt of 3 €."""
    events = [{"event": "slot", "name": "hearing_date", "value": "2027-03-12"},
              {"event": "bot", "text": "Date notée : 12 mars 2027."}, {"event": "user", "text": answer}]
    tr = tracker(answer, intent="donner_date", requested_slot=requested, events=events,
                 slots={"role": "tenant", "stage": "assignation", "hearing_date": "2027-03-12"})
    messages, evs = run(ValidateTriageForm(), tr)
    assert slot_events(evs)["hearing_date"] == "2026-12-03"
    assert requested not in slot_events(evs) or slot_events(evs)[requested] is None
    assert messages[0]["text"] == "Date notée : 3 décembre 2026."


def test_a_question_about_a_word_in_the_middle_of_the_questions():
    """"c'est quoi une assignation ?" at a date question: the glossary, the stage unchanged."""
    message = "c'est quoi une assignation ?"
    tr = tracker(message, intent="assignation_tribunal", requested_slot="commandement_date",
                 slots={"role": "tenant", "stage": "assignation"},
                 events=[{"event": "slot", "name": "stage", "value": "commandement_de_payer"},
                         {"event": "user", "text": message}, {"event": "slot", "name": "stage", "value": "assignation"}])
    _, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == "commandement_de_payer"
    messages, events = run(ValidateTriageForm(), tr)
    assert "/infos/glossaire" in messages[0]["text"] and slot_events(events)["commandement_date"] is None


@pytest.mark.parametrize("message", ["j'ai 2 mois de retard, je sais pas si je vais avoir un jugement",
                                     "il menace de m'envoyer au tribunal",
                                     "je dois 1500 euros, il m'a dit qu'il allait porter plainte au tribunal"])
def test_a_paper_feared_is_not_a_paper_received(message):
    for intent, guessed in (("loyer_impaye", "arrears"), ("assignation_tribunal", "assignation"),
                            ("jugement_expulsion", "jugement")):
        tr = tracker(message, intent=intent, active_loop=None, slots={"stage": guessed},
                     events=[{"event": "user", "text": message}, {"event": "slot", "name": "stage", "value": guessed}])
        _, events = run(ValidateSlotMappings(), tr)
        assert slot_events(events)["stage"] in ("arrears", None), intent


@pytest.mark.parametrize("text, expected", [("non je travaille pas", "no"), ("je ne travaille plus", "no"),
                                            ("i don't work", "no"), ("je travaille en cdi", "yes")])
def test_not_working_is_not_an_employee(text, expected):
    """"non je travaille pas" gave Action Logement to someone without a job."""
    assert answers.read_employee(text) == expected


def test_the_eviction_date_button_gives_the_urgent_answer_first():
    """Typed in words it was urgent at once; chosen by its button it waited behind four questions."""
    tr = tracker('/choisir_etape{"stage": "expulsion_scheduled"}', intent="choisir_etape",
                 requested_slot="stage", slots={"role": "tenant", "stage": "expulsion_scheduled"},
                 entities=[{"entity": "stage", "value": "expulsion_scheduled"}],
                 events=[{"event": "user", "text": "x"}, {"event": "slot", "name": "stage", "value": "expulsion_scheduled"}])
    messages, events = run(ValidateSlotMappings(), tr)
    assert slot_events(events)["stage"] == "expulsion_scheduled"
    assert messages[0]["text"].startswith("C'est urgent. Ne restez pas seul·e")


def test_a_commune_denied_is_not_the_home(fake_site):
    message = "j'habite à Delle pas Belfort"
    tr = tracker(message, intent="donner_commune", active_loop=None,
                 entities=commune_entities(message, "Delle", "Belfort"))
    assert resolve_commune_entity(tr) == {"commune": "90033", "commune_name": "Delle"}
    message = "non pas Belfort, Delle"
    tr = tracker(message, intent="donner_commune", active_loop=None,
                 entities=commune_entities(message, "Belfort", "Delle"))
    assert resolve_commune_entity(tr) == {"commune": "90033", "commune_name": "Delle"}


def test_a_landlord_s_own_home_does_not_replace_the_let_home(fake_site):
    message = "moi j'habite à Belfort"
    tr = tracker(message, intent="donner_commune", active_loop="triage_form", requested_slot="housing_benefit",
                 slots={"role": "landlord", "commune": "90033", "commune_name": "Delle"},
                 entities=commune_entities(message, "Belfort"))
    _, events = run(ValidateSlotMappings(), tr)
    assert "commune" not in slot_events(events)


def test_english_on_the_french_page_is_pointed_to_the_english_version():
    """"Hello, I don't speak French. I got a paper from the bailiff" got the French questions and no hint."""
    message = "Hello, I don't speak French. I got a paper from the bailiff, I owe 2000 euros"
    messages, _ = run(ValidateSlotMappings(), tracker(message, intent="commandement_payer", active_loop=None))
    assert any(m.get("response") == "utter_english_available" for m in messages)
    # Once: not at every English message, and never for French.
    said = [{"event": "bot", "text": "This service is also in English: choose “English” at the top of the page…"}]
    messages, _ = run(ValidateSlotMappings(), tracker(message, intent="commandement_payer", active_loop=None,
                                                     events=said))
    assert not any(m.get("response") == "utter_english_available" for m in messages)
    messages, _ = run(ValidateSlotMappings(), tracker("je dois 2000 euros a mon proprio", intent="loyer_impaye",
                                                     active_loop=None))
    assert not any(m.get("response") == "utter_english_available" for m in messages)


def test_a_landlord_s_message_gives_the_let_home_not_their_own(fake_site):
    """"j'habite à Belfort mais le logement loué est à Delle" gave "Commune : Belfort."."""
    message = "j'habite à Belfort mais le logement loué est à Delle"
    for role, insee in (("landlord", "90033"), ("tenant", "90010")):
        tr = tracker(message, intent="donner_commune", active_loop=None, slots={"role": role},
                     entities=commune_entities(message, "Belfort", "Delle"))
        assert resolve_commune_entity(tr)["commune"] == insee, role


@pytest.mark.parametrize("text", ["mars 2019", "en mars 2019", "depuis juillet 2021"])
def test_a_month_typed_at_an_amount_question_is_not_an_amount(text):
    """"mars 2019" typed at the debt question made a debt of 2,019 €."""
    assert parse_amount(text, require_currency=False) is None


@pytest.mark.parametrize("answer, lang, said", [("04/21", "fr", "Bail noté : avril 2021."),
                                                ("en 2019", "fr", "Bail noté : 2019."),
                                                ("March 2021", "en", "Lease noted: March 2021.")])
def test_the_lease_date_is_said_back_as_given(answer, lang, said):
    """It decides the payment period: "04/21" misread as 21 April 2026 went unseen."""
    tr = tracker(answer, requested_slot="lease_date", metadata={"lang": lang},
                 slots={"role": "tenant", "stage": "commandement_de_payer", "lang": lang})
    messages, _ = run(ValidateTriageForm(), tr)
    assert messages[0]["text"] == said
