"""Browser tests: the real app on a real localhost server, driven by Debian's Chromium.

Playwright's own browser download cannot work on these machines, so Chromium is
launched from its Debian path (override with CHROMIUM_PATH). A missing browser
or missing axe-core is an error, not a skip: a suite that silently skips its
accessibility checks would pass while checking nothing.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from .axe_check import AXE_PATH
from .live_app import DATA_DIR, browser_app
from .pages import all_pages, pages_with_post_forms

ARTIFACTS = Path(__file__).with_name("artifacts")
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google
# services, which the closed network refuses, slowing every launch.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@functools.cache
def site_pages():
    return all_pages(browser_app())


def pytest_generate_tests(metafunc):
    """Parametrise `site_page` with every page the app has, `post_form` with every POST form."""
    if "site_page" in metafunc.fixturenames:
        pages = site_pages()
        metafunc.parametrize("site_page", pages, ids=[p.test_id for p in pages])
    if "post_form" in metafunc.fixturenames:
        forms = pages_with_post_forms(browser_app(), site_pages())
        metafunc.parametrize("post_form", forms, ids=[f"{page.path}#form{index}" for page, index in forms])


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Screenshot (and HTML) of the page of every failing browser test, while the page is open."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = [value for name, value in item.funcargs.items() if name in ("page", "nojs_page")]
    if not pages:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    for page in pages:
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
            report.sections.append(("browser artifacts", f"saved {ARTIFACTS / stem}.png and .html"))
        except Exception as error:  # the page may have crashed: the test's own failure matters more
            report.sections.append(("browser artifacts", f"no screenshot: {error}"))


@pytest.fixture(scope="session")
def live_server():
    """Base URL of the real app served by werkzeug in a thread on a free port."""
    app = browser_app()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


# Module scope, not session: Playwright's sync API allows one running instance
# per thread, and other areas' browser tests start their own in their modules.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM_PATH).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: `apt-get install chromium` (or set CHROMIUM_PATH)")
    if not AXE_PATH.is_file():
        pytest.fail(f"axe-core not found at {AXE_PATH}: run `npm ci` at the repository root")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """What went wrong in the page besides the assertions.

    JavaScript errors, CSP refusals (Chromium reports them as console errors),
    any 5xx, and sub-resources (CSS, JS, images) that failed. The document's own
    status is the test's business: an error page is a 404 on purpose.
    """

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.bad_responses: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("response", self._on_response)

    def _on_console(self, message):
        # Failed loads are reported with their URL by _on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _on_response(self, response):
        navigation = response.request.is_navigation_request()
        if response.status >= 500 or (response.status >= 400 and not navigation):
            self.bad_responses.append(f"{response.status} {response.url}")

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors + self.bad_responses


def _new_page(browser, base_url: str, **context_options):
    context = browser.new_context(
        base_url=base_url,
        locale="fr-FR",
        viewport={"width": 1280, "height": 800},
        **context_options,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = PageProblems(page)
    page.javascript_enabled = context_options.get("java_script_enabled", True)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context (no cookies, French browser) for each test."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    """A page whose context has JavaScript disabled: the site must work without it."""
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()
