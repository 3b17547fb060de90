"""Markdown to HTML with markdown-it-py: CommonMark, tables, heading anchors.

Raw HTML in pages is disabled: content is written by people, not trusted code.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphenated: `Commandement de payer` → `commandement-de-payer`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"[^\w\s-]", "", ascii_text.lower())
    return re.sub(r"[\s_-]+", "-", ascii_text).strip("-")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify, permalink=False)
    return md


def _text_of(tokens) -> str:
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append("".join(child.content for child in token.children or []
                                 if child.type in ("text", "code_inline")))
    return "\n".join(parts)


def render_markdown(source: str) -> tuple[str, str, list[tuple[int, str, str]]]:
    """Return (html, plain text for search and readability, [(level, id, title)])."""
    md = _parser()
    tokens = md.parse(source)
    headings = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title = tokens[i + 1].content
            headings.append((int(token.tag[1]), token.attrGet("id") or slugify(title), title))
        if token.type == "table_open":
            # Wide tables scroll inside their own box on a 320 px screen.
            token.attrSet("class", "table")
    html = md.renderer.render(tokens, md.options, {})
    return html, _text_of(tokens), headings
