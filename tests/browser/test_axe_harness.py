"""The axe-core check itself: it must catch a real violation, or zero violations means nothing."""
from __future__ import annotations

import pytest

from .axe_check import check_axe, run_axe

CLEAN = """<!doctype html><html lang="fr"><head><title>Propre</title></head>
<body><main><h1>Titre</h1><p>Texte.</p></main></body></html>"""
BROKEN = """<!doctype html><html lang="fr"><head><title>Cassée</title></head>
<body><main><h1>Titre</h1><img src="/x.png"><label>Nom</label><input id="nom" type="text">
<p class="pale">Texte pâle</p></main></body></html>"""


def test_check_axe_passes_a_clean_page(page):
    page.set_content(CLEAN)
    check_axe(page)


def test_check_axe_fails_listing_id_impact_and_selector(page):
    page.set_content(BROKEN)
    with pytest.raises(AssertionError) as failure:
        check_axe(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "    img" in message  # the node's selector
    assert "label" in {v["id"] for v in run_axe(page)}


def test_axe_runs_under_the_sites_csp(page):
    """The site's CSP blocks inline scripts; axe must still be injected on a real page."""
    page.goto("/")
    csp = page.evaluate("fetch('/').then(r => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert isinstance(run_axe(page), list)
    assert page.evaluate("typeof window.axe") == "object"
