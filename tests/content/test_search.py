"""Full-text search: accent-insensitive, in the current language, safe snippets."""
import textwrap

from tests.helpers import make_test_app

PAGE = """\
---
title: {title}
summary: {summary}
audience: locataire
sources:
  - title: Source
    url: https://www.service-public.fr/particuliers/vosdroits/F31272
reviewed: 2026-11-01
---
{body}
"""


def build(tmp_path):
    root = tmp_path / "content"
    pages = {
        ("fr", "plan"): ("Le plan d'apurement", "Rembourser par échéancier.",
                         "Un échéancier étale la dette. La trêve hivernale protège l'hiver."),
        ("en", "plan"): ("The repayment plan", "Paying back in instalments.",
                         "A repayment schedule spreads the debt over months."),
        ("fr", "autre"): ("Autre page", "Rien à voir.", "Le <b>jardin</b> & les fleurs."),
        ("en", "autre"): ("Other page", "Nothing here.", "The garden."),
    }
    for (lang, slug), (title, summary, body) in pages.items():
        path = root / lang / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(PAGE.format(title=title, summary=summary, body=body)), encoding="utf-8")
    return make_test_app(tmp_path, CONTENT_DIR=str(root)).test_client()


def test_query_without_accents_finds_accented_words(tmp_path):
    client = build(tmp_path)
    html = client.get("/recherche?q=echeancier").get_data(as_text=True)
    assert "Le plan d&#39;apurement" in html or "Le plan d'apurement" in html
    assert "<mark>échéancier</mark>" in html.lower() or "<mark>Échéancier</mark>" in html
    assert "Autre page" not in html


def test_accented_query_and_prefix(tmp_path):
    client = build(tmp_path)
    assert "apurement" in client.get("/recherche?q=trêve hiver").get_data(as_text=True)


def test_results_are_in_the_current_language(tmp_path):
    client = build(tmp_path)
    html = client.get("/recherche?q=repayment", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The repayment plan" in html
    fr = client.get("/recherche?q=repayment").get_data(as_text=True)
    assert "The repayment plan" not in fr


def test_snippets_are_escaped(tmp_path):
    client = build(tmp_path)
    html = client.get("/recherche?q=jardin").get_data(as_text=True)
    assert "<b>jardin</b>" not in html


def test_odd_queries_do_not_break(tmp_path):
    client = build(tmp_path)
    for query in ['"', "AND OR NOT", "*", "échéancier\"; DROP TABLE pages; --", "x" * 500, "   "]:
        assert client.get("/recherche", query_string={"q": query}).status_code == 200


def test_index_command_rebuilds(tmp_path):
    client = build(tmp_path)
    runner = client.application.test_cli_runner()
    result = runner.invoke(args=["content", "index"])
    assert result.exit_code == 0 and "indexed 4 pages" in result.output
