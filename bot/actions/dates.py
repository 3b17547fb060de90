"""Turn what people type ("le 3 octobre", "hier", "15/09") into ISO dates."""
import datetime as dt
import re
from typing import Optional

import dateparser
from dateparser.search import search_dates

LANGUAGES = ["fr", "en"]
# Words people put around a date that dateparser does not expect.
_FILLER = re.compile(
    r"\b(c'?etait|c'?était|environ|vers|a peu pres|à peu près|je crois|je pense|"
    r"it was|about|around|i think|on|le|the)\b",
    re.IGNORECASE,
)


def parse_date(text: str, today: dt.date, prefer: str = "past") -> Optional[dt.date]:
    """Return the date meant by ``text``, read relative to ``today``, or None.

    ``prefer`` ("past" or "future") settles "le 3 octobre" without a year: a
    commandement already received is in the past, a hearing in the future.
    """
    if not text or not text.strip():
        return None
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    cleaned = " ".join(text.strip().split())
    for candidate in (cleaned, _FILLER.sub(" ", cleaned)):
        parsed = dateparser.parse(candidate, languages=LANGUAGES, settings=settings)
        if parsed:
            return parsed.date()
    # A date inside a sentence: "l'huissier est passé le 3 octobre".
    found = search_dates(cleaned, languages=LANGUAGES, settings=settings) or []
    for matched_text, parsed in found:
        # Skip lone words dateparser reads as dates ("le", "a", "mar").
        if re.search(r"\d", matched_text) or len(matched_text.strip()) >= 4:
            return parsed.date()
    return None
