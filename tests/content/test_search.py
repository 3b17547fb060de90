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


# No result: the point-justice, as the directory holds it ----------------------------------------

def no_result(client, lang="fr") -> str:
    """The main part of a search page that found nothing."""
    import html as html_lib

    response = client.get("/recherche?q=zzqxwv", headers={"Accept-Language": lang})
    assert response.status_code == 200
    return html_lib.unescape(response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0])


def test_no_result_offers_the_free_point_justice_from_the_directory(tmp_path):
    client = make_test_app(tmp_path).test_client()
    main = no_result(client)
    assert "Aucune page ne contient ces mots" in main
    assert '<a class="tel" href="tel:3039">3039</a> <span class="free-call">(appel gratuit)</span>' in main
    assert "call the point-justice on" in no_result(client, "en") and "(free call)" in no_result(client, "en")


def test_no_result_says_free_only_when_the_directory_does(tmp_path):
    from tests.directory.directory_helpers import app_without_free_call

    main = no_result(app_without_free_call(tmp_path, "point-justice-3039").test_client())
    assert 'href="tel:3039"' in main and "gratuit" not in main


def test_no_result_gives_the_number_staff_changed_and_does_not_call_it_free(tmp_path):
    from tests.directory.directory_helpers import staff_sets_phone

    app = make_test_app(tmp_path)
    staff_sets_phone(app, "point-justice-3039", "3000")
    main = no_result(app.test_client())
    assert '<a class="tel" href="tel:3000">3000</a>' in main and "3039" not in main and "gratuit" not in main


def test_no_result_without_a_number_sends_to_the_contacts_page(tmp_path):
    from tests.directory.directory_helpers import staff_sets_phone

    app = make_test_app(tmp_path)
    staff_sets_phone(app, "point-justice-3039", "")
    main = no_result(app.test_client())
    assert 'href="/annuaire/mes-contacts"' in main and "tel:" not in main
    assert "3039" not in main and "gratuit" not in main and "None" not in main


def test_no_result_in_an_app_without_a_directory_still_answers(tmp_path):
    main = no_result(build(tmp_path))
    assert 'href="/annuaire/mes-contacts"' in main and "tel:" not in main
