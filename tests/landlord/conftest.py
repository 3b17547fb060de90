"""The browser fixtures of tests/browser (real server, Debian's Chromium), reused by the landlord journey."""
from tests.browser.conftest import browser, live_server, nojs_page, page  # noqa: F401  (pytest fixtures)
