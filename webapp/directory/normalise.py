"""Turn what people type for a commune into a comparable key."""

from __future__ import annotations

import re
import unicodedata

# "St", "Ste" are how people (and many forms) abbreviate "Saint", "Sainte".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—'’`´.,/]+")


def name_key(text: str) -> str:
    """Lower-case, accent-free, with hyphens/apostrophes as spaces and St/Ste expanded."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [w for w in _SEPARATORS.split(stripped.casefold()) if w]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def squeeze(key: str) -> str:
    """The key without spaces, so "Lamadeleine Val des Anges" meets "la madeleine"."""
    return key.replace(" ", "")
