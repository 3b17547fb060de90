"""Resolve a commune name or postcode through the site's /api/communes."""
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker

from .webapp_api import WebappApi, WebappUnavailable


def fold(value: str) -> str:
    """Lower case without accents, hyphens or apostrophes, for comparison."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[-'’_]", " ", plain).split())


# A commune's name that is not where the home is: the département's name
# ("j'habite dans le Territoire de Belfort a Beaucourt") and street names
# ("rue de Belfort a Delle", "24 faubourg de Montbéliard").
_NOT_THE_HOME = re.compile(
    r"(?:\bterritoire\s+(?:de\s+|du\s+)?"
    r"|\b(?:rue|avenue|av|bd|boulevard|faubourg|fbg|place|route|rte|chemin|allee|impasse|quai|square|cours|"
    r"street|road)\.?\s+(?:de\s+la\s+|de\s+l\s*|de\s+|du\s+|des\s+|d\s*)?"
    # Where the court or an office is, not the home: "convocation au tribunal
    # de Belfort… j'habite Delle" sent the household to Belfort's social workers.
    r"|\b(?:tribunal|tj|cour\s+d\s*appel|commissariat|prefecture|caf|court)\s+(?:judiciaire\s+)?"
    r"(?:de\s+|du\s+|d\s*|in\s+|of\s+)?)$")


# Where the speaker lives ("j'habite à", "je vis à"): for a landlord, not the let home.
_LIVES = re.compile(r"\b(?:j?habite|habitons|vis|vivons|live|living)\b(?:\s+\w+){0,3}\s*$")
# A commune denied: "j'habite à Cravanche pas Valdoie", "plus à Belfort".
_DENIED = re.compile(r"\b(?:pas|plus|non|not|no longer)\s+(?:a\s+|à\s+|de\s+|d\s+|en\s+|in\s+|at\s+)?$")


# Where the household lives, said just before a commune: "j'habite à", "je vis à".
_HOME = re.compile(r"\b(?:j?habite|habitons|vis|vit|vivons|loge|logement|appartement|appart|maison|live|living|home)"
                   r"\b(?:\s+\w+){0,3}\s*$")


def commune_entity(tracker: Tracker) -> Optional[str]:
    """The commune named as the home: the one after "j'habite" when two are named
    ("je travaille à Belfort mais j'habite à Offemont"), else the first; never
    one inside a département's, a street's or a court's name."""
    home = _named_places(tracker)
    if tracker.get_slot("role") == "landlord":
        # "j'habite à Belfort mais le logement loué est à Delle": the let
        # home is the one that counts, never the landlord's own.
        let = [name for name in home[True] + home[False] if name not in home["lives"]]
        return (let or [None])[0]
    return (home[True] or home[False] or [None])[0]


def home_commune_said(tracker: Tracker) -> Optional[str]:
    """The commune named right after "j'habite", "je vis à"…; None when no home is said."""
    return (_named_places(tracker)[True] or [None])[0]


def _named_places(tracker: Tracker) -> Dict[Any, List[str]]:
    """The communes named in the latest message, by whether a word of home came
    just before (True, False), and those where the speaker lives ("lives")."""
    message = tracker.latest_message.get("text") or ""
    places, lives = [], []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") != "commune" or not entity.get("value"):
            continue
        start = entity.get("start")
        before = fold(message[:start]) if isinstance(start, int) and start else ""
        if before and (_NOT_THE_HOME.search(before + " ") or _DENIED.search(before + " ")):
            continue
        places.append((bool(before) and _HOME.search(before) is not None, str(entity["value"])))
        if before and _LIVES.search(before):
            lives.append(str(entity["value"]))
    found: Dict[Any, List[str]] = {flag: [value for is_home, value in places if is_home == flag]
                                   for flag in (True, False)}
    found["lives"] = lives
    return found


def candidates(query: str, api: Optional[WebappApi] = None) -> List[Dict[str, Any]]:
    """Communes matching ``query``; an exact name or postcode match wins."""
    api = api or WebappApi()
    found = api.find_communes(query)
    wanted = fold(query)
    exact = [c for c in found
             if fold(c.get("name", "")) == wanted or wanted in (c.get("postcodes") or [])]
    if len([c for c in exact if fold(c.get("name", "")) == wanted]) == 1:
        return [c for c in exact if fold(c.get("name", "")) == wanted]
    return exact or found


def resolve_commune_entity(tracker: Tracker, home_only: bool = False) -> Dict[Text, Any]:
    """Slots for a commune named in passing (with `home_only`, only one said
    as the home: "j'habite à Delle"); nothing when unsure."""
    name = home_commune_said(tracker) if home_only else commune_entity(tracker)
    if not name:
        return {}
    try:
        found = candidates(name)
    except WebappUnavailable:
        return {}
    if len(found) != 1:
        return {}
    return {"commune": found[0]["insee"], "commune_name": found[0]["name"]}
