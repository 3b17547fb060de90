"""The content pipeline: front matter rules, rendering, fallback, sources and review date."""
import datetime as dt
import textwrap
from pathlib import Path

import pytest

from tests.helpers import make_test_app
from webapp.content.pages import ContentError, ContentIndex, parse_page

GOOD = """\
---
title: Le commandement de payer
summary: Ce que veut dire ce papier.
audience: locataire
stage: commandement_de_payer
sources:
  - title: Loi du 6 juillet 1989, article 24
    url: https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000509310
reviewed: {reviewed}
---
Vous avez **6 semaines** pour payer.

## Que faire maintenant ?

1. Appelez le [3039](tel:3039).
"""


def write(root: Path, lang: str, slug: str, text: str) -> Path:
    path = root / lang / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_valid_page_is_parsed_and_rendered(tmp_path):
    path = write(tmp_path, "fr", "locataire/commandement", GOOD.format(reviewed="2026-11-01"))
    page = parse_page(path, "fr", "locataire/commandement")
    assert page.title == "Le commandement de payer"
    assert page.stage == "commandement_de_payer"
    assert page.reviewed == dt.date(2026, 11, 1)
    assert "<strong>6 semaines</strong>" in page.html
    assert '<h2 id="que-faire-maintenant">' in page.html
    assert 'href="tel:3039"' in page.html
    assert "6 semaines" in page.text


@pytest.mark.parametrize("broken, message", [
    ("sources:\n  - title: Loi\n    url: https://x.fr\n", "missing 'title'"),
    ("title: T\nsummary: S\naudience: locataire\nreviewed: 2026-11-01\n", "missing 'sources'"),
    ("title: T\nsummary: S\naudience: locataire\nsources: []\nreviewed: 2026-11-01\n", "missing 'sources'"),
    ("title: T\nsummary: S\naudience: voisin\nsources:\n  - {title: L, url: 'https://x.fr'}\nreviewed: 2026-11-01\n", "audience"),
    ("title: T\nsummary: S\naudience: tous\nstage: squat\nsources:\n  - {title: L, url: 'https://x.fr'}\nreviewed: 2026-11-01\n", "unknown stage"),
    ("title: T\nsummary: S\naudience: tous\nsources:\n  - {title: L}\nreviewed: 2026-11-01\n", "title and a url"),
    ("title: T\nsummary: S\naudience: tous\nsources:\n  - {title: L, url: 'https://x.fr'}\nreviewed: hier\n", "reviewed must be a date"),
    ("title: T\nsummary: S\naudience: tous\nsources:\n  - {title: L, url: 'https://x.fr'}\n", "missing 'reviewed'"),
])
def test_front_matter_errors_name_the_field(tmp_path, broken, message):
    path = write(tmp_path, "fr", "p", f"---\n{broken}---\nTexte.\n")
    with pytest.raises(ContentError, match=message):
        parse_page(path, "fr", "p")


def test_raw_html_in_a_page_is_escaped(tmp_path):
    path = write(tmp_path, "fr", "p", GOOD.format(reviewed="2026-11-01") + "\n<script>alert(1)</script>\n")
    assert "<script>" not in parse_page(path, "fr", "p").html


def test_stale_pages_are_found_with_a_configurable_age(tmp_path):
    write(tmp_path, "fr", "old", GOOD.format(reviewed="2025-01-01"))
    write(tmp_path, "fr", "new", GOOD.format(reviewed="2026-11-01"))
    index = ContentIndex(tmp_path, ("fr",))
    today = dt.date(2026, 11, 23)
    assert [p.slug for p in index.stale(today, 365)] == ["old"]
    assert {p.slug for p in index.stale(today, 10)} == {"old", "new"}


def test_english_falls_back_to_french_with_a_notice(tmp_path):
    write(tmp_path, "fr", "locataire/commandement", GOOD.format(reviewed="2026-11-01"))
    app = make_test_app(tmp_path, CONTENT_DIR=str(tmp_path))
    response = app.test_client().get("/infos/locataire/commandement", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This page is not translated yet" in html
    assert '<div lang="fr">' in html
    assert "Le commandement de payer" in html


def test_page_shows_its_sources_and_review_date(tmp_path):
    write(tmp_path, "fr", "locataire/commandement", GOOD.format(reviewed="2026-11-01"))
    app = make_test_app(tmp_path, CONTENT_DIR=str(tmp_path))
    html = app.test_client().get("/infos/locataire/commandement").get_data(as_text=True)
    assert "Loi du 6 juillet 1989, article 24" in html
    assert 'href="https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000509310"' in html
    assert "Page vérifiée le 1er novembre 2026" in html


def test_english_review_date_is_written_day_month_year(tmp_path):
    """As the engine's dates on every other page: "1 November 2026", not "November 1, 2026"."""
    write(tmp_path, "fr", "locataire/commandement", GOOD.format(reviewed="2026-11-01"))
    app = make_test_app(tmp_path, CONTENT_DIR=str(tmp_path))
    html = app.test_client().get("/infos/locataire/commandement",
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Page checked on 1 November 2026." in html


def test_unknown_page_is_404(client):
    assert client.get("/infos/nulle-part").status_code == 404


def test_the_real_content_is_valid_and_current(app):
    """Every page of content/ parses, has sources, and was reviewed within the limit."""
    with app.app_context():
        from webapp.content import get_content
        content = get_content()
        assert len(content.pages) >= 3
        stale = content.stale(dt.date.today(), app.config["CONTENT_MAX_AGE_DAYS"])
        assert stale == [], [f"{p.lang}/{p.slug}" for p in stale]
        assert content.slugs("fr") == content.slugs("en")


def test_content_check_command(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output


def test_page_cache_serves_the_same_page_and_answers_conditional_requests(tmp_path):
    write(tmp_path, "fr", "locataire/commandement", GOOD.format(reviewed="2026-11-01"))
    write(tmp_path, "en", "locataire/commandement", GOOD.format(reviewed="2026-11-01").replace(
        "Le commandement de payer", "The payment order"))
    app = make_test_app(tmp_path, CONTENT_DIR=str(tmp_path), CONTENT_PAGE_CACHE=True)
    client = app.test_client()
    first = client.get("/infos/locataire/commandement")
    second = client.get("/infos/locataire/commandement")
    assert first.get_data() == second.get_data()
    assert len(app.extensions["page_cache"]) == 1
    etag = first.headers["ETag"]
    assert client.get("/infos/locataire/commandement", headers={"If-None-Match": etag}).status_code == 304
    # The English page is cached apart, and carries its own language.
    english = client.get("/infos/locataire/commandement", headers={"Accept-Language": "en"})
    assert "The payment order" in english.get_data(as_text=True)
    assert "Accept-Language" in english.headers["Vary"]
    # Editing the file changes the content version: the new text is served.
    write(tmp_path, "fr", "locataire/commandement",
          GOOD.format(reviewed="2026-11-02").replace("Le commandement de payer", "Titre modifié"))
    assert "Titre modifié" in client.get("/infos/locataire/commandement").get_data(as_text=True)
