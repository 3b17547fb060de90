"""The layout's fixed parts (site name, main menu, footer), rendered once and kept.

Every page drew them again: about twenty translated strings and a dozen URLs
for the same few hundred bytes of HTML. Kept, they took the home page from
1.40-1.46 to 0.94-0.98 ms of CPU and the chat page from 2.85-2.93 to
2.65-2.68 (bench/cpu_per_request.py, alternated runs). They depend only on the
language, the path the site is mounted at and, for the footer, the national
numbers from the directory; the cache is keyed on exactly those (the
directory's version as `directory_snapshot` gives it, so a staff edit shows
on the next page). What varies with the request (the language switcher's
return path, the page itself) stays in base.html.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale
from markupsafe import Markup

from webapp.directory import directory_snapshot, national_numbers

FRAGMENTS = ("site_name", "main_nav", "footer")
# Two languages, a few directory versions: a handful of entries. A full cache
# is emptied rather than managed: refilling it costs one render per entry.
CACHE_LIMIT = 32


def init_app(app: Flask) -> None:
    kept: dict[tuple, Markup] = {}

    @app.template_global()
    def layout_fragment(name: str) -> Markup:
        if name not in FRAGMENTS:
            raise ValueError(f"not a layout fragment: {name}")
        lang = str(get_locale().language)
        version = directory_snapshot(app)[1] if name == "footer" else None
        key = (name, lang, request.script_root, version)
        html = kept.get(key)
        if html is None:
            context = {"national_numbers": national_numbers(app, lang)} if name == "footer" else {}
            html = Markup(app.jinja_env.get_template(f"layout/{name}.html").render(context))
            # Templates reloaded while developing are shown as they change.
            if not app.jinja_env.auto_reload:
                if len(kept) >= CACHE_LIMIT:
                    kept.clear()
                kept[key] = html
        return html
