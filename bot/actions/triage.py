"""Send the household's answers to the site's triage API and relay its answer."""
import asyncio
import datetime as dt
import re
from typing import Any, Dict, List, Mapping, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import answers, dialogue
from .dates import split_partial_iso
from .helplines import calls, say
from .texts import DETAILS_URL, REFERRAL_URL, kind_label, lang_of, text
from .webapp_api import TriageRejected, WebappApi, WebappUnavailable

# Slots sent as they are; "unknown" and empty answers are left out so the API
# applies its own defaults (e.g. the note on leases of unknown date, the FSL
# "income unknown" reason).
REQUEST_SLOTS = ("role", "stage", "commune", "debt_eur", "monthly_income_eur",
                 "household_size", "housing_benefit", "landlord_kind") + dialogue.DATE_SLOTS

_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def triage_request(tracker: Tracker, lang: str) -> Dict[str, Any]:
    """The API request built from the slots, without guessing anything."""
    request: Dict[str, Any] = {"lang": lang}
    for slot in REQUEST_SLOTS:
        value = tracker.get_slot(slot)
        if value in (None, "", dialogue.UNKNOWN):
            continue
        request[slot] = value
    # Only the dates the current stage asks for: a household that said
    # "commandement le 2 octobre", then "non, c'est une assignation", got a
    # payment deadline beside its hearing (the questionnaire keeps one key
    # date per stage too).
    asked = set(dialogue.required_slots(tracker.get_slot("role"), tracker.get_slot("stage"),
                                        tracker.current_slot_values()))
    for slot in dialogue.DATE_SLOTS:
        if slot not in asked:
            request.pop(slot, None)
    # The API wants an integer; a JSON round trip may have made it 3.0.
    if isinstance(request.get("household_size"), float):
        request["household_size"] = int(request["household_size"])
    # Yes/no and the debts choice become the API's booleans and choices.
    request.update(answers.to_request({slot: tracker.get_slot(slot)
                                       for slot in ("private_sector_employee", "debts", "resumed_rent")}))
    # A lease date given to the month or year ("2023-07", actions/dates.py)
    # goes with its precision; "day" is the API's default.
    if isinstance(request.get("lease_date"), str):
        request["lease_date"], precision = split_partial_iso(request["lease_date"])
        if precision != "day":
            request["lease_date_precision"] = precision
    # The tenant's landlord and rent: a landlord's answer has no such field.
    if request.get("role") != "tenant":
        request.pop("landlord_kind", None)
        request.pop("resumed_rent", None)
    return request


