"""The pages take numbers, "free call" marks and hours from the directory, as it stands at each request."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import sqlite3
import textwrap
from pathlib import Path

import pytest

from tests.directory.directory_helpers import app_without_free_call, staff_edits, staff_sets_phone
from tests.helpers import make_test_app
from webapp.content.pages import ContentIndex
from webapp.content.placeholders import Wording, check_page, fill_html
from webapp.directory import get_directory
from webapp.directory.model import Contact, StructureEdits

CONTENT = Path(__file__).resolve().parents[2] / "content"

PAGE = """\
---
title: {title}
summary: Qui appeler.
audience: tous
sources:
  - title: Ministère de la Justice
    url: https://www.justice.gouv.fr/
reviewed: 2026-11-23
---
{body}
"""
FR_BODY = """\
Pour votre cas, appelez le point-justice ({{ numero point-justice-3039 }}).

- **Point-justice** : {{ numero point-justice-3039 }}. {{ gratuit point-justice-3039 }}
- **Allô Prévention Expulsion** : {{ numero allo-prevention-expulsion }}. {{ horaires allo-prevention-expulsion }} {{ gratuit allo-prevention-expulsion }}
- **Banque de France** : {{ numero banque-de-france-3414 }}. {{ gratuit banque-de-france-3414 }}
"""
EN_BODY = """\
For your own case, call a point-justice ({{ numero point-justice-3039 }}).

