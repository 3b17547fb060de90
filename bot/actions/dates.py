"""Turn what people type ("le 3 octobre", "hier", "15/09") into ISO dates."""
import datetime as dt
import re
from typing import Optional, Tuple

import dateparser
from dateparser.date import DateDataParser
from dateparser.search import search_dates

LANGUAGES = ["fr", "en"]
# Words people put around a date that dateparser does not expect.
_FILLER = re.compile(
    r"\b(c'?etait|c'?était|environ|vers|a peu pres|à peu près|je crois|je pense|"
    r"it was|about|around|i think|on|le|the)\b",
    re.IGNORECASE,
)
# A time after the date ("le 15 janvier à 14h", "8/12 a 9h30", "at 2 pm"):
# a summons gives the hearing's hour, and dateparser read "15 janvier à 14h"
# as the year 2114, "8/12 a 9h" as today. Only the day matters here.
_TIME = re.compile(
    r"(?:\b(?:a|à|at|vers|de|from)\s+)?(?:\b\d{1,2}\s?(?:h|heures?)(?:\s?\d{2})?(?!\w)|\b\d{1,2}:\d{2}\b|"
    r"\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\bmidi\b|\bnoon\b)",
    re.IGNORECASE,
)
_PART_OF_DAY = re.compile(r"\b(?:dans la |le |l'|in the )?(?:matin|matinee|matinée|apres-midi|après-midi|"
                          r"apres midi|après midi|soir|morning|afternoon|evening)\b", re.IGNORECASE)
# Month and a two-digit year, as French papers write them: "04/21". Only when
# the second number cannot be a month.
_MONTH_SHORT_YEAR = re.compile(r"^(0?[1-9]|1[0-2])[/.-](1[3-9]|[2-9]\d)$")
# Month first, as in English-speaking countries (the English site only): "12/15" is 15 December, not
# the 12th of a 15th month (dateparser made it 12 November 2115). Only when
# the second number cannot be a month; "11/12" stays day first, as in France.
_MONTH_FIRST = re.compile(r"\b(\d{1,2})[/.](\d{1,2})\b(?=$|[/.\s,])")


def _day_first(match: re.Match) -> str:
    first, second = int(match.group(1)), int(match.group(2))
    if 1 <= first <= 12 < second <= 31:
        return f"{second}/{first}"
    return match.group(0)


