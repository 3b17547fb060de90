"""Public pages: one content page, the audience hubs' lists, search."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template, request
from flask_babel import get_locale

from webapp.content import bp, get_content
from webapp.content.search import search as run_search


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
    page, fallback = get_content().get(current_lang(), slug)
    if page is None:
        abort(404)
    return render_template("content/page.html", page=page, fallback=fallback)


@bp.route("/recherche")
def search():
    query = request.args.get("q", "").strip()[:200]
    hits = []
    if query:
        hits = run_search(Path(current_app.config["SEARCH_INDEX_PATH"]), get_content(),
                          current_lang(), query)
    return render_template("content/search.html", query=query, hits=hits)
