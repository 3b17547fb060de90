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


def commune_entity(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "commune" and entity.get("value"):
            return str(entity["value"])
    return None


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
