"""Guided questionnaires (tenant now, landlord later): blueprint `bp`."""
from flask import Blueprint

bp = Blueprint("questionnaire", __name__, url_prefix="/questionnaire")

from webapp.questionnaire import tenant  # noqa: E402,F401  (routes attach to bp)
