"""The day the plan is computed for: the server's date, or TRIAGE_TODAY when tests or demos pin it."""
from __future__ import annotations

import datetime as dt

from flask import current_app, has_app_context


def today() -> dt.date:
    # Same setting as the tenant questionnaire and the referral pre-fill, so
    # every page of a visit agrees on "today".
    pinned = current_app.config.get("TRIAGE_TODAY") if has_app_context() else None
    return pinned or dt.date.today()
