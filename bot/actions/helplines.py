"""The national helplines' numbers, as the site's directory gives them.

The directory (content/structures/, edited by staff in the back office, served
at ``GET /api/structures/<id>``) is the one place for contact details: the bot
writes no number itself. Each helpline becomes, per language, a "call clause"
that follows "appelez <name>" / "call <name>" in a sentence: "au <numéro>
(gratuit ; <horaires>)". The clauses live in the conversation's
``call_<helpline>`` slots, in the conversation's current language: the
slot-mapping validation (ValidateSlotMappings) sets them on the first user
message and then only when one differs (the page's language changed, or a
staff edit once the cache expired). It runs before the policies predict, so
the domain's responses of that very message template them, and the actions'
texts read them (``calls``).

Four slots, not one per language too, and no custom session start: Rasa's CPU
per message grows with the events in the tracker, so a conversation gets four
SlotSet events at its start and none while nothing changes.

"gratuit" / "free" is the directory's fact (``free_call`` in the API), not
the bot's: a line is said to be free only when the structure the site gave
says so, so a site that does not answer gives no "gratuit" either.

A number the directory does not have, or a site that does not answer, gives a
clause without a number that sends to the site's contacts page: never "None",
never a blank. That clause stands alone in a domain response. A text composed
by an action (``say``) names several lines at once: there, a line without a
number keeps only its notes ("(gratuit)", or nothing), and one sentence sends
to the contacts page for all of them.
"""
import asyncio
import string
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from .texts import CALL_NOTES_SEPARATOR, LIST_JOINERS, NUMBER_OF, TEXTS, text
from .webapp_api import WebappApi, WebappUnavailable

# Key in slot and placeholder names -> id of the structure in the directory
# (webapp/directory: NATIONAL_HELPLINES).
HELPLINES: Dict[str, str] = {
    "allo": "allo-prevention-expulsion",
    "sos_loyers": "sos-loyers-impayes",
    "point_justice": "point-justice-3039",
    "banque_de_france": "banque-de-france-3414",
}

# A staff edit shows within a minute, and the site is not called per message.
CACHE_TTL_S = 60.0
# After a failed call the last known answer is kept, and the site tried again soon.
RETRY_AFTER_FAILURE_S = 10.0
# The number is a help, not the answer: a slow site must not hold the message.
FETCH_TIMEOUT_S = 1.5


def slot_name(key: str) -> str:
    return f"call_{key}"


SLOT_NAMES = tuple(slot_name(key) for key in HELPLINES)


