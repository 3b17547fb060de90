"""With JavaScript switched off the site still works: home, content pages, language, search."""
from __future__ import annotations

import pytest

from .live_app import browser_app

AUDIENCE_LINKS = ("Je suis locataire", "Je suis propriétaire", "Je travaille pour un partenaire")


def first_content_page():
    """A real page of the content index, with its title and sources."""
    from webapp.content import get_content

    app = browser_app()
    with app.app_context():
        listing = get_content().listing("fr")
    if not listing:
        pytest.fail("the content index has no French page")
    return listing[0]


def test_javascript_is_really_off(nojs_page):
    """Guard: the context under test does not run scripts, so the other tests prove something."""
    nojs_page.set_content(
        "<title>before</title><script>document.title = 'script ran'</script>"
        "<noscript><p id=n>noscript shown</p></noscript>"
    )
    assert nojs_page.title() == "before"
    assert nojs_page.locator("#n").is_visible()


def test_home_page_routes_each_audience_without_javascript(nojs_page):
    """The home page shows the three audience links and each one opens its page."""
    nojs_page.goto("/")
    assert nojs_page.locator("h1").count() == 1
    for label in AUDIENCE_LINKS:
        assert nojs_page.locator("main a", has_text=label).count() == 1, f"{label!r} missing"
    for label in AUDIENCE_LINKS:
        nojs_page.goto("/")
        with nojs_page.expect_navigation() as navigation:
            nojs_page.locator("main a", has_text=label).click()
        assert navigation.value.status == 200, label
        assert nojs_page.locator("h1").count() == 1


def national_form(tel_href: str) -> str:
    """tel:+33805160075 and tel:0805160075 both give 0805160075."""
    digits = "".join(ch for ch in tel_href if ch.isdigit())
    if tel_href.startswith("tel:+33"):
        digits = "0" + digits[2:]
    return digits


def test_home_page_shows_national_numbers_as_phone_links(nojs_page):
    """The free national numbers are on the page as tel: links, no script needed."""
    nojs_page.goto("/")
    hrefs = nojs_page.locator('a[href^="tel:"]').evaluate_all("links => links.map(a => a.getAttribute('href'))")
    digits = {national_form(href) for href in hrefs}
    # Numbers from the domain brief (issue 2): SOS Loyers impayés, Allô Prévention Expulsion, Point-justice.
    for number in ("0805160075", "0805299049", "3039"):
        assert number in digits, f"{number} not offered as a tel: link (found {sorted(digits)})"


def test_content_page_renders_with_sources_without_javascript(nojs_page):
    """A content page shows its title, its body and a link to each of its sources."""
    page_data = first_content_page()
    response = nojs_page.goto(f"/infos/{page_data.slug}")
    assert response.status == 200
    assert nojs_page.locator("h1").inner_text().strip() == page_data.title
    hrefs = nojs_page.locator("main a").evaluate_all("links => links.map(a => a.href)")
    for source in page_data.sources:
        assert source.url in hrefs, f"source {source.url} not linked"


def test_language_switch_and_search_work_without_javascript(nojs_page):
    """The language switch is a plain link and search a plain GET form."""
    nojs_page.goto("/infos/")
    with nojs_page.expect_navigation():
        nojs_page.locator('a[hreflang="en"]').first.click()
    assert nojs_page.locator("html").get_attribute("lang") == "en"
    assert nojs_page.url.endswith("/infos/")

    nojs_page.goto("/recherche")
    search_box = nojs_page.locator('main form[role="search"] input[type="search"]')
    search_box.fill("loyer")
    with nojs_page.expect_navigation():
        search_box.press("Enter")
    assert "q=loyer" in nojs_page.url
    assert nojs_page.locator("main h2").count() >= 1
