"""Language choice: an explicit switch (remembered in a cookie), then Accept-Language."""
from __future__ import annotations

from flask import current_app, request

LANG_COOKIE = "rcs_lang"
# Text direction per language; every language we plan for is left-to-right
# except Arabic, listed so that adding it needs no template change.
DIRECTIONS = {"ar": "rtl"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(lang: str) -> str:
    return DIRECTIONS.get(lang, "ltr")
