"""Quality checks on the plain-language pages in content/fr and content/en.

Standalone on purpose: the pages are parsed here with python-frontmatter,
PyYAML and markdown-it-py, so a broken page fails even before the web
pipeline that renders it exists or changes. The contact placeholders
(`{{ numero point-justice-3039 }}`…) are filled from the directory files
first, so the words scored and the links checked are the ones a reader gets.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path

import frontmatter
import pyphen
import pytest
import textstat
from markdown_it import MarkdownIt
from textstat.backend.utils.constants import LANG_CONFIGS

from webapp.content import pages as content_pages
from webapp.content.placeholders import Wording, fill_markdown
from webapp.directory.model import Directory
from webapp.triage import situation

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
REPORT = ROOT / "docs" / "readability.md"
LANGS = ("fr", "en")

AUDIENCES = set(content_pages.AUDIENCES)
STAGES = set(situation.STAGES)
# Pages of the site outside /infos that the pages may link to.
APP_ROUTES = {
    "/",
    "/questionnaire/locataire",
    "/questionnaire/proprietaire",
    "/chat",
    "/annuaire",
    "/etre-recontacte",
}
# Every number a page may dial, each confirmed in /work/shared/domain-brief.md
# (§0 fact 14, §4.1, §5). A number outside this list is an invented one.
KNOWN_PHONES = {
    "tel:+33805160075": "SOS Loyers impayés (ANIL)",
    "tel:+33805299049": "Allô Prévention Expulsion",
    "tel:3039": "Point-justice",
    "tel:3414": "Banque de France",
    "tel:17": "Police / gendarmerie",
    "tel:+33384367000": "Territoire Habitat",
}
MIN_SCORE = 60.0
MAX_REVIEW_AGE = dt.timedelta(days=365)

# Headings a tenant stage page must end with, and the disclaimer every page
# carries, per language.
STAGE_SECTIONS = {
    "fr": ("Que faire maintenant ?", "Qui peut vous aider ?"),
    "en": ("What to do now", "Who can help"),
}
DISCLAIMER = {
    "fr": "pas un conseil juridique",
    "en": "not legal advice",
}

_md = MarkdownIt("commonmark").enable("table")

# What the placeholders say, as the site says it (tests/content/test_placeholders.py compares).
WORDING = {
    "fr": Wording("Appel gratuit.", "coordonnées à confirmer", "/annuaire/mes-contacts"),
    "en": Wording("Free call.", "contact details to be confirmed", "/annuaire/mes-contacts"),
}


@functools.cache
def directory() -> Directory:
    return Directory.load(CONTENT)


def slugify(text: str) -> str:
    """Return the heading id the content pipeline gives to a heading.

    Same rule as webapp/content/render.py, restated here so that this file
    checks the pages without importing the app: punctuation is dropped
    (`d'exécution` → `dexecution`), spaces become hyphens.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"[^\w\s-]", "", ascii_text.lower())
    return re.sub(r"[\s_-]+", "-", ascii_text).strip("-")