_TODAY = re.compile(r"\b(?:aujourd\s?hui|aujourdhui|ajd|auj)\b", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A day of the month alone ("le 20"): dateparser keeps the current month even
# when that puts the day on the wrong side of today.
_TWO_DAYS = re.compile(r"\b(avant|apres|après)\s+(hier|demain)\b", re.IGNORECASE)
_BARE_DAY = re.compile(r"^(?:le\s+|the\s+|on the\s+)?(\d{1,2})(?:er|st|nd|rd|th)?$", re.IGNORECASE)
# A year written out: "2026", "12/03/26". Without one, the year is a guess.
_EXPLICIT_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
# How far from today a day without a year is taken as meant.
_NEAR = dt.timedelta(days=183)
# A month and a year in figures, "03/2021" or "2021-03": dateparser reads the
# first as the 3rd of this month in 2021, and "13/2021" as a day too.
_MONTH_YEAR = re.compile(r"^(?:(?P<m1>\d{1,2})[/.-](?P<y1>(?:19|20)\d{2})|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2}))$")


def parse_date(text: str, today: dt.date, prefer: str = "past", lang: str = "fr") -> Optional[dt.date]:
    """Return the date meant by ``text``, read relative to ``today``, or None.

    ``prefer`` ("past" or "future") settles "le 3 octobre" without a year: a
    commandement already received is in the past, a hearing in the future.
    """
    return parse_date_and_precision(text, today, prefer, lang)[0]


def parse_date_and_precision(text: str, today: dt.date, prefer: str = "past",
                             lang: str = "fr") -> Tuple[Optional[dt.date], str]:
    """(the date, how much of it was given: "day", "month" or "year").

    "juillet 2023" is the 1st of July with "month"; "en 2023" a day of 2023
    with "year". The caller says so to the API rather than pass a day the
    household never gave (the lease date decides the payment period).
    """
    if not text or not text.strip():
        return None, "day"
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    cleaned = " ".join(_PART_OF_DAY.sub(" ", _TIME.sub(" ", text)).split())
    if not cleaned:
        return None, "day"
    # "avant hier" without its hyphen: dateparser found "hier" in it, a day late.
    cleaned = _TWO_DAYS.sub(lambda m: m.group(1).lower() + "-" + m.group(2).lower(), cleaned)
    if lang == "en":
        cleaned = _MONTH_FIRST.sub(_day_first, cleaned)
    else:
        # "04/21" on the French site: April 2021, as a lease date is written.
        short_year = _MONTH_SHORT_YEAR.match(cleaned)
        if short_year:
            return dt.date(2000 + int(short_year.group(2)), int(short_year.group(1)), 1), "month"
    # Spellings of "aujourd'hui" dateparser does not know.
    cleaned = _TODAY.sub("aujourd'hui", cleaned)
    if _ISO_DAY.match(cleaned):
        # "2026-12-15", read as day-month-year it is nothing.
        try:
            return dt.date.fromisoformat(cleaned), "day"
        except ValueError:
            return None, "day"
    bare = _BARE_DAY.match(cleaned)
    if bare:
        return _nearest_day_of_month(int(bare.group(1)), today, prefer), "day"
    month_year = _MONTH_YEAR.match(cleaned)
    if month_year:
        month = int(month_year.group("m1") or month_year.group("m2"))
        year = int(month_year.group("y1") or month_year.group("y2"))
        return (dt.date(year, month, 1), "month") if 1 <= month <= 12 else (None, "day")
    parser = DateDataParser(languages=LANGUAGES, settings=settings)
    for candidate in (cleaned, _FILLER.sub(" ", cleaned)):
        found = _parsed(parser, candidate)
        if found[0] is not None:
            return found
    # A date inside a sentence: "l'huissier est passé le 3 octobre".
    for matched_text, parsed in search_dates(cleaned, languages=LANGUAGES, settings=settings) or []:
        # Skip lone words dateparser reads as dates ("le", "a", "mar").
        if re.search(r"\d", matched_text) or len(matched_text.strip()) >= 4:
            day, precision = _parsed(parser, matched_text)
            return (day or parsed.date()), precision
    return None, "day"


def partial_iso(day: dt.date, precision: str) -> str:
    """"2023-07-01" for a day, "2023-07" for a month, "2023" for a year."""
    return {"month": day.isoformat()[:7], "year": day.isoformat()[:4]}.get(precision, day.isoformat())


def split_partial_iso(value: str) -> Tuple[str, str]:
    """The API's (lease_date, lease_date_precision) for a slot written by `partial_iso`."""
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01", "year"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{value}-01", "month"
    return value, "day"


def _parsed(parser: DateDataParser, text: str) -> Tuple[Optional[dt.date], str]:
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None, "day"
    # dateparser's period: "day", "week", "month", "year" (a week is days apart).
    precision = data.period if data.period in ("month", "year") else "day"
    return data.date_obj.date(), precision


def _nearest_day_of_month(day: int, today: dt.date, prefer: str) -> Optional[dt.date]:
    """That day in this month, or the nearest month on the preferred side of today."""
    step = 1 if prefer == "future" else -1
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # day 31 in a 30-day month, or day 0
            candidate = None
        if candidate is not None and (candidate >= today if step == 1 else candidate <= today):
            return candidate
        month += step
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
    return None


def parse_upcoming_date(text: str, today: dt.date, lang: str = "fr") -> Optional[dt.date]:
    """The date of an event expected ahead (a hearing), read relative to ``today``.

    A day without a year is read forward ("le 5 janvier" in November is next
    January), except when that lands more than six months away while the
    same day fell in the last six months: on 23 November, "le 12 novembre"
    is the hearing that has just passed, not one a year ahead, and the form
    must say it has passed.
    """
    ahead = parse_date(text, today, prefer="future", lang=lang)
    if ahead is None or ahead - today <= _NEAR or _EXPLICIT_YEAR.search(text or ""):
        return ahead
    behind = parse_date(text, today, prefer="past", lang=lang)
    if behind is not None and dt.timedelta(0) < today - behind <= _NEAR:
        return behind
    return ahead
