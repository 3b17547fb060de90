"""The chat in a real browser (Debian's Chromium), with and without JavaScript,
against the real Rasa and action servers: from "bonjour" to an orientation."""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.chat.bot_processes import free_port
from tests.helpers import make_test_app

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chat_site(tmp_path_factory, real_bot):
    app = make_test_app(tmp_path_factory.mktemp("chat-browser"), RASA_URL=real_bot.rasa_url,
                        RASA_TIMEOUT=30.0, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_chat(browser, base_url, lang, javascript):
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript,
                                  locale="en-GB" if lang == "en" else "fr-FR",
                                  extra_http_headers={"Accept-Language": "en-GB,en;q=0.9" if lang == "en" else "fr-FR,fr;q=0.9"})
    page = context.new_page()
    page.goto("/chat")
    return context, page


def send(page, text, javascript):
    log = page.locator("#chat-list > li")
    before = log.count()
    page.get_by_label("Your message" if page.locator("html").get_attribute("lang") == "en" else "Votre message").fill(text)
    if javascript:
        # The reply arrives in the live log, without a page load. (The page's
        # CSP forbids eval, so waits use locators, not wait_for_function.)
        with page.expect_response("**/chat/api/message", timeout=30000):
            page.keyboard.press("Enter")
        log.nth(before + 1).wait_for(timeout=30000)
    else:
        with page.expect_navigation(timeout=30000):
            page.locator("#chat-send").click()
    return page.locator("#chat-log").inner_text()


# Typed answers only, down to the aid questions (income, household size,
# housing benefit, job, other debts) that come after the debt; before a
# hearing, the rent paid again comes between the debt and the income.
CONVERSATIONS = {
    # "Un papier de l'huissier" could be a summons: the chat asks which paper.
    "fr": (["bonjour", "jai recu un papier de l'huissier je dois 2000e", "un commandement de payer", "Belfort",
            "le 3 octobre",
            "je sais pas", "1300 par mois", "3", "non", "non", "non"],
           "Qui contacter, dans cet ordre", "Vos dates"),
    "en": (["hello", "i received a court summons for unpaid rent", "Belfort", "in 10 days",
            "i don't know", "not yet", "i don't know", "no", "no", "no"],
           "Whom to contact, in this order", "Your dates"),
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_conversation_in_browser_reaches_orientation(browser, chat_site, lang, javascript):
    messages, contacts_title, dates_title = CONVERSATIONS[lang]
    context, page = open_chat(browser, chat_site, lang, javascript)
    try:
        for message in messages:
            text = send(page, message, javascript)
        assert contacts_title in text and dates_title in text
        # The social-work site is named (structure name from the directory).
        assert "Espace des solidarités" in text or "solidarit" in text.lower()
        # Phone numbers are links; the follow-up links are there.
        assert page.locator("#chat-log a[href='/chat/suite/recontact']").count() == 1
        # The answer is read from its start, not from its last buttons: the
        # page jumps to it (no JavaScript) or the widget scrolls it to the top
        # of the screen, and it holds the orientation.
        start = page.locator("#dernier-message")
        assert contacts_title in start.inner_text()
        top = start.evaluate("el => el.getBoundingClientRect().top")
        assert -2 <= top < page.viewport_size["height"] / 2, top  # sub-pixel scrolling
        if javascript:
            # Focus is at the answer's start when it offers buttons (Tab then
            # reaches its links and buttons in order), else in the message box.
            focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
            has_buttons = page.locator("#chat-buttons button").count() > 0
            assert focused == ("dernier-message" if has_buttons else "chat-message"), focused
        # The conversation survives a reload.
        page.reload()
        assert contacts_title in page.locator("#chat-log").inner_text()
    finally:
        context.close()


def test_button_reachable_by_keyboard_with_javascript(browser, chat_site):
    context, page = open_chat(browser, chat_site, "fr", True)
    try:
        send(page, "je cherche une assistante sociale", True)
        button = page.get_by_role("button", name="Je suis locataire")
        button.focus()
        before = page.locator("#chat-list > li").count()
        with page.expect_response("**/chat/api/message", timeout=30000):
            page.keyboard.press("Enter")
        page.locator("#chat-list > li").nth(before + 1).wait_for(timeout=30000)
        assert "Où en est la procédure" in page.locator("#chat-log").inner_text()
    finally:
        context.close()