def fold(text: str) -> str:
    """Lowercase, drop accents and punctuation, so term matching ignores them."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


class Page:
    def __init__(self, lang: str, path: Path):
        self.lang = lang
        self.path = path
        self.slug = path.relative_to(CONTENT / lang).with_suffix("").as_posix()
        # A page whose front matter does not parse must fail its own tests,
        # not stop the whole run at collection.
        try:
            post = frontmatter.load(path, handler=frontmatter.YAMLHandler())
        except Exception as exc:  # noqa: BLE001 - any parse error is reported
            self.error, self.meta, self.body = f"{type(exc).__name__}: {exc}", {}, ""
        else:
            self.error, self.meta, self.body = None, post.metadata, post.content
        try:
            self.body = fill_markdown(self.body, directory(), lang, WORDING[lang])
        except Exception:  # noqa: BLE001 - a broken directory fails tests/directory, not the collection here
            pass
        self.tokens = _md.parse(self.body)

    def __repr__(self) -> str:
        return f"{self.lang}/{self.slug}"

    def headings(self, level: int | None = None) -> list[str]:
        found = []
        for i, tok in enumerate(self.tokens):
            if tok.type == "heading_open" and (level is None or tok.tag == f"h{level}"):
                found.append(self.tokens[i + 1].content.strip())
        return found

    def anchors(self) -> set[str]:
        """Ids the pipeline gives to headings: levels 2 and 3 only."""
        return {slugify(h) for level in (2, 3) for h in self.headings(level)}

    def links(self) -> list[str]:
        hrefs = []
        for tok in self.tokens:
            for child in tok.children or ():
                if child.type == "link_open":
                    hrefs.append(child.attrGet("href"))
        return hrefs

    def text(self) -> str:
        """Plain text with Markdown syntax and link targets removed.

        Every block (heading, list item, table cell, paragraph) is closed with
        a full stop if it has no end punctuation, so that a title or a list
        item counts as a sentence instead of swelling the next one.
        """
        blocks = []
        for tok in self.tokens:
            if tok.type != "inline":
                continue
            parts = []
            for child in tok.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            block = "".join(parts).strip()
            if not block:
                continue
            if block[-1] not in ".!?:;":
                block += "."
            blocks.append(block)
        return "\n".join(blocks)


@functools.cache
def pages(lang: str) -> dict[str, Page]:
    return {
        page.slug: page
        for page in (Page(lang, p) for p in sorted((CONTENT / lang).rglob("*.md")))
    }


def all_pages() -> list[Page]:
    return [page for lang in LANGS for page in pages(lang).values()]


def page_ids() -> list[str]:
    return [repr(p) for p in all_pages()]


@functools.cache
def glossary_ids(lang: str) -> dict[str, str]:
    """Map each glossary term (a `##` heading) to its anchor id."""
    glossary = pages(lang).get("glossaire")
    if glossary is None:
        return {}
    return {term: slugify(term) for term in glossary.headings(level=2)}


_hyphenators = {"fr": pyphen.Pyphen(lang="fr"), "en": pyphen.Pyphen(lang="en_US")}


def reading_ease(page: Page) -> float:
    """Kandel–Moles (French) or Flesch (English) reading ease of a page.

    French goes through textstat's own formula: for "fr" it counts syllables
    with pyphen only. English does not: textstat 0.7.13 looks English words up
    in NLTK's CMU dictionary and downloads it at run time, which cannot work
    offline. So for English the same Flesch formula and constants are applied
    to textstat's word and sentence counts with pyphen syllables.
    """
    text = page.text()
    if page.lang == "fr":
        textstat.set_lang("fr")
        return textstat.flesch_reading_ease(text)
    words = textstat.lexicon_count(text)
    sentences = textstat.sentence_count(text)
    syllables = sum(
        len(_hyphenators["en"].positions(word)) + 1
        for word in re.findall(r"[a-z0-9'’]+", text.lower())
    )
    cfg = LANG_CONFIGS["en"]
    return (
        cfg["fre_base"]
        - cfg["fre_sentence_length"] * words / sentences
        - cfg["fre_syll_per_word"] * syllables / words
    )


@functools.cache
def scores() -> dict[str, float]:
    return {repr(p): reading_ease(p) for p in all_pages()}


@pytest.fixture(scope="module", autouse=True)
def readability_report():
    """Write every page's score to docs/readability.md and print it."""
    yield
    if not all_pages():
        return
    rows = []
    for page in all_pages():
        score = scores()[repr(page)]
        formula = "Kandel–Moles" if page.lang == "fr" else "Flesch"
        verdict = "ok" if score >= MIN_SCORE else "TOO HARD"
        rows.append(f"| `{page.lang}/{page.slug}` | {formula} | {score:.1f} | {verdict} |")
    report = "\n".join(
        [
            "# Readability of the information pages",
            "",
            "Generated by `tests/content/test_pages_quality.py`; do not edit by hand.",
            f"Threshold: {MIN_SCORE:.0f}. French: Kandel–Moles "
            "(207 − 1.015 × words/sentence − 73.6 × syllables/word, textstat, "
            "pyphen syllables). English: Flesch reading ease (textstat counts, "
            "pyphen syllables).",
            "",
            "| Page | Formula | Score | Verdict |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print("\n" + report)


def test_there_are_pages_in_both_languages():
    assert pages("fr"), "no French page in content/fr"
    assert pages("en"), "no English page in content/en"


def test_french_and_english_have_the_same_slugs():
    fr, en = set(pages("fr")), set(pages("en"))
    assert fr - en == set(), "French pages without English version"
    assert en - fr == set(), "English pages without French version"


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_front_matter_is_complete(page):
    assert page.error is None, page.error
    meta = page.meta
    assert isinstance(meta.get("title"), str) and meta["title"].strip()
    assert isinstance(meta.get("summary"), str) and meta["summary"].strip()
    assert meta.get("audience") in AUDIENCES
    if "stage" in meta:
        assert meta["stage"] in STAGES
    if "order" in meta:
        assert isinstance(meta["order"], int)


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_page_cites_sources(page):
    sources = page.meta.get("sources")
    assert isinstance(sources, list) and sources, "a page needs at least one source"
    for source in sources:
        assert str(source.get("title", "")).strip(), source
        assert re.match(r"https?://\S+$", str(source.get("url", ""))), source


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_page_was_reviewed_within_twelve_months(page):
    reviewed = page.meta.get("reviewed")
    if isinstance(reviewed, str):
        reviewed = dt.date.fromisoformat(reviewed)
    assert isinstance(reviewed, dt.date), "reviewed: must be a YYYY-MM-DD date"
    today = dt.date.today()
    assert reviewed <= today + dt.timedelta(days=1), "review date in the future"
    assert today - reviewed <= MAX_REVIEW_AGE, f"last reviewed {reviewed}: review it again"


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_page_says_it_is_not_legal_advice(page):
    assert DISCLAIMER[page.lang] in fold(page.text()), (
        f"the page must say, in those words: {DISCLAIMER[page.lang]!r}"
    )


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_page_is_easy_to_read(page):
    score = scores()[repr(page)]
    assert score >= MIN_SCORE, f"reading ease {score:.1f} < {MIN_SCORE}: simplify the page"


def stage_pages() -> list[Page]:
    return [p for p in all_pages() if p.meta.get("audience") == "locataire" and p.meta.get("stage")]


@pytest.mark.parametrize("page", stage_pages(), ids=[repr(p) for p in stage_pages()])
def test_tenant_stage_page_ends_with_next_steps_and_free_help(page):
    todo, helpers = STAGE_SECTIONS[page.lang]
    h2 = page.headings(level=2)
    assert h2[-2:] == [todo, helpers], f"last two sections must be {todo!r}, {helpers!r}"

    # The numbered list right under "what to do now" has at most five steps.
    start = next(
        i for i, t in enumerate(page.tokens)
        if t.type == "heading_open" and page.tokens[i + 1].content.strip() == todo
    )
    steps = 0
    depth = 0
    for tok in page.tokens[start + 3:]:
        if tok.type == "heading_open":
            break
        if tok.type == "ordered_list_open":
            depth += 1
        elif tok.type == "ordered_list_close":
            depth -= 1
        elif tok.type == "list_item_open" and depth == 1:
            steps += 1
    assert 1 <= steps <= 5, f"{steps} steps under {todo!r}: give one to five"


@pytest.mark.parametrize("page", stage_pages(), ids=[repr(p) for p in stage_pages()])
def test_tenant_stage_page_links_to_questionnaire_and_chat(page):
    links = page.links()
    assert "/questionnaire/locataire" in links
    assert "/chat" in links


def test_glossary_has_the_same_terms_in_both_languages():
    assert glossary_ids("fr"), "content/fr/glossaire.md has no `## Term` heading"
    assert sorted(glossary_ids("fr").values()) == sorted(glossary_ids("en").values())


def test_glossary_ids_are_unique():
    for lang in LANGS:
        ids = list(glossary_ids(lang).values())
        assert len(ids) == len(set(ids)), lang


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_glossary_terms_used_on_a_page_are_linked(page):
    if page.slug == "glossaire":
        return
    text = f" {fold(page.text())} "
    links = set(page.links())
    missing = [
        term
        for term, anchor in glossary_ids(page.lang).items()
        if f" {fold(term)} " in text and f"/infos/glossaire#{anchor}" not in links
    ]
    assert not missing, f"link these terms to the glossary at least once: {missing}"


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_internal_links_are_not_broken(page):
    same_lang = pages(page.lang)
    broken = []
    for href in page.links():
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        if href.startswith("tel:"):
            if not re.fullmatch(r"tel:\+?\d{2,15}", href):
                broken.append(href)
            continue
        path, _, anchor = href.partition("#")
        if not path:
            # An anchor on the same page.
            if anchor not in page.anchors():
                broken.append(href)
            continue
        if path in APP_ROUTES and not anchor:
            continue
        if not path.startswith("/infos/"):
            broken.append(href)
            continue
        target = same_lang.get(path.removeprefix("/infos/"))
        if target is None:
            broken.append(href)
        elif anchor and anchor not in target.anchors():
            broken.append(href)
    assert not broken, f"broken links: {broken}"


def test_slugify_matches_the_documented_rule():
    assert slugify("Commandement de payer") == "commandement-de-payer"
    assert slugify("Trêve hivernale") == "treve-hivernale"
    assert slugify("Diagnostic social et financier") == "diagnostic-social-et-financier"
    assert slugify("Juge de l'exécution") == "juge-de-lexecution"


def test_french_score_does_not_need_a_download(monkeypatch):
    """Kandel–Moles must be computable offline: a download attempt fails the test."""
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("textstat tried to download an NLTK corpus")

    monkeypatch.setattr(nltk, "download", refuse)
    sample = Page.__new__(Page)
    sample.lang, sample.tokens = "fr", _md.parse("Vous devez payer le loyer. Le juge peut vous aider.")
    assert reading_ease(sample) > 60
    sample.lang = "en"
    assert reading_ease(sample) != 0


def test_harder_text_scores_lower():
    easy, hard = Page.__new__(Page), Page.__new__(Page)
    easy.lang = hard.lang = "fr"
    easy.tokens = _md.parse("Vous payez le loyer. Vous gardez le logement.")
    hard.tokens = _md.parse(
        "La juridiction compétente apprécie souverainement la recevabilité "
        "de la demande indemnitaire consécutive au refus préfectoral d'octroi "
        "du concours de la force publique."
    )
    assert reading_ease(easy) >= MIN_SCORE > reading_ease(hard)


def test_english_legal_prose_fails_the_threshold():
    hard = Page.__new__(Page)
    hard.lang = "en"
    hard.tokens = _md.parse(
        "The competent jurisdiction sovereignly appreciates the admissibility of the "
        "compensatory application consecutive to the prefectoral refusal of public "
        "force assistance, whenever the proprietor substantiates persistent nonexecution."
    )
    assert reading_ease(hard) < MIN_SCORE


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_page_dials_only_known_numbers(page):
    unknown = [h for h in page.links() if h.startswith("tel:") and h not in KNOWN_PHONES]
    assert not unknown, f"numbers not confirmed in the domain brief: {unknown}"


@pytest.mark.parametrize("page", all_pages(), ids=page_ids())
def test_page_has_no_raw_html(page):
    """Raw HTML is escaped by the pipeline, so it would show up as code."""
    html = [t.content for t in page.tokens if t.type == "html_block"]
    html += [c.content for t in page.tokens for c in t.children or () if c.type == "html_inline"]
    assert not html, html


def test_french_and_english_versions_share_their_metadata():
    for slug, fr in pages("fr").items():
        en = pages("en").get(slug)
        if en is None:
            continue  # reported by test_french_and_english_have_the_same_slugs
        for key in ("audience", "stage", "order", "reviewed"):
            assert fr.meta.get(key) == en.meta.get(key), f"{slug}: {key} differs"


@pytest.mark.parametrize("lang", LANGS)
def test_each_procedure_stage_has_one_tenant_page(lang):
    """The triage links each stage to its page through the `stage` field."""
    by_stage = {}
    for page in pages(lang).values():
        if page.meta.get("audience") == "locataire" and page.meta.get("stage"):
            by_stage.setdefault(page.meta["stage"], []).append(page.slug)
    assert set(by_stage) == STAGES, f"stages without a page: {STAGES - set(by_stage)}"
    doubles = {stage: slugs for stage, slugs in by_stage.items() if len(slugs) > 1}
    assert not doubles, doubles
