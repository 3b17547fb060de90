"""Validator of the triage form: reads each answer, accepts "je ne sais pas".

An answer it cannot read, or a date on the wrong side of today, is refused
with a message saying why; the form then asks the same question again.
"""
import datetime as dt
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from . import answers, dialogue
from .amounts import parse_amount
from .communes import candidates, commune_entity, home_commune_said
from .dates import parse_date_and_precision, parse_upcoming_date, partial_iso
from .handoff import offer_handoff
from .helplines import calls, say
from .texts import lang_of, text
from .triage import format_date, format_partial_date
from .webapp_api import TriageRejected, WebappApi, WebappUnavailable

# The API's upper bound for an amount (webapp/triage/situation.py).
MAX_AMOUNT_EUR = 10_000_000


# No summons gives a hearing further away than this.
_FURTHEST_HEARING = dt.timedelta(days=2 * 365)


def today() -> dt.date:
    """The day dates are read against; a seam for tests of "hier"."""
    return dt.date.today()


# What the form says when it did not understand an answer: a second one in a
# row for the same household offers a person (issue 5: "after two consecutive
# fallbacks"), as the fallback action does outside the form.
MISS_KEYS = ("not_understood_role", "not_understood_stage", "not_understood_date", "not_understood_amount",
             "not_understood_choice", "not_understood_household_size", "not_understood_landlord_kind",
             "commune_not_found", "commune_outside", "date_needs_day")


def _is_miss(message: str, lang: str) -> bool:
    return any(message.startswith(text(key, lang).split("{", 1)[0]) for key in MISS_KEYS)


