"""Contact details in the Markdown pages come from the directory, through placeholders.

The directory (content/structures/, with the staff's edits from the back
office) is the one place for phone numbers, "free call" facts, hours,
addresses and e-mail addresses. A page names the structure instead of copying
its details:

    {{ numero point-justice-3039 }}     the number, as a tel: link
    {{ gratuit point-justice-3039 }}    "Appel gratuit." / "Free call.", only when the directory says so
    {{ horaires sos-loyers-impayes }}   the opening hours, as a sentence; nothing when unknown
    {{ adresse territoire-habitat }}    the postal address
    {{ courriel territoire-habitat }}   the e-mail address, as a mailto: link

A number, address or e-mail address the directory does not hold (staff
cleared it) shows "coordonnées à confirmer", linked to the contacts page:
never a blank, never the placeholder. The Markdown is rendered once, with the
placeholders left in its HTML as text; they are filled at each request from
the directory as it stands (`fill_html`), so a staff edit shows at once.

`check_page` is what `flask content check` runs: it refuses a number, a tel:
or mailto: link, a "free call" mark or hours written by hand, and a
placeholder with an unknown kind or structure id.

Pure Python: the Flask side (wording through Babel, the contacts page's URL)
is given as a `Wording`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import escape

from webapp.content.render import _parser

# Placeholder kinds, in French like the rest of what content writers type.
KINDS = ("numero", "gratuit", "horaires", "adresse", "courriel")
# A placeholder is `{{ kind structure-id }}`. Double braces never occur in the
# pages' French or English, Markdown leaves them as text, and HTML escaping
# does not touch them, so the same pattern finds them in Markdown and HTML.
PLACEHOLDER = re.compile(r"\{\{([^{}\n]*)\}\}")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# National emergency numbers are not entries of the directory (nobody edits
# them and they never change): a page may dial them by hand.
EMERGENCY_NUMBERS = frozenset({"15", "17", "18", "112", "114", "115", "119"})


@dataclass(frozen=True)
class Wording:
    """What the placeholders say in one language (given by the web layer, through Babel)."""

    free_call: str  # "Appel gratuit."
    to_confirm: str  # "coordonnées à confirmer"
    contacts_url: str  # "/annuaire/mes-contacts"


# The directory field each kind prints ("gratuit" reads Structure.is_free_call).
_FIELDS = {"numero": "phone", "horaires": "opening_hours", "adresse": "address", "courriel": "email"}


def parse(inner: str) -> tuple[str, str] | None:
    """("numero", "point-justice-3039") from the text between the braces; None if malformed."""
    parts = inner.split()
    if len(parts) != 2 or parts[0] not in KINDS or not _ID.match(parts[1]):
        return None
    return parts[0], parts[1]


def _contact_text(structure, field: str, lang: str) -> str | None:
    contact = structure.contact(field) if structure is not None else None
    return contact.text(lang) if contact is not None else None


def _fill_one(kind: str, structure, lang: str, wording: Wording) -> str:
    """The HTML for one placeholder; everything from the directory is escaped."""
    to_confirm = f'<a class="to-confirm" href="{escape(wording.contacts_url)}">{escape(wording.to_confirm)}</a>'
    if kind == "numero":
        phone = _contact_text(structure, "phone", lang)
        if phone is None:
            return to_confirm
        return f'<a class="tel" href="{escape(structure.phone_uri)}">{escape(phone)}</a>'
    if kind == "gratuit":
        # Structure.is_free_call: the sourced fact, dropped when staff change the number.
        return str(escape(wording.free_call)) if structure is not None and structure.is_free_call else ""
    if kind == "horaires":
        hours = _contact_text(structure, "opening_hours", lang)
        return str(escape(hours)) if hours else ""
    if kind == "adresse":
        address = _contact_text(structure, "address", lang)
        return str(escape(address)) if address else to_confirm
    if kind == "courriel":
        email = _contact_text(structure, "email", lang)
        if email is None:
            return to_confirm
        return f'<a href="mailto:{escape(email)}">{escape(email)}</a>'
    return to_confirm


def fill_html(html: str, directory, lang: str, wording: Wording) -> str:
    """The page's HTML with each placeholder replaced by the directory's current value.

    `directory` may be None (an app without directory files): every detail is
    then "to be confirmed". An unknown placeholder (the check reports it) says
    the same rather than showing its braces.
    """
    if "{{" not in html:
        return html

    def replace(match: re.Match) -> str:
        parsed = parse(match.group(1))
        if parsed is None:
            return _fill_one("", None, lang, wording)
        kind, structure_id = parsed
        structure = directory.structure(structure_id) if directory is not None else None
        return _fill_one(kind, structure, lang, wording)

    return PLACEHOLDER.sub(replace, html)


def fill_text(text: str, directory, lang: str) -> str:
    """Plain text for the search index: the current number, hours, address or e-mail, else nothing."""
    if "{{" not in text:
        return text

    def replace(match: re.Match) -> str:
        parsed = parse(match.group(1))
        if parsed is None or directory is None:
            return ""
        kind, structure_id = parsed
        field = _FIELDS.get(kind)
        structure = directory.structure(structure_id)
        return (_contact_text(structure, field, lang) or "") if field else ""

    return PLACEHOLDER.sub(replace, text)


def fill_markdown(markdown: str, directory, lang: str, wording: Wording) -> str:
    """Markdown with the directory's values in place of the placeholders (for checks on the words)."""
    def replace(match: re.Match) -> str:
        parsed = parse(match.group(1))
        kind, structure_id = parsed if parsed is not None else ("", "")
        structure = directory.structure(structure_id) if directory is not None and parsed else None
        if kind == "gratuit":
            return wording.free_call if structure is not None and structure.is_free_call else ""
        if kind == "horaires":
            return _contact_text(structure, "opening_hours", lang) or ""
        value = _contact_text(structure, _FIELDS.get(kind, ""), lang) if structure is not None else None
        if value is None:
            return f"[{wording.to_confirm}]({wording.contacts_url})"
        if kind == "numero":
            return f"[{value}]({structure.phone_uri})"
        if kind == "courriel":
            return f"[{value}](mailto:{value})"
        return value

    return PLACEHOLDER.sub(replace, markdown)


