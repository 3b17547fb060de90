"""Keyboard-only use of the home page: skip link, audience links, language switch, visible focus."""
from __future__ import annotations

import re

import pytest

AUDIENCE_LINKS = ("Je suis locataire", "Je suis propriétaire", "Je travaille pour un partenaire")
MAX_TABS = 60

# What the focused element looks like; "visible" means an outline or a box-shadow drawn.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' '),
        href: el.getAttribute('href'),
        hreflang: el.getAttribute('hreflang'),
        insideMain: !!el.closest('main'),
        indicator: outline || shadow,
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                  && box.top < window.innerHeight + window.scrollY && box.left < window.innerWidth,
    };
}"""


def tab(page) -> dict | None:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def tab_until(page, matches, limit: int = MAX_TABS) -> dict:
    """Press Tab until `matches(focused)`; fail naming what was reached instead."""
    reached = []
    for _ in range(limit):
        focused = tab(page)
        if focused is None:
            continue
        reached.append(focused["text"][:40] or focused["tag"])
        if matches(focused):
            return focused
    pytest.fail(f"not reached in {limit} Tab presses; reached in order: {reached}")


def starts_with(text: str):
    return lambda focused: focused["text"].startswith(text)


def test_first_tab_focuses_the_skip_link(page):
    """The first Tab lands on a visible "Aller au contenu" link pointing at main."""
    page.goto("/")
    focused = tab(page)
    assert focused is not None, "Tab focused nothing"
    assert focused["tag"] == "a" and focused["href"].startswith("#"), focused
    assert focused["text"] == "Aller au contenu"
    main_id = page.evaluate("document.querySelector('main').id")
    assert focused["href"] == f"#{main_id}"
    assert focused["onScreen"], "the skip link stays off-screen when focused"
    assert focused["indicator"], "the skip link has no visible focus indicator"


def test_skip_link_moves_focus_to_main(page):
    """Enter on the skip link puts focus in main; the next Tab is the first link of the content."""
    page.goto("/")
    tab(page)
    page.keyboard.press("Enter")
    in_main = page.evaluate(
        "(() => { const m = document.querySelector('main'); "
        "return document.activeElement === m || m.contains(document.activeElement); })()"
    )
    assert in_main, "focus did not move to main"
    focused = tab(page)
    assert focused is not None and focused["insideMain"], f"next Tab left main: {focused}"
    assert focused["text"].startswith(AUDIENCE_LINKS[0])


def test_tab_reaches_audience_links_and_language_switch_with_visible_focus(page):
    """Tab alone reaches the three audience links and the English switch; every stop shows focus."""
    page.goto("/")
    stops = []
    for _ in range(MAX_TABS):
        focused = tab(page)
        if focused is None or (stops and focused == stops[0]):
            break  # wrapped around to the browser chrome or to the start
        stops.append(focused)
    texts = [stop["text"] for stop in stops]
    for label in AUDIENCE_LINKS:
        assert any(text.startswith(label) for text in texts), f"{label!r} not reachable by Tab: {texts}"
    assert any(stop["hreflang"] == "en" for stop in stops), f"language switch not reachable: {texts}"
    invisible = [stop["text"] or stop["tag"] for stop in stops if not stop["indicator"]]
    assert not invisible, f"focus not visible on: {invisible}"
    offscreen = [stop["text"] or stop["tag"] for stop in stops if not stop["onScreen"]]
    assert not offscreen, f"focused but off-screen: {offscreen}"


@pytest.mark.parametrize("label", AUDIENCE_LINKS)
def test_enter_follows_audience_link(page, label):
    """Enter on an audience link opens that audience's page."""
    page.goto("/")
    focused = tab_until(page, starts_with(label))
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    response = navigation.value
    assert response.status == 200
    assert page.url.endswith(focused["href"])
    assert page.locator("h1").count() == 1


def test_enter_on_language_switch_gives_english_and_back(page):
    """Enter on "English" shows the same page in English; the way back to French works too."""
    page.goto("/")
    tab_until(page, lambda focused: focused["hreflang"] == "en")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert re.search(r"/$", page.url)
    # The choice is remembered: another page is English too.
    page.goto("/infos/")
    assert page.locator("html").get_attribute("lang") == "en"
    tab_until(page, lambda focused: focused["hreflang"] == "fr")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/infos/")
