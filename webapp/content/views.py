"""Public pages: one content page, the audience hubs' lists, search."""
from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from webapp.content import bp, french_terms, get_content
from webapp.content.placeholders import Wording, fill_html
from webapp.content.search import search as run_search
from webapp.directory import POINT_JUSTICE, directory_snapshot, national_line


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
    # The pages quote the directory (placeholders, footer numbers): a staff
    # edit moves its version, and with it the cache key.
    directory, directory_version = directory_snapshot(current_app)
    # Only plain URLs are cached: query strings would let anyone grow the cache.
    cache = _page_cache(content.fingerprint, directory_version) \
        if current_app.config["CONTENT_PAGE_CACHE"] and not request.query_string else None
    # A content page is the same for every visitor in a language: render it
    # once per content and directory version (two thirds of a request was
    # template and gettext work; see docs/performance.md).
    key = (lang, slug, content.fingerprint, directory_version)
    html = cache.get(key) if cache is not None else None
    if html is None:
        page, fallback = content.get(lang, slug)
        if page is None:
            abort(404)
        body = fill_html(page.html, directory, page.lang, wording(page.lang))
        title = page.title
        if page.lang == "en":
            terms = french_terms.glossary_terms(content)
            body, title = french_terms.mark(body, terms), french_terms.mark_text(page.title, terms)
        html = render_template("content/page.html", page=page, body=Markup(body), title=title,
                               fallback=fallback)
        if cache is not None:
            cache[key] = html
    response = make_response(html)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


def _page_cache(content_version: str, directory_version: str) -> dict:
    """The app's rendered pages; emptied when the content or the directory changes,
    so pages of old versions do not pile up in memory."""
    extensions = current_app.extensions
    cache = extensions.setdefault("page_cache", {})
    if extensions.get("page_cache_version") != (content_version, directory_version):
        cache.clear()
        extensions["page_cache_version"] = (content_version, directory_version)
    return cache


def wording(page_lang: str) -> Wording:
    """What the placeholders say, in the page's language (a French page shown in
    English keeps French words, under its lang="fr")."""
    context = force_locale(page_lang) if page_lang != current_lang() else nullcontext()
    with context:
        return Wording(free_call=_("Appel gratuit."), to_confirm=_("coordonnées à confirmer"),
                       contacts_url=url_for("directory.my_contacts"))


@bp.route("/recherche")
def search():
    query = request.args.get("q", "").strip()[:200]
    hits = []
    if query:
        directory, directory_version = directory_snapshot(current_app)
        hits = run_search(Path(current_app.config["SEARCH_INDEX_PATH"]), get_content(),
                          current_lang(), query, directory=directory, directory_version=directory_version)
    # No result: the page offers the point-justice, as the directory holds it now.
    point_justice = national_line(current_app, POINT_JUSTICE, current_lang()) if query and not hits else None
    return render_template("content/search.html", query=query, hits=hits, point_justice=point_justice)
