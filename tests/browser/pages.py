"""Which pages the browser tests visit: found in the app itself, so new pages are covered.

Four sources, merged:
- every GET route without URL parameters that answers HTML (any blueprint, any area);
- every content page of the content index (/infos/<slug>);
- every same-site HTML page reachable by links from the home page (a crawl), which
  also catches pages behind parametrised routes;
- `extra_pages.txt` beside this file, for pages that need parameters or give a
  non-200 status on purpose (error pages). One path per line, optionally
  followed by the expected status code; `#` starts a comment.
"""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

EXTRA_PAGES_FILE = Path(__file__).with_name("extra_pages.txt")
# Routes that are not pages a person reads: machine endpoints and redirects.
SKIPPED_ENDPOINTS = {"static"}
# The language switch only sets a cookie and redirects: following it while
# crawling would change the language of the rest of the crawl.
CRAWL_SKIPPED_PREFIXES = ("/langue/", "/static/")
CRAWL_LIMIT = 300


@dataclass(frozen=True)
class PageToVisit:
    path: str
    status: int = 200

    @property
    def test_id(self) -> str:
        return self.path if self.status == 200 else f"{self.path} [{self.status}]"


def read_extra_pages(path: Path = EXTRA_PAGES_FILE) -> list[PageToVisit]:
    pages = []
    if not path.is_file():
        return pages
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        status = int(parts[1]) if len(parts) > 1 else 200
        pages.append(PageToVisit(parts[0], status))
    return pages


def route_pages(app) -> list[PageToVisit]:
    """GET routes without parameters whose answer is an HTML page."""
    candidates = sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint not in SKIPPED_ENDPOINTS
        }
    )
    pages = []
    client = app.test_client()
    for path in candidates:
        response = client.get(path, headers={"Accept-Language": "fr"})
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.append(PageToVisit(path))
    return pages


def content_pages(app) -> list[PageToVisit]:
    """Every slug of the content index, French and English merged (EN falls back to FR)."""
    from webapp.content import get_content

    with app.app_context():
        content = get_content()
        slugs = set()
        for lang in app.config["LANGUAGES"]:
            slugs |= content.slugs(lang)
    return [PageToVisit(f"/infos/{slug}") for slug in sorted(slugs)]


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def same_site_links(html: str, from_path: str) -> list[str]:
    """Paths (with query, without fragment) of the page's links that stay on the site."""
    parser = _LinkParser()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(f"http://site.invalid{from_path}", href))
        if parts.scheme not in ("http", "https") or parts.netloc != "site.invalid":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        links.append(path)
    return links


@dataclass
class CrawledPage:
    status: int
    mimetype: str
    linked_from: list[str]


def crawl(app, start: str = "/", limit: int = CRAWL_LIMIT) -> dict[str, CrawledPage]:
    """Follow same-site links from `start`; map each path to its status and the pages linking to it."""
    client = app.test_client()
    found: dict[str, CrawledPage] = {}
    linked_from: dict[str, list[str]] = {start: []}
    queue = [start]
    while queue and len(found) < limit:
        path = queue.pop(0)
        response = client.get(path, headers={"Accept-Language": "fr"})
        found[path] = CrawledPage(response.status_code, response.mimetype, linked_from[path])
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for link in same_site_links(response.get_data(as_text=True), path):
            if link.startswith(CRAWL_SKIPPED_PREFIXES):
                continue
            if link not in linked_from:
                linked_from[link] = []
                queue.append(link)
            if path not in linked_from[link]:
                linked_from[link].append(path)
    return found


def crawled_pages(app) -> list[PageToVisit]:
    return [
        PageToVisit(path)
        for path, crawled in crawl(app).items()
        if crawled.status == 200 and crawled.mimetype == "text/html"
    ]


def all_pages(app) -> list[PageToVisit]:
    seen: dict[str, PageToVisit] = {}
    for page in route_pages(app) + content_pages(app) + crawled_pages(app) + read_extra_pages():
        seen.setdefault(page.path, page)
    return list(seen.values())


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_main = 0
        self.post_forms = 0

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main += 1
        elif tag == "form" and self.in_main and (dict(attrs).get("method") or "").lower() == "post":
            self.post_forms += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1


def pages_with_post_forms(app, pages: list[PageToVisit]) -> list[tuple[PageToVisit, int]]:
    """(page, form index) for each POST form in the main content of the given pages."""
    client = app.test_client()
    found = []
    for page in pages:
        if page.status != 200:
            continue
        response = client.get(page.path, headers={"Accept-Language": "fr"})
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _FormParser()
        parser.feed(response.get_data(as_text=True))
        found.extend((page, index) for index in range(parser.post_forms))
    return found
