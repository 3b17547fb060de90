"""Builders shared by the tests, so each test states only what matters to it."""
from __future__ import annotations

from webapp import create_app


def make_test_app(tmp_path, **overrides):
    """A testing app whose database and search index live in tmp_path."""
    config = {
        "TESTING": True,
        "RCS_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
        # Forms are posted directly by most tests; CSRF has its own tests.
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


# A tenant in arrears in Belfort, private landlord, answers for every screen of
# the tenant questionnaire: (screen slug, posted fields).
TENANT_ARREARS_ANSWERS = [
    ("situation", {"stage": "arrears"}),
    ("commune", {"commune": "90010"}),
    ("proprietaire", {"landlord_kind": "private"}),
    ("dette", {"debt_eur": "850"}),
    ("ressources", {"monthly_income_eur": "1 100", "household_size": "2"}),
    ("aide-logement", {"housing_benefit": "paid_to_tenant"}),
    ("emploi", {"private_sector_employee": "unknown"}),
    ("autres-dettes", {"debts": "unknown"}),
]


def has_inline_script(html: str) -> bool:
    """A <script> without src (the CSP forbids them; files such as keep-typed.js are fine)."""
    import re

    return re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is not None
