"""The staff back office (/staff/…): login, inbox, referral page, export, accounts CLI."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from webapp.staff import views  # noqa: E402,F401  (routes attach to bp)
from webapp.staff.cli import register as _register_cli  # noqa: E402

_register_cli(bp)
