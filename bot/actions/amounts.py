"""Read an amount of money from free text: "2000e", "1 800 €", "deux mille euros"."""
import re
from typing import Optional

_CURRENCY = r"(?:€|e\b|eur\b|euros?\b|euro\b)"
_NUMBER = r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_WITH_CURRENCY = re.compile(
    rf"(?:€\s*(?P<before>{_NUMBER}))|(?:(?P<after>{_NUMBER})\s*{_CURRENCY})", re.IGNORECASE
)
# A bare number followed by a unit counts something else: "3 mois de loyer".
_NOT_MONEY = r"\s*(?:mois|months?|loyers?|ans?|annees?|years?|semaines?|weeks?|jours?|days?)\b"
_BARE = re.compile(rf"(?<![\d/])(?P<n>{_NUMBER})(?![\d/])(?!{_NOT_MONEY})", re.IGNORECASE)

# Months of rent and the rent: "3 mois de loyer à 550", "3 loyers de 550 €",
# "3 months at 550": the debt is the product (it was read as 550).
_MONTHS_OF_RENT = re.compile(
    rf"\b(?P<months>\d{{1,2}})\s*(?:mois|loyers?|months?)(?:\s+(?:de\s+loyers?|of\s+rent|rent))?"
    rf"\s*(?:à|a|de|at|of|x|×|\*)\s*(?P<rent>{_NUMBER})\s*{_CURRENCY}?(?!\s*(?:mois|months?))", re.IGNORECASE)

_MONTH_NAME = re.compile(
    r"\b(janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|décembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b", re.IGNORECASE)

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1,
}
_HUNDRED = {"cent", "cents", "hundred"}
_THOUSAND = {"mille", "mil", "thousand"}
_WORDS = re.compile(
    r"((?:\b(?:%s)\b[\s-]*(?:et[\s-]+|and[\s-]+)?)+)(?:euros?|eur|€)"
    % "|".join(sorted(set(_UNITS) | _HUNDRED | _THOUSAND, key=len, reverse=True)),
    re.IGNORECASE,
)


def parse_amount(text: str, require_currency: bool = True) -> Optional[float]:
    """Return the amount in euros, or None.

    With ``require_currency`` (the default) a bare number is not an amount:
    "je dois 3 mois" must not become a 3-euro debt. When the form has just
    asked for the amount, a bare "1200" is accepted.
    """
    if not text:
        return None
    months = _MONTHS_OF_RENT.search(text)
    if months and 0 < int(months.group("months")) <= 60:
        return int(months.group("months")) * _to_float(months.group("rent"))
    match = _WITH_CURRENCY.search(text)
    if match:
        group = "before" if match.group("before") else "after"
        if _negative(text, match.start(group)):
            return None
        return _to_float(match.group(group))
    words = _WORDS.search(text)
    if words:
        return _words_to_number(words.group(1))
    if not require_currency and not _MONTH_NAME.search(text):
        # "mars 2019" typed at the debt question is a date, not 2,019 €.
        bare = _BARE.search(text)
        if bare:
            return None if _negative(text, bare.start("n")) else _to_float(bare.group("n"))
        words = re.search(
            r"((?:\b(?:%s)\b[\s-]*)+)" % "|".join(_HUNDRED | _THOUSAND), text, re.IGNORECASE
        )
        if words:
            return _words_to_number(_expand_left(text, words.start()) + words.group(1))
    return None


def _negative(text: str, start: int) -> bool:
    """"-5": a debt or an income is never below zero, and dropping the sign
    made it 5 €; not understood, the question is asked again. Only a sign
    against the figure: "ma dette - 800 €" is a dash, not a minus."""
    return text[:start].endswith(("-", "\u2212"))


def _to_float(raw: str) -> float:
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    # "1 800", "1.800" and "1,800" group thousands; "12,50" has cents.
    if re.fullmatch(r"\d{1,3}(?:[ .,]\d{3})+", raw):
        return float(re.sub(r"[ .,]", "", raw))
    grouped = re.fullmatch(r"(\d{1,3}(?:[ .]\d{3})+),(\d{1,2})", raw)
    if grouped:
        return float(re.sub(r"[ .]", "", grouped.group(1)) + "." + grouped.group(2))
    return float(raw.replace(" ", "").replace(",", "."))


def _expand_left(text: str, start: int) -> str:
    before = re.search(
        r"((?:\b(?:%s)\b[\s-]*)+)$" % "|".join(_UNITS), text[:start], re.IGNORECASE
    )
    return before.group(1) if before else ""


def _words_to_number(words: str) -> Optional[float]:
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("et", "and", ""):
            continue
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _HUNDRED:
            current = (current or 1) * 100
            seen = True
        elif word in _THOUSAND:
            total += (current or 1) * 1000
            current = 0
            seen = True
    return float(total + current) if seen else None
