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


def build_index(path: Path, content: ContentIndex) -> int:
    """(Re)build the index from the content; returns the number of rows."""
    with _LOCK, _connect(path) as db:
        db.execute("DROP TABLE IF EXISTS pages")
        db.execute("CREATE VIRTUAL TABLE pages USING fts5("
                   "lang UNINDEXED, slug UNINDEXED, title, summary, body, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        rows = [(p.lang, p.slug, p.title, p.summary, p.text) for p in content.pages.values()]
        db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (content.fingerprint,))
        return len(rows)


def ensure_index(path: Path, content: ContentIndex) -> None:
    """Rebuild the index when the content changed since it was built."""
    try:
        with _connect(path) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != content.fingerprint:
        build_index(path, content)


def to_match_query(query: str) -> str | None:
    """Turn free text into a safe FTS5 query: every word, as a prefix."""
    words = re.findall(r"\w+", query, flags=re.UNICODE)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words[:12])


def search(path: Path, content: ContentIndex, lang: str, query: str, limit: int = 20) -> list[Hit]:
    ensure_index(path, content)
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
