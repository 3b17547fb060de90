"""Private landlords: the multi-step questionnaire, the dated plan and the letters (issue 7)."""
from flask import Blueprint

from webapp.security import no_store

bp = Blueprint("landlord", __name__, url_prefix="/questionnaire/proprietaire")
no_store(bp)   # the landlord's answers, plan and letters (names, addresses)

from webapp.landlord import views, letter_views  # noqa: E402,F401  (routes attach to bp)
