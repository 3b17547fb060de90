"""Language choice: an explicit switch (remembered in a cookie), then Accept-Language."""
from __future__ import annotations

import functools

from babel import Locale
from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_translations

LANG_COOKIE = "rcs_lang"
# Text direction per language; every language we plan for is left-to-right
# except Arabic, listed so that adding it needs no template change.
DIRECTIONS = {"ar": "rtl"}


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return _locale(chosen)


@functools.lru_cache(maxsize=32)
def _locale(code: str) -> Locale:
    # Flask-Babel parses a code on every request; a Locale it is given is used as is.
    return Locale.parse(code)


def text_direction(lang: str) -> str:
    return DIRECTIONS.get(lang, "ltr")


def install_template_gettext(app: Flask) -> None:
    """Templates' _() with the request's catalogue looked up once, not for each string.

    A page calls _() thirty times or more. For each, Flask-Babel found its
    context, the domain and the locale again, and rebuilt the locale's name
    as a string to find the catalogue: that cost more than the translation.
    The catalogue is kept for the request with the locale it belongs to, so
    a block under force_locale (the e-mails to partners, in French) still
    gets its own.
    """
    def catalogue():
        locale = get_locale()
        kept = g.get("_rcs_catalogue")
        if kept is None or kept[0] is not locale:
            kept = g._rcs_catalogue = (locale, get_translations())
        return kept[1]

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
