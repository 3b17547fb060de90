"""Every page, in French and in English, passes the accessibility checks in a real browser.

For each page and language, one page load, then:
- axe-core finds no WCAG 2.1 A/AA violation;
- no JavaScript error, no resource refused by the CSP, no failed sub-resource, no 5xx;
- nothing scrolls sideways at 320 px wide (WCAG 1.4.10, reflow).
The checks share a page load because loads are the slow part on a small
machine; every failed check is still reported, each with its own heading.

The pages come from the app itself (see pages.py), so a page added by any area
is checked without touching this file. English is reached the way a visitor
reaches it: by the language switch in the page header.
"""
from __future__ import annotations

import pytest

from .axe_check import format_violations, run_axe

NARROWEST = {"width": 320, "height": 640}


def open_page(page, site_page):
    response = page.goto(site_page.path)
    assert response is not None, f"no response for {site_page.path}"
    assert response.status == site_page.status, (
        f"{site_page.path} answered {response.status}, expected {site_page.status}"
    )
    return response


def switch_to(page, lang: str) -> None:
    """Follow the header's language link, as a visitor would."""
    link = page.locator(f'a[hreflang="{lang}"]')
    assert link.count() >= 1, f"no language switch to {lang} on {page.url}"
    with page.expect_navigation():
        link.first.click()
    assert page.locator("html").get_attribute("lang") == lang


# The innermost elements sticking out on the right: what to fix when the page scrolls sideways.
OVERFLOWING = """() => {
    const limit = document.documentElement.clientWidth + 1;
    const wide = Array.from(document.body.querySelectorAll('*'))
        .filter(el => el.getBoundingClientRect().right > limit);
    const innermost = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
    return innermost.slice(0, 5).map(el => {
        const classes = Array.from(el.classList).map(c => '.' + c).join('');
        const width = Math.round(el.getBoundingClientRect().width);
        return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes + ' (' + width + 'px)';
    });
}"""


def horizontal_overflow(page) -> tuple[int, list[str]]:
    page.set_viewport_size(NARROWEST)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return overflow, (page.evaluate(OVERFLOWING) if overflow > 0 else [])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_is_accessible(page, site_page, lang):
    """axe-core clean, no browser-side error, no sideways scrolling at 320 px."""
    open_page(page, site_page)
    if lang == "fr":
        assert page.locator("html").get_attribute("lang") == "fr"
    else:
        switch_to(page, lang)
        # The switch brings the visitor back to the same address, now in English.
        assert page.url.endswith(site_page.path), page.url
    failures = []
    violations = run_axe(page)
    if violations:
        failures.append(f"axe-core: {len(violations)} WCAG 2.1 AA violation(s):\n{format_violations(violations)}")
    if page.problems.all():
        failures.append("errors in the page:\n" + "\n".join(f"- {p}" for p in page.problems.all()))
    overflow, culprits = horizontal_overflow(page)
    if overflow > 0:
        failures.append(
            f"reflow: the page is {overflow}px wider than a 320px screen; sticking out: {', '.join(culprits)}"
        )
    assert not failures, f"{page.url} ({lang}):\n" + "\n\n".join(failures)