def format_date(iso: str, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    month = _MONTHS[lang][day.month - 1]
    # "1er avril", as the site writes it (rules.format_date).
    first = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{first} {month} {day.year}"


def format_partial_date(day: dt.date, precision: str, lang: str) -> str:
    """A date as much as it was given: "mars 2019", "2019", or the whole day."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{_MONTHS[lang][day.month - 1]} {day.year}"
    return format_date(day.isoformat(), lang)


def _intro_key(urgency: str, request: Optional[Mapping[str, Any]]) -> Optional[str]:
    """Which opening sentence: "no procedure yet" only when the household said so."""
    if urgency not in ("immediate", "high", "normal"):
        return None
    if request is not None and request.get("role") == "landlord":
        # The others speak to a tenant ("vous avez encore des droits", the
        # tenants' helpline). The chat asks a landlord no date: the
        # questionnaire dates the plan.
        return "result_intro_landlord"
    if urgency == "normal" and request is not None and request.get("stage") != "arrears":
        return "result_intro_normal_stage_unknown"
    return f"result_intro_{urgency}"


def render_result(result: Dict[str, Any], lang: str, helpline_calls: Mapping[str, str],
                  request: Optional[Mapping[str, Any]] = None) -> str:
    """One message: urgency first, then whom to contact, the dates, the steps."""
    urgency = result.get("urgency") or "normal"
    intro = _intro_key(urgency, request)
    lines: List[str] = [say(intro, lang, helpline_calls) if intro else ""]
    orientations = result.get("orientations") or []
    if orientations:
        lines += ["", text("orientations_title", lang)]
        for number, orientation in enumerate(orientations, start=1):
            lines += _orientation_lines(number, orientation, lang)
    deadlines = result.get("deadlines") or []
    if deadlines:
        lines += ["", text("deadlines_title", lang)]
        sep = " : " if lang == "fr" else ": "
        for deadline in deadlines:
            # The date first, as on the questionnaire's page: a label is a
            # sentence of its own ("Dernier jour pour payer la dette : 2 mois
            # après…"), and a date after it was lost at the end.
            passed = f" ({text('date_passed', lang)})" if deadline.get("passed") else ""
            lines.append(f"• {format_date(deadline.get('date'), lang)}{passed}{sep}"
                         f"{deadline.get('label') or deadline.get('kind')}")
    steps = result.get("next_steps") or []
    if steps:
        lines += ["", text("next_steps_title", lang)]
        for step in steps:
            lines.append(f"• {step.get('text', '')}{_step_link(step)}")
    lines += ["", text("disclaimer", lang)]
    return "\n".join(line for line in lines if line is not None).strip()


def _step_link(step: Dict[str, Any]) -> str:
    """A step's link after its text: a page of the site, which the chat makes a link.

    A phone link is left out when its number is already in the text (the chat
    makes that a call link), else shown as the number: "(tel:…)" after the
    same number in the sentence read as noise.
    """
    link = step.get("link") or ""
    if link.startswith("tel:"):
        number = link[len("tel:"):]
        digits = re.sub(r"\D", "", step.get("text", ""))
        return "" if re.sub(r"\D", "", number) in digits else f" ({number})"
    return f" ({link})" if link else ""


def _orientation_lines(number: int, orientation: Dict[str, Any], lang: str) -> List[str]:
    structure = orientation.get("structure") or None
    name = (structure or {}).get("name") or kind_label(orientation.get("kind", ""), lang)
    lines = [f"{number}. {name}"]
    if orientation.get("reason"):
        lines.append(f"   {orientation['reason']}")
    if structure is not None:
        sep = " : " if lang == "fr" else ": "
        address, phone = structure.get("address"), structure.get("phone")
        if address:
            lines.append(f"   {text('address', lang)}{sep}{address}")
        if phone:
            lines.append(f"   {text('phone', lang)}{sep}{phone}")
        if not address and not phone:
            lines.append(f"   ({text('contacts_to_confirm', lang)})")
        if not (address and phone) and structure.get("referral"):
            # How to reach it meanwhile (the Département's address, the
            # point-justice), as the result page says.
            lines.append(f"   {structure['referral']}")
    return lines


def result_buttons(lang: str) -> List[Dict[str, str]]:
    return [{"title": text("button_talk_now", lang), "payload": "/demander_humain"}]


def result_links(lang: str) -> List[Dict[str, str]]:
    return [
        {"title": text("button_referral", lang), "url": REFERRAL_URL},
        {"title": text("button_details", lang), "url": DETAILS_URL},
    ]


class ActionSubmitTriage(Action):
    def __init__(self, api: Optional[WebappApi] = None):
        self._api = api

    def name(self) -> Text:
        return "action_submit_triage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = lang_of(tracker)
        helpline_calls = calls(tracker, lang)
        request = triage_request(tracker, lang)
        api = self._api or WebappApi()
        try:
            # requests is blocking; keep the action server's event loop free.
            result = await asyncio.to_thread(api.triage, request)
        except TriageRejected as rejected:
            details = "; ".join(e.get("message", "") for e in rejected.errors) or "?"
            dispatcher.utter_message(text=text("api_rejected", lang, details=details))
            return []
        except WebappUnavailable:
            dispatcher.utter_message(text=say("api_unavailable", lang, helpline_calls))
            return []
        dispatcher.utter_message(text=render_result(result, lang, helpline_calls, request),
                                 buttons=result_buttons(lang))
        # The page turns this into links; it also keeps the answers server-side
        # to pre-fill the referral form and the questionnaire's result page.
        dispatcher.utter_message(json_message={
            "kind": "triage_result",
            "urgency": result.get("urgency"),
            "answers": request,
            "links": result_links(lang),
        })
        return [SlotSet("urgency", result.get("urgency"))]
