"""No link of the site leads to an error: every same-site link reachable from home answers."""
from __future__ import annotations

from .live_app import browser_app
from .pages import crawl


def test_every_same_site_link_reachable_from_home_works():
    """Crawl from / in French; list each broken link with the pages that contain it."""
    crawled = crawl(browser_app())
    assert len(crawled) > 1, "the crawl found no link on the home page"
    broken = {path: page for path, page in crawled.items() if page.status >= 400}
    report = "\n".join(
        f"- {path} -> {page.status}, linked from {', '.join(page.linked_from[:5])}"
        for path, page in sorted(broken.items())
    )
    assert not broken, f"{len(broken)} broken same-site link(s):\n{report}"