- **Point-justice**: {{ numero point-justice-3039 }}. {{ gratuit point-justice-3039 }}
- **Allô Prévention Expulsion**: {{ numero allo-prevention-expulsion }}. {{ horaires allo-prevention-expulsion }} {{ gratuit allo-prevention-expulsion }}
"""
PJ_LINK = '<a class="tel" href="tel:3039">3039</a>'
TODAY = dt.date(2026, 11, 23)


def write_pages(root: Path, pages: dict[tuple[str, str], tuple[str, str]]) -> Path:
    for (lang, slug), (title, body) in pages.items():
        path = root / lang / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(PAGE).format(title=title, body=body), encoding="utf-8")
    return root


def aide_pages(tmp_path) -> Path:
    return write_pages(tmp_path / "pages", {("fr", "aide"): ("Qui appeler", FR_BODY),
                                            ("en", "aide"): ("Who to call", EN_BODY)})


def app_with_pages(tmp_path, **config):
    """An app serving the test pages, with the real directory files."""
    return make_test_app(tmp_path, CONTENT_DIR=str(aide_pages(tmp_path)), DIRECTORY_CONTENT_DIR=str(CONTENT),
                         **config)


def main_of(client, url: str, lang: str = "fr") -> str:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200, url
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]


# ---------------------------------------------------------------- rendering
def test_page_shows_the_directory_numbers_and_free_marks(tmp_path):
    client = app_with_pages(tmp_path).test_client()
    fr = main_of(client, "/infos/aide")
    assert f"appelez le point-justice ({PJ_LINK})." in fr
    assert f"<strong>Point-justice</strong> : {PJ_LINK}. Appel gratuit." in fr
    assert ('<a class="tel" href="tel:+33805299049">0 805 299 049</a>. '
            "Du lundi au vendredi, de 14 h à 17 h. Appel gratuit.") in html_lib.unescape(fr)
    # The directory does not say the 34 14 is free: no mark.
    assert '<a class="tel" href="tel:3414">34 14</a>. </li>' in fr
    assert "{{" not in fr and "}}" not in fr

    en = main_of(client, "/infos/aide", "en")
    assert f"<strong>Point-justice</strong>: {PJ_LINK}. Free call." in en
    assert "Monday to Friday, 2 pm to 5 pm. Free call." in en
    assert "Appel gratuit" not in en and "{{" not in en


def test_free_mark_only_when_the_directory_says_so(tmp_path):
    app = app_without_free_call(tmp_path, "point-justice-3039", CONTENT_DIR=str(aide_pages(tmp_path)))
    client = app.test_client()
    fr = main_of(client, "/infos/aide")
    assert f"<strong>Point-justice</strong> : {PJ_LINK}. </li>" in fr
    # The other lines keep theirs.
    assert fr.count("Appel gratuit.") == 1
    en = main_of(client, "/infos/aide", "en")
    assert f"<strong>Point-justice</strong>: {PJ_LINK}. </li>" in en and en.count("Free call.") == 1


@pytest.mark.parametrize("cache", [True, False])
def test_a_staff_edit_shows_at_once_without_the_free_mark(tmp_path, cache):
    app = app_with_pages(tmp_path, CONTENT_PAGE_CACHE=cache)
    client = app.test_client()
    before_fr, before_en = main_of(client, "/infos/aide"), main_of(client, "/infos/aide", "en")
    assert PJ_LINK in before_fr and PJ_LINK in before_en
    if cache:
        assert len(app.extensions["page_cache"]) == 2

    staff_sets_phone(app, "point-justice-3039", "03 84 00 00 01")

    new_link = '<a class="tel" href="tel:+33384000001">03 84 00 00 01</a>'
    fr, en = main_of(client, "/infos/aide"), main_of(client, "/infos/aide", "en")
    assert f"<strong>Point-justice</strong> : {new_link}. </li>" in fr
    assert f"<strong>Point-justice</strong>: {new_link}. </li>" in en
    assert "tel:3039" not in fr and "tel:3039" not in en
    # A changed number is not known to be free; the other lines still are.
    assert fr.count("Appel gratuit.") == 1 and en.count("Free call.") == 1
    if cache:
        # The pages of the old directory version are gone, the new ones kept.
        assert len(app.extensions["page_cache"]) == 2
        assert main_of(client, "/infos/aide") == fr


def test_a_cached_page_asks_the_version_without_opening_the_database(tmp_path):
    """The directory's version is asked on every page, on a connection kept for it
    (webapp/db_direct.py): opening the SQLite file through the engine for it tripled
    the CPU of a cached page (docs/performance.md)."""
    from sqlalchemy import event

    app = app_with_pages(tmp_path, CONTENT_PAGE_CACHE=True)
    client = app.test_client()
    first = main_of(client, "/infos/aide")
    opened = []
    event.listen(app.extensions["db_engine"], "connect", lambda *_: opened.append(1))
    for _ in range(5):
        assert main_of(client, "/infos/aide") == first
    assert opened == []
    # ...and an edit made meanwhile is still seen at once.
    staff_sets_phone(app, "point-justice-3039", "03 84 00 00 01")
    assert "03 84 00 00 01" in main_of(client, "/infos/aide")


def test_a_cleared_number_says_to_be_confirmed_with_the_contacts_page(tmp_path):
    app = app_with_pages(tmp_path, CONTENT_PAGE_CACHE=True)
    client = app.test_client()
    main_of(client, "/infos/aide")
    staff_sets_phone(app, "point-justice-3039", "")

    fr = main_of(client, "/infos/aide")
    to_confirm = '<a class="to-confirm" href="/annuaire/mes-contacts">coordonnées à confirmer</a>'
    assert f"appelez le point-justice ({to_confirm})." in fr
    assert f"<strong>Point-justice</strong> : {to_confirm}. </li>" in fr
    assert "tel:3039" not in fr and "{{" not in fr and "None" not in fr
    en = main_of(client, "/infos/aide", "en")
    assert '<a class="to-confirm" href="/annuaire/mes-contacts">contact details to be confirmed</a>' in en
    assert "tel:3039" not in en and "{{" not in en


def test_hours_come_from_the_directory_and_are_escaped(tmp_path):
    app = app_with_pages(tmp_path)
    staff_edits(app, "allo-prevention-expulsion", opening_hours_fr="Le <b>mardi</b> & le jeudi.",
                opening_hours_en="Tuesday & Thursday.")
    client = app.test_client()
    fr = main_of(client, "/infos/aide")
    assert "Le &lt;b&gt;mardi&lt;/b&gt; &amp; le jeudi." in fr and "<b>mardi" not in fr
    assert "de 14 h à 17 h" not in fr
    assert "Tuesday &amp; Thursday." in main_of(client, "/infos/aide", "en")


def test_a_french_page_shown_in_english_keeps_french_words(tmp_path):
    root = write_pages(tmp_path / "pages", {("fr", "aide"): ("Qui appeler", FR_BODY)})
    app = make_test_app(tmp_path, CONTENT_DIR=str(root), DIRECTORY_CONTENT_DIR=str(CONTENT))
    en = main_of(app.test_client(), "/infos/aide", "en")
    assert '<div lang="fr">' in en
    assert f"<strong>Point-justice</strong> : {PJ_LINK}. Appel gratuit." in en and "Free call" not in en


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_wording_comes_from_the_catalogue(app, lang):
    """The quality tests score the pages with the same words as the site."""
    from tests.content.test_pages_quality import WORDING
    from webapp.content.views import wording

    with app.test_request_context("/", headers={"Accept-Language": lang}):
        assert wording(lang) == WORDING[lang]
        other = "en" if lang == "fr" else "fr"
        assert wording(other) == WORDING[other]


def test_an_app_without_directory_files_still_renders_calmly(tmp_path):
    app = make_test_app(tmp_path, CONTENT_DIR=str(aide_pages(tmp_path)))
    fr = main_of(app.test_client(), "/infos/aide")
    assert 'href="/annuaire/mes-contacts"' in fr and "tel:" not in fr and "{{" not in fr


def test_fill_html_escapes_what_staff_typed(tmp_path):
    directory = get_directory(CONTENT).with_edits({"territoire-habitat": StructureEdits(
        contacts={"email": Contact(value='x"><script>@th90.fr', source="", verified=TODAY, declared_by="a"),
                  "address": Contact(value="1 rue <i>", source="", verified=TODAY, declared_by="a")},
        referral=None, edited_on=None)})
    wording = Wording("Appel gratuit.", "coordonnées à confirmer", "/annuaire/mes-contacts")
    html = fill_html("<p>{{ courriel territoire-habitat }} {{ adresse territoire-habitat }}</p>",
                     directory, "fr", wording)
    assert "<script>" not in html and "<i>" not in html
    assert "x&#34;&gt;&lt;script&gt;@th90.fr" in html and "1 rue &lt;i&gt;" in html
    # An unknown kind or id shows the calm link, never braces.
    assert fill_html("{{ numero nulle-part }} {{ fax point-justice-3039 }}", directory, "fr", wording) == (
        '<a class="to-confirm" href="/annuaire/mes-contacts">coordonnées à confirmer</a> '
        '<a class="to-confirm" href="/annuaire/mes-contacts">coordonnées à confirmer</a>')


# ------------------------------------------------------------------ check
def check(tmp_path, body: str, title: str = "Qui appeler") -> list[str]:
    root = write_pages(tmp_path / "check", {("fr", "p"): (title, body)})
    page = ContentIndex(root, ("fr",)).pages[("fr", "p")]
    return check_page(page, get_directory(CONTENT))


def test_check_accepts_placeholders_and_emergency_numbers(tmp_path):
    assert check(tmp_path, FR_BODY + "\nOn vous met dehors ? Appelez le [17](tel:17).\n") == []


@pytest.mark.parametrize("body, problem", [
    ("Appelez le [3039](tel:3039).", "tel: link written by hand"),
    ("Appelez le 3039.", "phone number written by hand (3039)"),
    ("Appelez le 34 14.", "phone number written by hand (34 14)"),
    ("Appelez le 03 84 36 70 00.", "phone number written by hand (03 84 36 70 00)"),
    ("Appelez le 0 805 160 075.", "phone number written by hand (0 805 160 075)"),
    ("Appelez le +33 3 84 00 00 01.", "phone number written by hand (+33 3 84 00 00 01)"),
    ("Écrivez à [th90@th90.fr](mailto:th90@th90.fr).", "mailto: link written by hand"),
    ("Point-justice : {{ numero point-justice-3039 }}. Appel gratuit.", "free-call mark written by hand"),
    ("Ligne ouverte du lundi au vendredi.", "opening hours written by hand"),
    ("Ouvert de 9 h à 12 h.", "opening hours written by hand"),
    ("Appelez le {{ telephone point-justice-3039 }}.", "unknown placeholder kind"),
    ("Appelez le {{ numero point-justice-3093 }}.", "unknown structure id"),
    ("Appelez le {{ numero }}.", "malformed placeholder"),
    ("Appelez le {{ numero point-justice-3039 }.", "unbalanced"),
    ("## Appelez le {{ numero point-justice-3039 }}\n\nTexte.", "placeholder in a heading"),
    ("Voir [{{ numero point-justice-3039 }}](/annuaire).", "placeholder inside a link"),
])
def test_check_refuses_contact_details_by_hand_and_bad_placeholders(tmp_path, body, problem):
    problems = check(tmp_path, body)
    assert any(problem in p for p in problems), problems


def test_check_looks_at_the_title_too(tmp_path):
    problems = check(tmp_path, "Texte.", title="Le 3039 répond")
    assert any(p.startswith("title: a phone number written by hand") for p in problems), problems


def test_content_check_command_names_the_page_and_fails(tmp_path):
    root = write_pages(tmp_path / "pages", {("fr", "aide"): ("Qui appeler", "Appelez le [3039](tel:3039)."),
                                            ("en", "aide"): ("Who to call", "Call {{ numero nowhere }}.")})
    app = make_test_app(tmp_path, CONTENT_DIR=str(root), DIRECTORY_CONTENT_DIR=str(CONTENT))
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "fr/aide: a tel: link written by hand (tel:3039)" in result.output
    assert "en/aide: unknown structure id in {{ numero nowhere }}" in result.output


def test_the_real_pages_take_every_contact_detail_from_the_directory(app):
    """content/fr and content/en pass the check, and no page served shows a placeholder."""
    from webapp.content import get_content

    with app.app_context():
        content = get_content()
        directory = get_directory(app)
        problems = {f"{lang}/{slug}": check_page(p, directory) for (lang, slug), p in content.pages.items()}
        slugs = {slug for (_lang, slug) in content.pages}
    assert {k: v for k, v in problems.items() if v} == {}
    client = app.test_client()
    for slug in sorted(slugs):
        for lang in ("fr", "en"):
            html = client.get(f"/infos/{slug}", headers={"Accept-Language": lang}).get_data(as_text=True)
            assert "{{" not in html and "}}" not in html, (lang, slug)


# ----------------------------------------------------------------- search
def indexed_bodies(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT body FROM pages")]


def test_search_indexes_the_current_number_never_a_placeholder(tmp_path):
    app = app_with_pages(tmp_path)
    client = app.test_client()
    html = client.get("/recherche?q=3039").get_data(as_text=True)
    assert 'href="/infos/aide"' in html and "{{" not in html
    bodies = indexed_bodies(Path(app.config["SEARCH_INDEX_PATH"]))
    assert bodies and all("{{" not in b and "numero" not in b for b in bodies)
    assert any("3039" in b for b in bodies)

    assert 'href="/infos/aide"' not in client.get("/recherche?q=84").get_data(as_text=True)

    # A staff edit moves the directory version: the index follows the new number.
    staff_sets_phone(app, "point-justice-3039", "03 84 00 00 01")
    assert 'href="/infos/aide"' in client.get("/recherche?q=84").get_data(as_text=True)
    bodies = indexed_bodies(Path(app.config["SEARCH_INDEX_PATH"]))
    assert any("03 84 00 00 01" in b for b in bodies) and not any("3039" in b for b in bodies)


def test_index_command_fills_the_placeholders(tmp_path):
    app = app_with_pages(tmp_path)
    result = app.test_cli_runner().invoke(args=["content", "index"])
    assert result.exit_code == 0 and "indexed 2 pages" in result.output
    bodies = indexed_bodies(Path(app.config["SEARCH_INDEX_PATH"]))
    assert all("{{" not in b for b in bodies) and any("0 805 299 049" in b for b in bodies)
