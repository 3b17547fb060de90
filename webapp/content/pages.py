"""Load and validate the Markdown pages of content/<lang>/.

A page is a Markdown file with YAML front matter. Its slug is its path under
content/<lang>/ without the extension; FR and EN share slugs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter

from webapp.content.render import render_markdown
# Stage keys are the triage API's; a page may illustrate one.
from webapp.triage.situation import STAGES

AUDIENCES = ("locataire", "proprietaire", "tous")
REQUIRED = ("title", "summary", "audience", "sources", "reviewed")


class ContentError(ValueError):
    """A page's front matter breaks the content rules."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass
class Page:
    lang: str
    slug: str
    title: str
    summary: str
    audience: str
    stage: str | None
    sources: list[Source]
    reviewed: dt.date
    body_markdown: str
    order: int = 100
    html: str = ""
    text: str = ""
    headings: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def section(self) -> str:
        return self.slug.split("/", 1)[0] if "/" in self.slug else ""


def parse_page(path: Path, lang: str, slug: str) -> Page:
    """Parse one file; raise ContentError naming the file and the field."""
    post = frontmatter.load(path)
    meta = post.metadata
    where = f"{lang}/{slug}"
    for key in REQUIRED:
        if key not in meta or meta[key] in (None, "", []):
            raise ContentError(f"{where}: missing '{key}'")
    if meta["audience"] not in AUDIENCES:
        raise ContentError(f"{where}: audience must be one of {AUDIENCES}")
    stage = meta.get("stage")
    if stage is not None and stage not in STAGES:
        raise ContentError(f"{where}: unknown stage '{stage}'")
    sources = []
    for item in meta["sources"]:
        if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
            raise ContentError(f"{where}: each source needs a title and a url")
        if not str(item["url"]).startswith(("https://", "http://")):
            raise ContentError(f"{where}: source url must be absolute: {item['url']}")
        sources.append(Source(str(item["title"]), str(item["url"])))
    reviewed = meta["reviewed"]
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError as exc:
            raise ContentError(f"{where}: reviewed must be a date (YYYY-MM-DD)") from exc
    if not isinstance(reviewed, dt.date):
        raise ContentError(f"{where}: reviewed must be a date (YYYY-MM-DD)")
    page = Page(lang=lang, slug=slug, title=str(meta["title"]), summary=str(meta["summary"]),
                audience=meta["audience"], stage=stage, sources=sources, reviewed=reviewed,
                body_markdown=post.content, order=int(meta.get("order", 100)))
    page.html, page.text, page.headings = render_markdown(post.content)
    return page


class ContentIndex:
    """Every page of every language, parsed once."""

    def __init__(self, root: Path, languages: tuple[str, ...]):
        self.root = Path(root)
        self.languages = languages
        self.pages: dict[tuple[str, str], Page] = {}
        self.fingerprint = content_fingerprint(self.root, languages)
        for lang in languages:
            base = self.root / lang
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*.md")):
                slug = path.relative_to(base).with_suffix("").as_posix()
                self.pages[(lang, slug)] = parse_page(path, lang, slug)

    def get(self, lang: str, slug: str) -> tuple[Page | None, bool]:
        """The page in `lang`, else the French one; the flag says it fell back."""
        page = self.pages.get((lang, slug))
        if page is not None:
            return page, False
        fallback = self.pages.get(("fr", slug))
        return fallback, fallback is not None and lang != "fr"

    def slugs(self, lang: str) -> set[str]:
        return {slug for (page_lang, slug) in self.pages if page_lang == lang}

    def listing(self, lang: str, audience: str | None = None) -> list[Page]:
        """Pages for a language (French fallback included), sorted for display."""
        slugs = self.slugs("fr") | self.slugs(lang)
        pages = [self.get(lang, slug)[0] for slug in slugs]
        if audience:
            pages = [p for p in pages if p.audience in (audience, "tous")]
        return sorted(pages, key=lambda p: (p.order, p.title.lower()))

    def stale(self, today: dt.date, max_age_days: int) -> list[Page]:
        limit = today - dt.timedelta(days=max_age_days)
        return [p for p in self.pages.values() if p.reviewed < limit]


def content_fingerprint(root: Path, languages: tuple[str, ...]) -> str:
    """A cheap hash of names, sizes and mtimes: tells when to re-index."""
    digest = hashlib.sha256()
    for lang in languages:
        base = Path(root) / lang
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
