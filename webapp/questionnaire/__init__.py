"""Guided questionnaires (tenant now, landlord later): blueprint `bp`."""
from flask import Blueprint

from webapp.security import no_store

bp = Blueprint("questionnaire", __name__, url_prefix="/questionnaire")
no_store(bp)   # the household's answers (debt, income) and its result

from webapp.questionnaire import tenant  # noqa: E402,F401  (routes attach to bp)
