"""Error pages: translated, calm, never a stack trace; JSON under /api/."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Demande incorrecte"), _("La demande n'a pas pu être comprise.")),
        404: (_("Page introuvable"), _("Cette page n'existe pas ou a été déplacée.")),
        405: (_("Action non permise"), _("Cette action n'est pas possible sur cette page.")),
        413: (_("Envoi trop volumineux"), _("Ce que vous avez envoyé est trop gros. Raccourcissez votre texte puis réessayez.")),
        429: (_("Trop de demandes"), _("Vous avez fait beaucoup de demandes en peu de temps. Attendez une minute puis réessayez.")),
        500: (_("Erreur du service"), _("Un problème est survenu de notre côté. Vos réponses déjà enregistrées sont conservées. Réessayez dans quelques minutes.")),
    }


def render_error(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = _messages().get(code, _messages()[500])
    title, message = title or default_title, message or default_message
    # The APIs, and the chat widget's endpoint, read JSON, not a page.
    if request.path.startswith(("/api/", "/chat/api/")):
        return jsonify({"errors": [{"field": None, "message": message}]}), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        if request.path.startswith("/chat/"):
            # The widget shows this next to the message box, which keeps the text.
            return render_error(400, _("Page expirée"),
                                _("Cette page a expiré (la conversation s'arrête après un long moment sans "
                                  "message). Copiez votre message si besoin, puis rechargez la page."))
        return render_error(400, _("Formulaire expiré"),
                            _("Le formulaire a expiré ou a été envoyé deux fois. "
                              "Revenez à la page précédente, rechargez-la puis envoyez-la à nouveau."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # Logged with its traceback for us; the user sees a calm page.
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(InternalServerError.code)
