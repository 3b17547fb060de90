"""Full-text search over the pages with SQLite FTS5.

The `unicode61 remove_diacritics 2` tokenizer folds accents on both sides, so
"echeancier" finds "échéancier" without any extra server. The index lives in
its own SQLite file whatever the main database is.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from webapp.content.pages import ContentIndex
from webapp.content.placeholders import fill_text

_LOCK = threading.Lock()
_START, _END = "\x02", "\x03"


@dataclass
class Hit:
    slug: str
    title: str
    summary: str
    snippet: Markup


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite3.connect(path, timeout=15)


def index_version(content: ContentIndex, directory_version: str) -> str:
    """What the index was built from: the pages quote the directory, so its version counts too."""
    return f"{content.fingerprint}:{directory_version}"


def build_index(path: Path, content: ContentIndex, directory=None, directory_version: str = "none") -> int:
    """(Re)build the index from the content; returns the number of rows.

    A placeholder is indexed as the directory's current value (the number,
    the hours…) or as nothing, never as its braces.
    """
    with _LOCK, _connect(path) as db:
        db.execute("DROP TABLE IF EXISTS pages")
        db.execute("CREATE VIRTUAL TABLE pages USING fts5("
                   "lang UNINDEXED, slug UNINDEXED, title, summary, body, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        rows = [(p.lang, p.slug, p.title, p.summary, fill_text(p.text, directory, p.lang))
                for p in content.pages.values()]
        db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                   (index_version(content, directory_version),))
        return len(rows)


def ensure_index(path: Path, content: ContentIndex, directory=None, directory_version: str = "none") -> None:
    """Rebuild the index when the content or the directory changed since it was built."""
    try:
        with _connect(path) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != index_version(content, directory_version):
        build_index(path, content, directory, directory_version)


def to_match_query(query: str) -> str | None:
    """Turn free text into a safe FTS5 query: every word, as a prefix."""
    words = re.findall(r"\w+", query, flags=re.UNICODE)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words[:12])


def search(path: Path, content: ContentIndex, lang: str, query: str, limit: int = 20,
           directory=None, directory_version: str = "none") -> list[Hit]:
    ensure_index(path, content, directory, directory_version)
    match = to_match_query(query)
    if match is None:
        return []
    with _connect(path) as db:
        rows = db.execute(
            "SELECT slug, title, summary, snippet(pages, 4, ?, ?, '…', 24) FROM pages "
            "WHERE pages MATCH ? AND lang = ? ORDER BY bm25(pages, 0, 0, 8.0, 3.0, 1.0) LIMIT ?",
            (_START, _END, match, lang, limit),
        ).fetchall()
    hits = []
    for slug, title, summary, snippet in rows:
        safe = str(escape(snippet)).replace(_START, "<mark>").replace(_END, "</mark>")
        hits.append(Hit(slug, title, summary, Markup(safe)))
    return hits