class DirectoryCache:
    """The site's answers for each (structure, language), kept ``ttl`` seconds."""

    def __init__(self, ttl: float = CACHE_TTL_S, retry_after_failure: float = RETRY_AFTER_FAILURE_S,
                 clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._retry = retry_after_failure
        self._clock = clock
        self._entries: Dict[Tuple[str, str], Tuple[Optional[Dict[str, Any]], float]] = {}
        # One fetch at a time: a conversation arriving meanwhile waits for it
        # instead of calling the site again.
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def fresh(self, wanted: Iterable[Tuple[str, str]]) -> Optional[Dict[Tuple[str, str], Optional[Dict[str, Any]]]]:
        """Each (structure id, lang) when every one is still fresh, without calling the site; else None."""
        now = self._clock()
        found = {}
        for key in wanted:
            # A plain read: a dict lookup is atomic, and a stale answer only
            # sends the caller to lookup().
            structure, expires = self._entries.get(key, (None, 0.0))
            if now >= expires:
                return None
            found[key] = structure
        return found

    def lookup(self, wanted: Iterable[Tuple[str, str]]) -> Dict[Tuple[str, str], Optional[Dict[str, Any]]]:
        """Each (structure id, lang) as the site last gave it; None if unknown."""
        found: Dict[Tuple[str, str], Optional[Dict[str, Any]]] = {}
        with self._lock:
            now = self._clock()
            site_down = False
            for key in wanted:
                structure, expires = self._entries.get(key, (None, 0.0))
                if now < expires:
                    found[key] = structure
                    continue
                if not site_down:
                    try:
                        structure = WebappApi(timeout=FETCH_TIMEOUT_S).structure(*key)
                        self._entries[key] = (structure, now + self._ttl)
                        found[key] = structure
                        continue
                    except WebappUnavailable:
                        # The other structures do not wait for a site that is down.
                        site_down = True
                # A number known a moment ago beats no number.
                self._entries[key] = (structure, now + self._retry)
                found[key] = structure
        return found


CACHE = DirectoryCache()


def _clean(value: Any) -> Optional[str]:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _hours(structure: Mapping[str, Any], lang: str) -> Optional[str]:
    """The directory's opening hours, shaped to sit inside a parenthesis."""
    hours = _clean(structure.get("opening_hours"))
    if hours is None:
        return None
    hours = hours.rstrip(". ")
    # "Du lundi au vendredi" after "gratuit ; ": French does not capitalise
    # there. English day names keep their capital; so does an acronym.
    if lang == "fr" and len(hours) > 1 and hours[0].isupper() and hours[1].islower():
        hours = hours[0].lower() + hours[1:]
    return hours or None


def clause(structure: Optional[Mapping[str, Any]], lang: str) -> str:
    """How to call this helpline, from the structure the directory gave (or None)."""
    # Only a true from the directory: a missing or malformed fact says nothing.
    notes = [text("call_free", lang)] if structure and structure.get("free_call") is True else []
    phone = _clean(structure.get("phone")) if structure else None
    if structure is None or phone is None:
        # Hours without a number would help no one: the contacts page has both.
        notes.append(text("call_no_number", lang))
        return f"({CALL_NOTES_SEPARATOR[lang].join(notes)})"
    hours = _hours(structure, lang)
    if hours:
        notes.append(hours)
    said = text("call_number", lang, phone=phone)
    return f"{said} ({CALL_NOTES_SEPARATOR[lang].join(notes)})" if notes else said


def slot_values(lang: str, cache: Optional[DirectoryCache] = None,
                fetch: bool = True) -> Optional[Dict[str, str]]:
    """Every ``call_<helpline>`` slot's value in ``lang``, from the directory (cached).

    With fetch=False, None unless the cache can answer without the site.
    """
    cache = cache or CACHE
    wanted = [(structure_id, lang) for structure_id in HELPLINES.values()]
    found = cache.lookup(wanted) if fetch else cache.fresh(wanted)
    if found is None:
        return None
    return {slot_name(key): clause(found.get((structure_id, lang)), lang)
            for key, structure_id in HELPLINES.items()}


async def slot_events(tracker: Tracker, lang: str) -> List[Dict[str, Any]]:
    """SlotSet for the call clauses in ``lang`` that differ from the tracker's."""
    # Nearly every message finds the cache fresh: no thread needed then. A
    # call to the site (requests, blocking) runs off the event loop.
    values = slot_values(lang, fetch=False) or await asyncio.to_thread(slot_values, lang)
    return [SlotSet(name, value) for name, value in values.items()
            if tracker.get_slot(name) != value]


def calls(tracker: Tracker, lang: str) -> Dict[str, str]:
    """The call clauses in ``lang`` for the actions' texts: {"call_allo": ..., ...}.

    The slot-mapping validation has already put this message's language in
    the slots (and in ``lang``). Slots in another language, or none at all,
    give the clause without a number rather than a sentence in two languages.
    """
    current = tracker.get_slot("lang") == lang
    return {name: (tracker.get_slot(name) if current else None) or clause(None, lang)
            for name in SLOT_NAMES}


def without_number(value: str, lang: str) -> Optional[str]:
    """For a clause that has no number: its notes alone ("(gratuit)", or ""). None for a clause with one.

    ``clause`` is the only writer of these values: a clause without a number
    is "(" + its notes + ")", the last note being the contacts page.
    """
    pointer = text("call_no_number", lang)
    if not (value.startswith("(") and value.endswith(pointer + ")")):
        return None
    notes = value[1:-len(pointer) - 1].removesuffix(CALL_NOTES_SEPARATOR[lang]).strip()
    return f"({notes})" if notes else ""


def _contacts_page_sentence(missing: List[str], named: int, lang: str) -> str:
    """Once per text: where the numbers left out are ("their numbers" when none of the lines has one)."""
    if named > 1 and len(missing) == named:
        return text("numbers_page.all", lang)
    names = [NUMBER_OF[key][lang] for key in missing]
    listed = names[0] if len(names) == 1 else (
        ", ".join(names[:-1]) + LIST_JOINERS[lang] + names[-1])
    return text("numbers_page.one" if len(names) == 1 else "numbers_page.several", lang, names=listed)


# Stands for an empty clause until the text is formatted (never printed).
_EMPTY = "\x00"


def say(key: str, lang: str, helpline_calls: Mapping[str, str], **values: Any) -> str:
    """An action's text with its ``{call_<helpline>}`` clauses, sending to the contacts page once.

    The lines without a number keep only their notes, and the text's
    ``{numbers_page}`` (after a sentence) or ``{numbers_page_line}`` (after a
    list) says in one sentence where their numbers are; both are empty when
    every line has its number.
    """
    template = TEXTS[key].get(lang) or TEXTS[key]["fr"]
    used = list(dict.fromkeys(field for _, field, _, _ in string.Formatter().parse(template)
                              if field and field.startswith("call_")))
    clauses: Dict[str, str] = {}
    missing: List[str] = []
    for name in used:
        value = helpline_calls.get(name) or clause(None, lang)
        short = without_number(value, lang)
        if short is None:
            clauses[name] = value
            continue
        missing.append(name.removeprefix("call_"))
        # An empty clause takes its leading space with it: "appelez X ou Y", not "X  ou".
        clauses[name] = short or _EMPTY
    sentence = _contacts_page_sentence(missing, len(used), lang) if missing else ""
    said = template.format(**values, **clauses,
                           numbers_page=f" {sentence}" if sentence else "",
                           numbers_page_line=f"\n{sentence}" if sentence else "")
    return said.replace(f" {_EMPTY}", "").replace(_EMPTY, "")

