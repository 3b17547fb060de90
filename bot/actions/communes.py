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
    r"street|road)\.?\s+(?:de\s+la\s+|de\s+l\s*|de\s+|du\s+|des\s+|d\s*)?)$")


# Where the household lives, said just before a commune: "j'habite à", "je vis à".
_HOME = re.compile(r"\b(?:habite|habitons|vis|vit|vivons|loge|logement|appartement|appart|maison|live|living|home)"
                   r"\b(?:\s+\w+){0,3}\s*$")


def commune_entity(tracker: Tracker) -> Optional[str]:
    """The commune named as the home: the one after "j'habite" when two are named
    ("je travaille à Belfort mais j'habite à Offemont"), else the first; never
    one inside a département's or a street's name."""
    message = tracker.latest_message.get("text") or ""
    places = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") != "commune" or not entity.get("value"):
            continue
        start = entity.get("start")
        before = fold(message[:start]) if isinstance(start, int) and start else ""
        if before and _NOT_THE_HOME.search(before + " "):
            continue
        places.append((bool(before) and _HOME.search(before) is not None, str(entity["value"])))
    home = [value for is_home, value in places if is_home]
    return (home or [value for _, value in places] or [None])[0]


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


def resolve_commune_entity(tracker: Tracker) -> Dict[Text, Any]:
    """Slots for a commune named in passing; nothing when unsure."""
    name = commune_entity(tracker)
    if not name:
        return {}
    try:
        found = candidates(name)
    except WebappUnavailable:
        return {}
    if len(found) != 1:
        return {}
    return {"commune": found[0]["insee"], "commune_name": found[0]["name"]}
