"""Rester chez soi: the Flask application factory."""
from __future__ import annotations

import logging

from flask import Flask, request
from flask_babel import get_locale

from webapp.config import Config


def create_app(config: Config | dict | None = None) -> Flask:
    """Build the app. No argument: development defaults from the environment.

    `config` may be a Config, or a dict of overrides applied on top of the
    environment (what tests pass).
    """
    if config is None or isinstance(config, dict):
        overrides = dict(config or {})
        base = Config.from_env()
        for key, value in overrides.items():
            if hasattr(base, key):
                setattr(base, key, value)
            else:
                base.extra[key] = value
        base.finish()
        config = base
    from webapp.json_codec import RequestJSONProvider

    app = Flask(__name__, instance_relative_config=False)
    app.json = RequestJSONProvider(app)
    app.config.from_mapping(config.as_flask())
    app.config["RCS_CONFIG"] = config
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from webapp import db, errors, security
    from webapp.extensions import babel, csrf
    from webapp.i18n import install_template_gettext, select_locale, text_direction
    from webapp.sessions import DatabaseSessionInterface

    db.init_app(app)
    app.session_interface = DatabaseSessionInterface()
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    csrf.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from webapp.main import bp as main_bp
    from webapp.content import bp as content_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(content_bp)
    # --- area blueprints (one line each) ---
    from webapp.triage import bp as triage_bp; app.register_blueprint(triage_bp)
    from webapp.api_docs import bp as api_docs_bp; app.register_blueprint(api_docs_bp)
    from webapp.directory import bp as directory_bp; app.register_blueprint(directory_bp)
    from webapp.questionnaire import bp as questionnaire_bp; app.register_blueprint(questionnaire_bp)
    from webapp.referrals import bp as referrals_bp; app.register_blueprint(referrals_bp)
    from webapp.staff import bp as staff_bp; app.register_blueprint(staff_bp)
    from webapp.landlord import bp as landlord_bp; app.register_blueprint(landlord_bp)
    from webapp.chat import bp as chat_bp; app.register_blueprint(chat_bp)
    # --- end of area blueprints ---

    from webapp import layout, template_filters
    layout.init_app(app)
    template_filters.init_app(app)

    from webapp.cli import register_cli
    register_cli(app)

    @app.context_processor
    def _layout_context():
        lang = str(get_locale().language)
        other = [code for code in app.config["LANGUAGES"] if code != lang]
        return {
            "lang": lang,
            "text_dir": text_direction(lang),
            "other_languages": other,
            "current_path": request.full_path.rstrip("?") if request else "/",
            "national_numbers": _Lazy(lambda: national_numbers(app, lang)),
        }

    return app


class _Lazy:
    """A list computed the first time a template reads it.

    The context processor runs for every template, partials included (the
    chat widget renders two per message); most never show the numbers.
    """

    def __init__(self, load):
        self._load, self._value = load, None

    def _get(self) -> list:
        if self._value is None:
            self._value = self._load()
        return self._value

    def __iter__(self):
        return iter(self._get())

    def __bool__(self) -> bool:
        return bool(self._get())

    def __len__(self) -> int:
        return len(self._get())


def national_numbers(app: Flask, lang: str) -> list[dict]:
    """The national helplines shown on every page, from the directory data."""
    loader = app.extensions.get("national_numbers")
    return loader(lang) if loader else []
