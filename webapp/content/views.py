"""Public pages: one content page, the audience hubs' lists, search."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, make_response, render_template, request
from flask_babel import get_locale

from webapp.content import bp, get_content
from webapp.content.search import search as run_search
from webapp.directory import POINT_JUSTICE, national_line


def current_lang() -> str:
    return str(get_locale().language)


@bp.route("/infos/")
def index():
    content = get_content()
    lang = current_lang()
    groups = {aud: [p for p in content.listing(lang) if p.audience == aud]
              for aud in ("locataire", "proprietaire", "tous")}
    return render_template("content/index.html", groups=groups)


@bp.route("/infos/<path:slug>")
def page(slug: str):
    content = get_content()
    lang = current_lang()
    # Only plain URLs are cached: query strings would let anyone grow the cache.
    cache = current_app.extensions.setdefault("page_cache", {}) \
        if current_app.config["CONTENT_PAGE_CACHE"] and not request.query_string else None
    # A content page is the same for every visitor in a language: render it
    # once per content version (two thirds of a request was template and
    # gettext work; see docs/performance.md).
    key = (lang, slug, content.fingerprint)
    html = cache.get(key) if cache is not None else None
    if html is None:
        page, fallback = content.get(lang, slug)
        if page is None:
            abort(404)
        html = render_template("content/page.html", page=page, fallback=fallback)
        if cache is not None:
            cache[key] = html
    response = make_response(html)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/recherche")
def search():
    query = request.args.get("q", "").strip()[:200]
    hits = []
    if query:
        hits = run_search(Path(current_app.config["SEARCH_INDEX_PATH"]), get_content(),
                          current_lang(), query)
    # No result: the page offers the point-justice, as the directory holds it now.
    point_justice = national_line(current_app, POINT_JUSTICE, current_lang()) if query and not hits else None
    return render_template("content/search.html", query=query, hits=hits, point_justice=point_justice)
