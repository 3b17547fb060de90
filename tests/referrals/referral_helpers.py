"""Builders for the referral and back-office tests: a household submits, staff log in."""
from __future__ import annotations

import re

from webapp.staff.accounts import add_account

PASSWORD = "correct horse battery"
TENANT_REQUEST = {
    "role": "tenant", "stage": "assignation", "commune": "90010", "landlord_kind": "private",
    "hearing_date": "2030-06-15", "commandement_date": "2026-01-10", "lease_date": "2024-01-01",
    "debt_eur": 2400, "rent_eur": 600,
}


def set_triage_request(client, request: dict) -> None:
    """What the questionnaire does: keep the triage request in the server-side session."""
    with client.session_transaction() as session:
        session["triage_request"] = request


def contact(**overrides) -> dict:
    data = {"contact_name": "Camille Test", "contact_phone": "06 12 34 56 78", "contact_email": "",
            "preferred_times": "le matin", "preferred_language": "français", "accessibility_needs": "",
            "description": "Mon propriétaire ne répond plus.", "consent": "y"}
    data.update(overrides)
    return data


def submit(client, structures=("cdad-90",), **fields) -> str:
    """Fill the form, confirm on the review page; return the reference shown."""
    data = contact(**fields)
    data["structures"] = list(structures)
    r = client.post("/etre-recontacte", data=data)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    assert r.headers["Location"].endswith("/etre-recontacte/verifier")
    r = client.post("/etre-recontacte/verifier", data={})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    page = client.get("/etre-recontacte/confirmation").get_data(as_text=True)
    return re.search(r'class="reference">([A-Z0-9]{8})<', page).group(1)


def make_staff(app, email: str, structure_id: str, *, admin: bool = False, password: str = PASSWORD):
    maker = app.extensions["db_sessionmaker"]
    with app.app_context(), maker() as db:
        from webapp.directory import get_directory
        user = add_account(db, email, structure_id, password, is_admin=admin,
                           known_structures={s.id for s in get_directory(app).structures()})
        db.commit()
        return user.id


def login(client, email: str, password: str = PASSWORD):
    return client.post("/staff/connexion", data={"email": email, "password": password})


def referral_ids(app, reference: str) -> dict[str, int]:
    """structure id -> referral id for one case."""
    from sqlalchemy import select
    from webapp.referrals.models import Case, Referral

    with app.extensions["db_sessionmaker"]() as db:
        rows = db.execute(select(Referral.structure_id, Referral.id).join(Case)
                          .where(Case.reference == reference)).all()
        return {s: i for s, i in rows}