# ------------------------------------------------------------------ check
# Separators people put between digit groups.
_SEP = r"[\s.\-\u00a0\u202f]?"
# A French number written out: 0X XX XX XX XX, 0 805 160 075, +33 3 84…
_FRENCH_NUMBER = re.compile(r"(?<![\w+])(?:\+\s?33\s?(?:\(0\)\s?)?|0" + _SEP + r")[1-9](?:" + _SEP + r"\d){8}(?!\d)")
_LINK = re.compile(r"\b(tel|mailto):([^\s)\]\"'>]*)", re.IGNORECASE)
_FREE_MARK = re.compile(r"\bappels?\s+gratuits?\b|\bfree\s+calls?\b|\bnum[ée]ros?\s+verts?\b|\bfreephone\b",
                        re.IGNORECASE)
# Opening hours: "du lundi au vendredi", "de 14 h à 17 h", "Monday to Friday", "2 pm to 5 pm".
_HOURS = re.compile(
    r"\bdu\s+lundi\s+au\s+\w+|\bde\s+\d{1,2}\s?h(?:\s?\d\d)?\s+à\s+\d{1,2}\s?h\b"
    r"|\bmonday\s+to\s+\w+|\b\d{1,2}(?:[.:]\d\d)?\s?[ap]\.?m\.?\s+to\s+\d{1,2}",
    re.IGNORECASE)


def _digits_pattern(number: str) -> re.Pattern:
    """The number however it is spaced ("34 14", "3414"), not inside a longer figure."""
    digits = re.sub(r"\D", "", number)
    return re.compile(r"(?<![\d\w-])" + _SEP.join(digits) + r"(?![\d\w-])")


def directory_numbers(directory) -> list[str]:
    """Every phone number the directory holds, as printed."""
    if directory is None:
        return []
    numbers = {}
    for structure in directory.structures():
        phone = structure.contact("phone")
        if phone is not None:
            numbers.setdefault(re.sub(r"\D", "", phone.text("fr")), phone.text("fr"))
    return list(numbers.values())


