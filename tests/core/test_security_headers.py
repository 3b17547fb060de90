"""Strict CSP and the other security headers; no inline script or style anywhere."""
import re

import pytest

from webapp.security import CSP

PAGES = ["/", "/locataire", "/proprietaire", "/partenaires", "/infos/", "/recherche?q=loyer",
         "/page-qui-n-existe-pas"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_a_strict_csp(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert csp == CSP
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def _routes_without_arguments(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(("/static", "/api")):
            yield rule.rule


def test_no_page_has_inline_script_or_style(app, client):
    """Every HTML page the app serves uses only files for scripts and styles."""
    checked = 0
    for url in _routes_without_arguments(app):
        response = client.get(url)
        if not response.content_type.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle\s*=", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url  # no inline event handlers
        checked += 1
    assert checked >= 5


def test_hsts_only_in_production_and_a_view_s_own_header_is_kept(tmp_path):
    from flask import Response

    from tests.helpers import make_test_app

    for env, expected in (("testing", None), ("production", "max-age=31536000")):
        app = make_test_app(tmp_path / env, RCS_ENV=env, SESSION_COOKIE_SECURE=False)

        @app.get("/own-csp")
        def own_csp():
            return Response("ok", headers={"content-security-policy": "default-src 'none'"})

        client = app.test_client()
        assert client.get("/").headers.get("Strict-Transport-Security") == expected
        response = client.get("/own-csp")
        # Set by the view: kept, and not doubled (names compared without case).
        assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
        assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/chat", "/questionnaire/locataire/situation", "/questionnaire/proprietaire/etape/1",
                                 "/etre-recontacte"])
def test_pages_holding_a_household_s_answers_are_never_cached(client, url):
    """A shared computer's Back button or a proxy must not show them again; Back gets a fresh form token."""
    assert client.get(url).headers.get("Cache-Control") == "no-store"


def test_public_pages_stay_cacheable(client):
    assert client.get("/infos/locataire/commandement-de-payer").headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize("url", ["/", "/locataire", "/annuaire", "/recherche?q=loyer", "/page-qui-n-existe-pas"])
def test_pages_say_they_vary_with_the_language_choice(client, url):
    """The language comes from the cookie or Accept-Language: a shared cache must know."""
    vary = client.get(url).headers.get("Vary", "")
    assert "Accept-Language" in vary and "Cookie" in vary
