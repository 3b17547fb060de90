"""French legal terms in English pages are marked lang="fr" (RGAA 8.7)."""
import re

import pytest

from tests.helpers import make_test_app
from webapp.content import get_content
from webapp.content.french_terms import glossary_terms, mark


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_test_app(tmp_path_factory.mktemp("french-terms")).test_client()


def english(client, path):
    return client.get(path, headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)


def test_the_terms_are_the_french_glossary_s_headings(client):
    with client.application.app_context():
        terms = glossary_terms(get_content())
    assert "Commandement de quitter les lieux" in terms and "Trêve hivernale" in terms
    # Longest first, so the longer term wins over its beginning.
    assert terms.index("Commandement de quitter les lieux") < terms.index("Commandement de payer")
    assert not {"APL", "FSL", "Caution", "Expulsion"} & set(terms)


def test_an_english_page_marks_its_french_terms_in_title_and_text(client):
    page = english(client, "/infos/locataire/commandement-de-payer")
    assert re.search(r'<h1>[^<]*<span lang="fr">commandement de payer</span>', page)
    body = page.split("<h1>", 1)[1]
    assert body.count('<span lang="fr">') >= 3
    # Never inside a tag: the links and ids keep their plain values.
    assert 'href="/infos/glossaire#commandement-de-payer"' in page
    assert not re.search(r'<[^>]*<span', page)


def test_french_pages_are_not_marked(client):
    page = client.get("/infos/locataire/commandement-de-payer",
                      headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<span lang="fr">' not in page


def test_mark_leaves_tags_and_partial_words_alone():
    terms = ("Commandement de payer", "Référé", "Indemnité d'occupation")
    html = ('<p>A <a title="commandement de payer" href="#x">commandement de payer</a>, '
            'a référé-liberté, an indemnité d&#x27;occupation.</p>')
    assert mark(html, terms) == (
        '<p>A <a title="commandement de payer" href="#x"><span lang="fr">commandement de payer</span></a>, '
        'a référé-liberté, an <span lang="fr">indemnité d&#x27;occupation</span>.</p>')


def test_french_words_quoted_in_english_texts_are_marked(app):
    """The engine's English texts quote French words in « »: a screen reader must read them as French."""
    from webapp.content.french_terms import mark_in

    with app.app_context():
        marked = mark_in("Ask for a « protocole de cohésion sociale ». If it is « recevable », tell the judge.", "en")
        assert '« <span lang="fr">protocole de cohésion sociale</span> »' in marked
        assert '« <span lang="fr">recevable</span> »' in marked
        # A glossary term already marked is not marked twice.
        twice = mark_in("the « commandement de payer »", "en")
        assert twice.count('<span lang="fr">') == 1
        assert mark_in("« recevable »", "fr") == "« recevable »"
