"""Referrals: the household's "être recontacté·e" form, its consent, and the e-mail outbox.

Blueprint `bp` (household pages); the back office lives in webapp.staff.
"""
from flask import Blueprint

bp = Blueprint("referrals", __name__)

from webapp.referrals import views  # noqa: E402,F401  (routes attach to bp)
from webapp.referrals.cli import register as _register_cli  # noqa: E402

_register_cli(bp)
