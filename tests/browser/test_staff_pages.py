"""The partners' back office passes axe-core too, once logged in through its real login form.

Its pages sit behind a login, so the anonymous collection (pages.py) cannot
reach them. An admin account is made with the app's own CLI (`flask staff
add`), then the browser logs in and follows every /staff/ link it meets.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .axe_check import format_violations, run_axe
from .live_app import browser_app

EMAIL = "axe.admin@example.org"
PASSWORD = "browser-tests-password-1"
# Following these would end the session or download a file instead of a page.
NOT_PAGES = ("/staff/deconnexion", "/staff/export")
CRAWL_LIMIT = 60


@pytest.fixture(scope="module")
def staff_account():
    """An admin account in the live app's database, made by `flask staff add`."""
    app = browser_app()
    from webapp.directory import get_directory

    with app.app_context():
        structures = [s.id for s in get_directory(app).structures()]
    if not structures:
        pytest.fail("the directory has no structure to attach a staff account to")
    result = app.test_cli_runner().invoke(
        args=["staff", "add", EMAIL, "--structure", structures[0], "--admin"], input=PASSWORD + "\n"
    )
    if result.exit_code != 0 and "exists" not in result.output:
        pytest.fail(f"flask staff add failed: {result.output}")
    return EMAIL, PASSWORD


def log_in(page, email: str, password: str) -> None:
    page.goto("/staff/connexion")
    page.locator('main input[name="email"]').fill(email)
    page.locator('main input[name="password"]').fill(password)
    with page.expect_navigation():
        page.locator('main form[method="post" i] button[type="submit"]').click()
    assert "/staff/connexion" not in page.url, "login failed"


def staff_links(page) -> list[str]:
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith("/staff/") and not parts.path.startswith(NOT_PAGES):
            paths.append(path)
    return paths


def test_login_page_is_accessible(page):
    page.goto("/staff/connexion")
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_every_staff_page_reachable_after_login_is_accessible(page, staff_account):
    """Crawl the back office from where the login lands; axe-core on each page."""
    log_in(page, *staff_account)
    queue, seen, failures = [urlsplit(page.url).path], set(), []
    while queue and len(seen) < CRAWL_LIMIT:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        if response.status >= 400 or "text/html" not in (response.headers.get("content-type") or ""):
            failures.append(f"{path}: HTTP {response.status} {response.headers.get('content-type')}")
            continue
        violations = run_axe(page)
        if violations:
            failures.append(f"{path}:\n{format_violations(violations)}")
        queue.extend(link for link in staff_links(page) if link not in seen)
    print(f"staff pages checked: {sorted(seen)}")
    assert not failures, f"{len(failures)} staff page(s) with problems (of {len(seen)}):\n" + "\n\n".join(failures)