def _previous_turn(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The events between the previous user message and this one, latest first."""
    events: List[Dict[Text, Any]] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1:
            events.append(event)
    return events


def _previous_turn_texts(tracker: Tracker) -> List[str]:
    """What the bot said between the previous user message and this one."""
    return [event.get("text") or "" for event in _previous_turn(tracker) if event.get("event") == "bot"]


# A message that corrects what was just said: "non pardon, le 15 novembre".
_CORRECTION = re.compile(r"^\W*(non\b|pardon|erreur|je me suis tromp|oups|je voulais dire|no\b|sorry|oops|i mean)",
                         re.IGNORECASE)


def _date_just_noted(tracker: Tracker) -> Optional[str]:
    """The key date set in the previous turn (the one the bot has just said back), if any."""
    for event in _previous_turn(tracker):
        if (event.get("event") == "slot" and event.get("name") in dialogue.DATE_SLOTS
                and event.get("name") != "lease_date" and event.get("value") not in (None, dialogue.UNKNOWN)):
            return event["name"]
    return None


def _outside_postcode(message: str) -> bool:
    """A French postcode of another département in the message ("25200")."""
    return any(not code.startswith("90") for code in re.findall(r"(?<!\d)\d{5}(?!\d)", message))


def _said_just_before(tracker: Tracker, key: str, lang: str) -> bool:
    """True when the bot's words of the previous turn hold the text `key` (the
    question asked again comes after it, so it is not the last one)."""
    opening = text(key, lang).split("{", 1)[0]
    return any(said.startswith(opening) for said in _previous_turn_texts(tracker))


def _said_before(tracker: Tracker, key: str, lang: str) -> bool:
    """True when the bot said the text `key` at any point of this conversation."""
    return dialogue.bot_said(tracker.events, text(key, lang).split("{", 1)[0])


class ValidateTriageForm(FormValidationAction):
    def __init__(self, api: Optional[WebappApi] = None):
        self._api = api

    @property
    def api(self) -> WebappApi:
        # Built lazily so WEBAPP_API_URL is read when the server runs, not at import.
        return self._api or WebappApi()

    def name(self) -> Text:
        return "validate_triage_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        lang = lang_of(tracker)
        if any(_is_miss(m.get("text") or "", lang) for m in dispatcher.messages):
            previous = _previous_turn_texts(tracker)
            handoff_opening = text("handoff", lang).split("\n", 1)[0]
            if any(_is_miss(t, lang) for t in previous) and not any(t.startswith(handoff_opening) for t in previous):
                # Two answers in a row not understood: a person may be what
                # helps now; the question stays asked for whoever goes on.
                # Not offered again right after (the previous turn had it),
                # but again at the next second miss: a household still stuck
                # keeps the way out near its last message. Deliberate.
                offer_handoff(dispatcher, lang, calls(tracker, lang))
        return events

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return dialogue.required_slots(tracker.get_slot("role"), tracker.get_slot("stage"),
                                       tracker.slots)

    # --- helpers -----------------------------------------------------------
    @staticmethod
    def _asked(tracker: Tracker, slot: str) -> bool:
        """True when this message answers the question about ``slot``."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return tracker.get_slot("requested_slot") == slot and intent not in dialogue.INTERRUPTIONS

    @staticmethod
    def _intent(tracker: Tracker) -> Optional[str]:
        return (tracker.latest_message.get("intent") or {}).get("name")

    @staticmethod
    def _text(tracker: Tracker) -> str:
        return (tracker.latest_message.get("text") or "").strip()

    # --- role and stage: set by buttons or intents; re-ask anything else -----
    def extract_role(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "role") or tracker.get_slot("role"):
            return {}
        dispatcher.utter_message(text=text("not_understood_role", lang_of(tracker)))
        return {"role": None}

    def extract_stage(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "stage") or tracker.get_slot("stage"):
            return {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"stage": dialogue.UNKNOWN}
        dispatcher.utter_message(text=text("not_understood_stage", lang_of(tracker)))
        return {"stage": None}

    # --- commune -------------------------------------------------------------
    def extract_commune(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "commune"):
            return {}
        lang = lang_of(tracker)
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"commune": dialogue.UNKNOWN, "commune_name": None}
        query = commune_entity(tracker) or self._text(tracker)
        try:
            found = candidates(query, self.api)
            if not found and query != self._text(tracker):
                found = candidates(self._text(tracker), self.api)
        except WebappUnavailable:
            # Without the site the orientation fails anyway; do not trap the
            # household in a question it cannot get past.
            return {"commune": dialogue.UNKNOWN, "commune_name": None}
        if len(found) == 1:
            dispatcher.utter_message(text=text("commune_confirmed", lang, name=found[0]["name"]))
            return {"commune": found[0]["insee"], "commune_name": found[0]["name"]}
        if not found:
            if _outside_postcode(self._text(tracker)) or _said_just_before(tracker, "commune_not_found", lang):
                # A home elsewhere cannot be spelled into the list: say what
                # this service covers, and who answers everywhere.
                dispatcher.utter_message(text=say("commune_outside", lang, calls(tracker, lang)))
            else:
                dispatcher.utter_message(text=text("commune_not_found", lang, query=query[:60]))
            return {"commune": None}
        buttons = [
            {"title": f"{c['name']} ({', '.join(c.get('postcodes') or [])})",
             "payload": '/donner_commune{"commune": "%s"}' % c["name"].replace('"', "")}
            for c in found[:8]
        ]
        dispatcher.utter_message(text=text("commune_choose", lang), buttons=buttons)
        return {"commune": None}

    # --- the landlord, early: it changes the orientations --------------------
    def extract_landlord_kind(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "landlord_kind"):
            return {}
        value = answers.button_answer(tracker)
        if value in answers.LANDLORD_KINDS:
            return {"landlord_kind": value}
        # Words first: "non, c'est un hlm" comes as a no.
        value = answers.read_landlord_kind(self._text(tracker))
        if value is None and self._intent(tracker) in dialogue.DONT_KNOW:
            # A bare "non" says neither kind: left out, as "je ne sais pas".
            return {"landlord_kind": dialogue.UNKNOWN}
        if value is None:
            dispatcher.utter_message(text=text("not_understood_landlord_kind", lang_of(tracker)))
        return {"landlord_kind": value}

    # --- amount and dates ----------------------------------------------------
    def extract_debt_eur(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "debt_eur") or self._corrects_noted_date(tracker):
            return {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"debt_eur": dialogue.UNKNOWN}
        amount = parse_amount(self._text(tracker), require_currency=False)
        if amount is None:
            dispatcher.utter_message(text=text("not_understood_amount", lang_of(tracker)))
        return {"debt_eur": amount}

    def _corrects_noted_date(self, tracker: Tracker) -> Optional[str]:
        """The key date just said back, when this message corrects it ("non
        pardon, le 3 décembre") whatever the question now asked; else None."""
        if not _CORRECTION.match(self._text(tracker)):
            return None
        noted = _date_just_noted(tracker)
        if noted is None or parse_date_and_precision(self._text(tracker), today(), lang=lang_of(tracker))[0] is None:
            return None
        return noted

    def _extract_date(self, slot: str, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> Dict[Text, Any]:
        if not self._asked(tracker, slot):
            # The correction of this date, typed at the next question (the
            # debt, the housing benefit): it became a debt of 3 €.
            return self._read_date(slot, dispatcher, tracker) if self._corrects_noted_date(tracker) == slot else {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {slot: dialogue.UNKNOWN}
        # "non pardon, le 15 novembre" right after "Date notée : 15 décembre
        # 2025." corrects that date; it is not the answer to the next question
        # (it became the lease date, and the deadline said "passed").
        target = slot
        if _CORRECTION.match(self._text(tracker)):
            noted = _date_just_noted(tracker)
            if noted is not None and noted != slot:
                target = noted
        found = self._read_date(target, dispatcher, tracker)
        if target != slot:
            return dict(found, **{slot: None}) if found.get(target) is not None else {slot: None}
        return found

    def _read_date(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        lang, day = lang_of(tracker), today()
        upcoming = slot in dialogue.FUTURE_DATE_SLOTS
        if upcoming:
            parsed = parse_upcoming_date(self._text(tracker), day, lang=lang)
            # How much of it was given: "fin janvier" is no day for a hearing either.
            precision = parse_date_and_precision(self._text(tracker), day, prefer="future", lang=lang)[1]
        else:
            parsed, precision = parse_date_and_precision(self._text(tracker), day, prefer="past", lang=lang)
        if parsed is None:
            if home_commune_said(tracker):
                # "non j'habite à Delle pas Belfort": the commune's correction
                # (the slot mappings take it), not a date not understood.
                return {slot: None}
            if answers.asks_what_a_word_means(self._text(tracker)):
                # "c'est quoi une assignation ?": where the words are explained.
                dispatcher.utter_message(text=text("what_a_word_means", lang))
                return {slot: None}
            dispatcher.utter_message(text=text("not_understood_date", lang))
            return {slot: None}
        shown = format_date(parsed.isoformat(), lang)
        if slot != "lease_date" and precision != "day":
            # "fin octobre" for a judgment is not the 1st of October: the
            # deadline counted from it would be up to a month early (an appeal
            # still open said closed); a hearing "fin janvier" is not New
            # Year's Day. The paper gives the day.
            dispatcher.utter_message(text=text("date_needs_day", lang))
            return {slot: None}
        if upcoming and parsed > day + _FURTHEST_HEARING:
            # A hearing years away is a date misread ("12/15" was 2115), not a summons.
            dispatcher.utter_message(text=text("not_understood_date", lang))
            return {slot: None}
        if upcoming and parsed < day:
            # Kept, not asked again: "je ne sais pas" after a refusal sent no
            # date, and the answer then said to go to a hearing already held.
            dispatcher.utter_message(text=say("hearing_date_past", lang, calls(tracker, lang), date=shown))
            return {slot: parsed.isoformat()}
        if not upcoming and parsed > day:
            dispatcher.utter_message(text=text(f"date_in_future.{slot}", lang, date=shown))
            return {slot: None}
        if slot == "lease_date":
            # "juillet 2023" is a month, not the 1st: kept as "2023-07" (and
            # "en 2023" as "2023"), the API decides whether that is enough to
            # tell the payment period (triage.triage_request).
            dispatcher.utter_message(text=text("lease_noted", lang, date=format_partial_date(parsed, precision, lang)))
            return {slot: partial_iso(parsed, precision)}
        # Said back with its year: "le 15 décembre" in November is last
        # December, "le 5 janvier" a hearing next January; the household sees
        # it before the deadlines, and may correct it at once.
        dispatcher.utter_message(text=text("date_noted", lang, date=shown))
        self._say_if_urgent(slot, parsed.isoformat(), dispatcher, tracker)
        return {slot: parsed.isoformat()}

    def _say_if_urgent(self, slot: str, iso: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Urgent situations get the urgent answer first (issue 5): a hearing
        or an eviction days away must not wait behind the aid questions.

        Whether it is urgent is the site's to say (its rules, its 14 days):
        the date goes to the triage API at once, with what is known; the
        whole answer still comes at the end. Said once per conversation.
        """
        lang = lang_of(tracker)
        if tracker.get_slot("role") != "tenant" or _said_before(tracker, "urgent_early", lang):
            return
        request = {"lang": lang, "role": "tenant", "stage": tracker.get_slot("stage"), slot: iso}
        if tracker.get_slot("commune") not in (None, "", dialogue.UNKNOWN):
            request["commune"] = tracker.get_slot("commune")
        try:
            urgency = self.api.triage(request).get("urgency")
        except (WebappUnavailable, TriageRejected):
            return
        if urgency == "immediate":
            dispatcher.utter_message(text=say("urgent_early", lang, calls(tracker, lang)))

    def extract_lease_date(self, dispatcher, tracker, domain):
        return self._extract_date("lease_date", dispatcher, tracker)

    def extract_commandement_date(self, dispatcher, tracker, domain):
        return self._extract_date("commandement_date", dispatcher, tracker)

    def extract_hearing_date(self, dispatcher, tracker, domain):
        return self._extract_date("hearing_date", dispatcher, tracker)

    def extract_judgment_served_date(self, dispatcher, tracker, domain):
        return self._extract_date("judgment_served_date", dispatcher, tracker)

    def extract_commandement_de_quitter_date(self, dispatcher, tracker, domain):
        return self._extract_date("commandement_de_quitter_date", dispatcher, tracker)

    def extract_resumed_rent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "resumed_rent"):
            return {}
        value = answers.button_answer(tracker)
        if value in answers.RESUMED_RENT:
            return {"resumed_rent": value}
        intent = self._intent(tracker)
        if intent == "ne_sais_pas":
            return {"resumed_rent": dialogue.UNKNOWN}
        # Words first: "oui mais pas en entier" is not the full rent.
        value = answers.read_resumed_rent(self._text(tracker))
        value = value or {"affirmer": "yes", "nier": "no"}.get(intent)
        if value is None:
            dispatcher.utter_message(text=text("not_understood_choice", lang_of(tracker)))
        return {"resumed_rent": value}

    # --- the aid questions ---------------------------------------------------
    def extract_monthly_income_eur(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "monthly_income_eur"):
            return {}
        said = self._text(tracker)
        if answers.reads_as_no_income(said):
            return {"monthly_income_eur": 0.0}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"monthly_income_eur": dialogue.UNKNOWN}
        amount = parse_amount(said, require_currency=False)
        if amount is None or amount > MAX_AMOUNT_EUR:
            dispatcher.utter_message(text=text("not_understood_amount", lang_of(tracker)))
            return {"monthly_income_eur": None}
        return {"monthly_income_eur": amount}

    def extract_household_size(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "household_size"):
            return {}
        if self._intent(tracker) in dialogue.DONT_KNOW:
            return {"household_size": dialogue.UNKNOWN}
        size = answers.read_household_size(self._text(tracker))
        if size is None:
            dispatcher.utter_message(text=text("not_understood_household_size", lang_of(tracker)))
        return {"household_size": size}

    def extract_housing_benefit(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "housing_benefit") or self._corrects_noted_date(tracker):
            return {}
        lang, role, intent = lang_of(tracker), tracker.get_slot("role"), self._intent(tracker)
        value = answers.button_answer(tracker)
        if value in answers.HOUSING_BENEFIT:
            return {"housing_benefit": value}
        if intent == "ne_sais_pas":
            return {"housing_benefit": dialogue.UNKNOWN}
        value = answers.read_housing_benefit(self._text(tracker), role)
        if value is None and intent == "nier":
            value = "none"
        if value is not None:
            return {"housing_benefit": value}
        if intent == "affirmer":
            # "oui": the API needs to know who receives it; ask, do not guess.
            who = "landlord" if role == "landlord" else "tenant"
            dispatcher.utter_message(text=text(f"housing_benefit_who.{who}", lang))
        else:
            dispatcher.utter_message(text=text("not_understood_choice", lang))
        return {"housing_benefit": None}

    def extract_private_sector_employee(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "private_sector_employee"):
            return {}
        intent = self._intent(tracker)
        if intent == "ne_sais_pas":
            return {"private_sector_employee": dialogue.UNKNOWN}
        # Words first: "non, je suis en cdi" is a yes whatever the intent.
        value = answers.read_employee(self._text(tracker))
        value = value or {"affirmer": "yes", "nier": "no"}.get(intent)
        if value is None:
            dispatcher.utter_message(text=text("not_understood_choice", lang_of(tracker)))
        return {"private_sector_employee": value}

    def extract_debts(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> Dict[Text, Any]:
        if not self._asked(tracker, "debts"):
            return {}
        value = answers.button_answer(tracker)
        if value in answers.DEBTS:
            return {"debts": value}
        intent = self._intent(tracker)
        if intent == "ne_sais_pas":
            return {"debts": dialogue.UNKNOWN}
        value = answers.read_debts(self._text(tracker))
        value = value or {"affirmer": "other_debts", "nier": "none"}.get(intent)
        if value is None:
            dispatcher.utter_message(text=text("not_understood_choice", lang_of(tracker)))
        return {"debts": value}
