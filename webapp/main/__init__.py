"""Home page, audience hubs, language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request

from webapp.content import get_content
from webapp.i18n import LANG_COOKIE

bp = Blueprint("main", __name__)



@bp.route("/")
def home():
    return render_template("main/home.html")


@bp.route("/locataire")
def tenant_hub():
    return _hub("locataire")


@bp.route("/proprietaire")
def landlord_hub():
    return _hub("proprietaire")


def _hub(audience: str):
    from webapp.content.views import current_lang
    pages = [p for p in get_content().listing(current_lang(), audience) if p.audience == audience]
    return render_template(f"main/{audience}.html", pages=pages)


@bp.route("/partenaires")
def partners_hub():
    return render_template("main/partenaires.html")


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths: the switch must not be an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.route("/langue/<code>")
def switch_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(_safe_next(request.args.get("next")))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/healthz")
def health():
    return {"status": "ok"}
