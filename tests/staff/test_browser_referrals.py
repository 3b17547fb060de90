"""In Chromium: the household fills the referral form, staff read it in the inbox.

Real app on a live threaded server with CSRF on, driven by Playwright; axe-core
checks every page of the path (WCAG 2.1 A/AA), with and without form errors.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.axe_check import AXE_PATH, format_violations, run_axe
from tests.helpers import make_test_app
from tests.referrals.referral_helpers import PASSWORD, make_staff

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True, OUTBOX_SEND_INLINE=False, TESTING=False)
    make_staff(app, "agent@cdad.example", "cdad-90")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    if not Path(CHROMIUM).is_file() or not AXE_PATH.is_file():
        pytest.fail("Chromium or axe-core missing: `make system-deps` and `npm ci`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def assert_accessible(page):
    violations = run_axe(page)
    assert violations == [], f"{page.url}\n{format_violations(violations)}"


def test_household_form_and_staff_inbox_in_a_browser(live, browser):
    app, base = live
    errors: list[str] = []
    context = browser.new_context(base_url=base, locale="fr-FR")
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    # Every sub-resource must load (tests/core/test_layout.py checks the icon).
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.request.is_navigation_request() else None)
    # Without a questionnaire in the session, the form asks the situation.
    page.goto("/etre-recontacte")
    assert_accessible(page)
    # Sending it empty: errors next to the fields, summary linked to them, still accessible.
    page.get_by_role("button", name="Relire ma demande").click()
    assert page.locator("#contact_name-error").is_visible()
    assert page.locator("#consent-error").is_visible()
    assert page.get_by_label("Votre nom ou prénom").get_attribute("aria-describedby") == "contact_name-error"
    assert_accessible(page)
    page.get_by_label("Locataire").check()
    page.get_by_label("Où en est la procédure ?").select_option("assignation")
    page.get_by_label("Commune du logement").select_option("90010")
    page.get_by_label("Votre nom ou prénom").fill("Camille Navigateur")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Conseil départemental de l'accès au droit (CDAD) du Territoire de Belfort").check()
    page.get_by_label("J'accepte que ces informations").check()
    page.get_by_role("button", name="Relire ma demande").click()
    page.wait_for_url("**/etre-recontacte/verifier")
    assert "Camille Navigateur" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/etre-recontacte/confirmation")
    reference = page.locator(".reference").inner_text()
    assert len(reference) == 8
    assert "Coordonnées à confirmer." in page.content()
    assert_accessible(page)

    staff = browser.new_context(base_url=base, locale="fr-FR").new_page()
    staff.goto("/staff/")
    staff.wait_for_url("**/staff/connexion**")
    assert_accessible(staff)
    staff.get_by_label("Adresse e-mail").fill("agent@cdad.example")
    staff.get_by_label("Mot de passe").fill(PASSWORD)
    staff.get_by_role("button", name="Se connecter").click()
    staff.wait_for_url("**/staff/")
    assert_accessible(staff)
    staff.get_by_role("link", name=reference).click()
    assert "Camille Navigateur" in staff.content()
    assert_accessible(staff)
    staff.get_by_label("Nouveau statut").select_option("prise_en_charge")
    staff.get_by_role("button", name="Enregistrer le statut").click()
    assert "Statut enregistré : Prise en charge." in staff.content()
    assert_accessible(staff)
    assert errors == []