def _hand_written(text: str, numbers: Iterable[str]) -> list[str]:
    """What a text writes by hand that the directory holds."""
    found = []
    # The placeholders' own ids hold numbers (point-justice-3039): look around them.
    bare = PLACEHOLDER.sub(" ", text)
    for scheme, target in _LINK.findall(bare):
        if scheme.lower() == "tel" and target.lstrip("+") in EMERGENCY_NUMBERS:
            continue
        found.append(f"a {scheme.lower()}: link written by hand ({scheme}:{target}): "
                     f"use {{{{ {'numero' if scheme.lower() == 'tel' else 'courriel'} <id> }}}}")
    bare = _LINK.sub(" ", bare)
    for match in _FRENCH_NUMBER.finditer(bare):
        found.append(f"a phone number written by hand ({match.group(0).strip()}): use {{{{ numero <id> }}}}")
    for number in numbers:
        if _FRENCH_NUMBER.fullmatch(number):
            continue  # already found above
        for match in _digits_pattern(number).finditer(bare):
            found.append(f"a phone number written by hand ({match.group(0)}): use {{{{ numero <id> }}}}")
    for match in _FREE_MARK.finditer(bare):
        found.append(f"a free-call mark written by hand ({match.group(0)}): use {{{{ gratuit <id> }}}}")
    for match in _HOURS.finditer(bare):
        found.append(f"opening hours written by hand ({match.group(0)}): use {{{{ horaires <id> }}}}")
    return found


def _placeholder_problems(text: str, structure_ids: set[str]) -> list[str]:
    problems = []
    for match in PLACEHOLDER.finditer(text):
        raw = match.group(0)
        parts = match.group(1).split()
        if not parts or parts[0] not in KINDS:
            problems.append(f"unknown placeholder kind in {raw}: use one of {', '.join(KINDS)}")
        elif len(parts) != 2 or not _ID.match(parts[1]):
            problems.append(f"malformed placeholder {raw}: write {{{{ {parts[0]} <structure-id> }}}}")
        elif parts[1] not in structure_ids:
            problems.append(f"unknown structure id in {raw}: no content/structures/{parts[1]}.yaml")
    # A lone "{{" or "}}" is a placeholder gone wrong, shown as is to visitors.
    leftover = PLACEHOLDER.sub(" ", text)
    if "{{" in leftover or "}}" in leftover:
        problems.append("unbalanced '{{' or '}}': a placeholder is `{{ kind structure-id }}` on one line")
    return problems


def _misplaced(markdown: str) -> list[str]:
    """Placeholders where their HTML cannot go: headings (anchors, titles) and link texts (nested links)."""
    problems = []
    tokens = _parser().parse(markdown)
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        in_heading = i > 0 and tokens[i - 1].type == "heading_open"
        if in_heading and PLACEHOLDER.search(token.content):
            problems.append(f"placeholder in a heading ({token.content.strip()}): put it in the text")
            continue
        depth = 0
        for child in token.children or ():
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif depth and PLACEHOLDER.search(child.content or ""):
                problems.append(f"placeholder inside a link ({child.content.strip()}): it makes its own link")
    return problems


def check_page(page, directory) -> list[str]:
    """Problems of one page (a webapp.content.pages.Page) with its directory details; [] when clean.

    `directory` may be None: every placeholder is then unknown.
    """
    structure_ids = {s.id for s in directory.structures()} if directory is not None else set()
    numbers = directory_numbers(directory)
    problems = []
    for label, text in (("title", page.title), ("summary", page.summary)):
        if PLACEHOLDER.search(text):
            problems.append(f"{label}: placeholders work in the page's text only")
        problems += [f"{label}: {p}" for p in _hand_written(text, numbers)]
    problems += _placeholder_problems(page.body_markdown, structure_ids)
    problems += _misplaced(page.body_markdown)
    problems += _hand_written(page.body_markdown, numbers)
    return problems
