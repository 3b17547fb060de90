"""Private landlords: the multi-step questionnaire, the dated plan and the letters (issue 7)."""
from flask import Blueprint

bp = Blueprint("landlord", __name__, url_prefix="/questionnaire/proprietaire")

from webapp.landlord import views, letter_views  # noqa: E402,F401  (routes attach to bp)
