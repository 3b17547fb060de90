"""French legal terms in English pages, marked `lang="fr"` (RGAA 8.7, WCAG 3.1.2).

The English pages keep the French names of the papers and bodies ("You have
received a commandement de payer"): a screen reader reading them with English
sounds makes them unrecognisable, and they are the words the household will
see on the paper. The terms are the French glossary's headings, so a term
added to the glossary is marked everywhere without a list to keep.
"""
from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

# Glossary headings that are also everyday English words, or acronyms, which
# read the same in both languages: not marked.
_ALSO_ENGLISH = frozenset({"caution", "expulsion"})
# An apostrophe as the page's HTML may write it.
_APOSTROPHE = r"(?:'|’|&#x27;|&#39;)"


def glossary_terms(content) -> tuple[str, ...]:
    """The French glossary's terms worth marking, longest first."""
    page, _fallback = content.get("fr", "glossaire")
    if page is None:
        return ()
    terms = {title for level, _id, title in page.headings
             if level == 2 and not title.isupper() and title.lower() not in _ALSO_ENGLISH}
    return tuple(sorted(terms, key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = [_APOSTROPHE.join(re.escape(part) for part in term.split("'")) for term in terms]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def mark(page_html: str, terms: tuple[str, ...]) -> str:
    """The HTML with each term, in its text only (never in a tag or attribute), wrapped in a French span."""
    pattern = _pattern(terms)
    if pattern is None:
        return page_html
    parts = re.split(r"(<[^>]+>)", page_html)
    for index in range(0, len(parts), 2):
        parts[index] = pattern.sub(lambda m: f'<span lang="fr">{m.group(0)}</span>', parts[index])
    return "".join(parts)


def mark_text(text: str, terms: tuple[str, ...]) -> Markup:
    """`mark` for plain text (a page's title): escaped first."""
    return Markup(mark(str(escape(text)), terms))


def mark_in(text_html: str, lang: str) -> str:
    """`mark` with the app's glossary when `lang` is not French: for texts
    the engine and the bot write in English (results, plans, chat answers),
    which quote the same French terms as the pages."""
    if lang == "fr":
        return text_html
    from webapp.content import get_content

    return _mark_quoted(mark(text_html, glossary_terms(get_content())))


# The English texts quote other French words between French quotation marks
# ("ask for a « protocole de cohésion sociale »"): what is quoted so is French.
_QUOTED = re.compile(r"«(?:\s|&nbsp;|\u00a0|\u202f)*(?!<span lang=\"fr\">)([^«»<>]+?)(?:\s|&nbsp;|\u00a0|\u202f)*»")


def _mark_quoted(text_html: str) -> str:
    return _QUOTED.sub(lambda m: m.group(0).replace(m.group(1), f'<span lang="fr">{m.group(1)}</span>', 1), text_html)
