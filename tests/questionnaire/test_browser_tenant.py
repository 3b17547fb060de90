"""A tenant goes from the home page to the result with the timeline, in a real
Chromium with JavaScript off, in French and in English (CSRF on, as in production)."""
import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers import make_test_app

pytestmark = pytest.mark.browser
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    app = make_test_app(tmp_path_factory.mktemp("q-browser"), WTF_CSRF_ENABLED=True,
                        TRIAGE_TODAY=dt.date(2026, 5, 4))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def next_(page):
    page.click("button[value=next]")


@pytest.mark.parametrize("locale, tenant_card, start, result_title, here", [
    ("fr-FR", "Je suis locataire", "Faire le point sur ma situation",
     "Votre situation et vos prochaines étapes", "Vous êtes ici"),
    ("en-GB", "I am a tenant", None, "Your situation and your next steps", "You are here"),
])
def test_home_to_result_without_javascript(browser, base_url, locale, tenant_card, start, result_title, here):
    context = browser.new_context(java_script_enabled=False, locale=locale,
                                  extra_http_headers={"Accept-Language": locale})
    page = context.new_page()
    page.goto(base_url + "/")
    page.click(f"text={tenant_card}")
    if start:
        page.click(f"text={start}")
    else:
        page.click("a[href='/questionnaire/locataire']")
    assert page.url.endswith("/questionnaire/locataire/situation")
    next_(page)                                            # nothing chosen: error next to the field
    assert page.locator("#stage-error").is_visible()
    page.check("#stage-1")                                 # commandement de payer
    next_(page)
    page.select_option("#commune", "90010")
    next_(page)
    page.check("#landlord_kind-0")
    next_(page)
    page.fill("#day", "2026-04-20")
    next_(page)
    page.click("button[value=back]")                       # back, then forward: the date is kept
    assert page.input_value("#day") == "2026-04-20"
    next_(page)
    page.check("#unknown")
    next_(page)
    page.fill("#debt_eur", "1200")
    next_(page)
    page.fill("#monthly_income_eur", "1100")
    next_(page)
    page.check("#housing_benefit-0")
    next_(page)
    page.check("#private_sector_employee-1")
    next_(page)
    page.check("#debts-0")
    next_(page)
    assert page.url.endswith("/questionnaire/locataire/resultat")
    assert page.locator("h1").inner_text() == result_title
    svg = page.locator("svg.timeline-svg[role=img]")
    assert svg.is_visible() and here in svg.text_content()
    assert page.locator(".timeline-list li").count() == 6
    assert page.locator("a[href='/etre-recontacte']").is_visible()
    assert "2026" in page.locator(".deadline-date").first.inner_text()
    context.close()


def test_questionnaire_pages_pass_axe(browser, base_url):
    from tests.browser.axe_check import check_axe

    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    page.goto(base_url + "/questionnaire/locataire")
    check_axe(page)                                        # a question screen
    next_(page)
    check_axe(page)                                        # the same screen with an error
    page.check("#stage-3")                                 # jugement
    next_(page)
    page.select_option("#commune", "90033")
    next_(page)
    page.check("#landlord_kind-1")
    next_(page)
    check_axe(page)                                        # a date screen
    page.fill("#day", "2026-04-10")
    next_(page)
    for selector in ("#housing_benefit-1", "#private_sector_employee-2", "#debts-1"):
        page.check(selector)
        next_(page)
    assert page.url.endswith("/resultat")
    check_axe(page)                                        # the result with its timeline
    context.close()
