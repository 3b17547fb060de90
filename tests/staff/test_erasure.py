"""Erasure at the household's request (RGPD): staff of a structure holding the referral
clear the case now, with the same rule as retention, and the audit log says who did it."""
from __future__ import annotations

import csv
import io
import re

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import (
    PASSWORD, TENANT_REQUEST, contact, login, make_staff, referral_ids, set_triage_request, submit,
)
from tests.referrals.smtp_server import free_port
from webapp.referrals import service
from webapp.referrals.models import Case, OutboxMessage, Referral, ReferralEvent
from webapp.staff.models import AuditEntry

NAME, EMAIL, PHONE, STORY = "Alex Martin", "alex.martin@example.org", "06 98 76 54 32", "Mon histoire à moi"
ERASED = "Données effacées à la demande de la personne"


@pytest.fixture
def db_app(tmp_path, database_url):
    """The referral tests' app, on SQLite and on PostgreSQL."""
    return make_test_app(tmp_path, DATABASE_URL=database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(),
                         SMTP_TIMEOUT=5.0, OUTBOX_SEND_INLINE=False)


def staff_client(app, email, structure):
    make_staff(app, email, structure)
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def household_case(app, structures=("cdad-90", "fsl-90")) -> str:
    household = app.test_client()
    set_triage_request(household, TENANT_REQUEST)
    return submit(household, structures=structures, contact_name=NAME, contact_email=EMAIL,
                  contact_phone=PHONE, description=STORY, accessibility_needs="Malentendant")


def case_row(app, reference) -> Case:
    with app.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case).where(Case.reference == reference))
        db.expunge(case)
        return case


def outbox_count(app, reference) -> int:
    with app.extensions["db_sessionmaker"]() as db:
        return db.scalar(select(func.count(OutboxMessage.id)).join(Case, Case.id == OutboxMessage.case_id)
                         .where(Case.reference == reference))


def test_staff_erase_a_household_s_data_at_its_request(db_app):
    app = db_app
    reference = household_case(app)
    ids = referral_ids(app, reference)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    assert cdad.post(f"/staff/demandes/{ids['cdad-90']}/statut",
                     data={"to_status": "prise_en_charge"}).status_code == 302
    assert cdad.post(f"/staff/demandes/{ids['cdad-90']}/note",
                     data={"note": f"Rappelé au {PHONE}"}).status_code == 302
    assert fsl.post(f"/staff/demandes/{ids['fsl-90']}/statut",
                    data={"to_status": "refusee", "reason": "refus:autre", "text": f"{NAME} déjà suivi"}
                    ).status_code == 302
    # The notices and the household's receipt (with its address) wait in the outbox.
    assert outbox_count(app, reference) == 3
    page = cdad.get(f"/staff/demandes/{ids['cdad-90']}").get_data(as_text=True)
    assert "Effacer les données personnelles (demande de la personne)" in page and NAME in page

    r = cdad.post(f"/staff/demandes/{ids['cdad-90']}/effacer", data={"confirm": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/staff/demandes/{ids['cdad-90']}")

    case = case_row(app, reference)
    assert case.state == "erased" and case.anonymised_at is not None
    for name in ("contact_name", "contact_phone", "contact_email", "preferred_times", "preferred_language",
                 "accessibility_needs", "description", "situation", "triage", "commune"):
        assert getattr(case, name) is None, name
    assert case.deadlines and all(set(d) == {"kind"} for d in case.deadlines)
    # What statistics need stays.
    assert case.reference == reference and case.stage == "assignation" and case.urgency == "high"
    assert outbox_count(app, reference) == 0
    with app.extensions["db_sessionmaker"]() as db:
        cdad_ref, fsl_ref = db.get(Referral, ids["cdad-90"]), db.get(Referral, ids["fsl-90"])
        # The open referral is closed as erased; the refused one keeps its reason.
        assert (cdad_ref.status, cdad_ref.outcome) == ("cloturee", "donnees_effacees")
        assert (fsl_ref.status, fsl_ref.refusal_reason, fsl_ref.outcome) == ("refusee", "autre", None)
        assert cdad_ref.status_note is None and fsl_ref.status_note is None
        events = db.scalars(select(ReferralEvent).where(ReferralEvent.referral_id.in_(ids.values()))).all()
        assert all(e.text is None for e in events)
        erased = [e for e in events if e.kind == "erased"]
        staff_id = db.scalar(select(AuditEntry.staff_id).where(AuditEntry.action == "erase"))
        assert sorted(e.referral_id for e in erased) == sorted(ids.values())
        assert {e.staff_id for e in erased} == {staff_id}
        audits = db.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).all()
        assert len(audits) == 1
        assert (audits[0].staff_email, audits[0].reference, audits[0].referral_id) == (
            "agent@cdad.example", reference, ids["cdad-90"])
        # No audit entry, before or after, holds what was erased.
        for entry in db.scalars(select(AuditEntry)):
            for secret in (NAME, EMAIL, PHONE, STORY):
                assert secret not in (entry.detail or ""), (entry.action, secret)

    page = cdad.get(f"/staff/demandes/{ids['cdad-90']}").get_data(as_text=True)
    assert ERASED in page and "Les données personnelles de la demande ont été effacées." in page
    for secret in (NAME, EMAIL, PHONE, STORY, "Malentendant", "Rappelé au"):
        assert secret not in page, secret
    assert 'action="/staff/demandes/%d/effacer"' % ids["cdad-90"] not in page
    assert 'action="/staff/demandes/%d/note"' % ids["cdad-90"] not in page
    assert "agent@cdad.example" in page  # who erased, in the history
    # The other structure holding the case sees it erased too.
    assert ERASED in fsl.get(f"/staff/demandes/{ids['fsl-90']}").get_data(as_text=True)
    # Inbox and export say so, with empty contact columns.
    inbox = cdad.get("/staff/").get_data(as_text=True)
    assert reference in inbox and "données effacées à la demande" in inbox
    rows = list(csv.reader(io.StringIO(cdad.get("/staff/export.csv").get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    header, row = rows[0], rows[1]
    assert row[header.index("donnees_personnelles")] == "effacees_a_la_demande"
    assert row[header.index("issue")] == "donnees_effacees"
    assert row[header.index("nom")] == row[header.index("telephone")] == row[header.index("email")] == ""


def test_erasure_needs_the_confirmation(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    r = cdad.post(f"/staff/demandes/{rid}/effacer", data={})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert re.search(r'id="confirm-error">Cochez la case pour confirmer que la personne a demandé', html)
    assert 'aria-describedby="confirm-error"' in html
    case = case_row(app, reference)
    assert case.state == "submitted" and case.contact_name == NAME and case.contact_email == EMAIL
    assert outbox_count(app, reference) == 2
    with app.extensions["db_sessionmaker"]() as db:
        assert db.get(Referral, rid).status == "nouvelle"
        assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "erase")) == 0


def test_the_status_form_cannot_close_as_erased_without_erasing(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert "issue:donnees_effacees" not in cdad.get(f"/staff/demandes/{rid}").get_data(as_text=True)
    r = cdad.post(f"/staff/demandes/{rid}/statut", data={"to_status": "cloturee", "reason": "issue:donnees_effacees"})
    assert r.status_code == 400
    assert case_row(app, reference).contact_name == NAME


def test_erasing_twice_is_harmless(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert cdad.post(f"/staff/demandes/{rid}/effacer", data={"confirm": "y"}).status_code == 302
    r = cdad.post(f"/staff/demandes/{rid}/effacer", data={"confirm": "y"}, follow_redirects=True)
    assert r.status_code == 200 and "déjà effacées" in r.get_data(as_text=True)
    # A note cannot bring personal data back either.
    assert cdad.post(f"/staff/demandes/{rid}/note", data={"note": NAME}).status_code == 400
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "erase")) == 1
        assert db.scalar(select(func.count(ReferralEvent.id)).where(ReferralEvent.kind == "erased")) == 1
        assert db.scalar(select(func.count(ReferralEvent.id)).where(ReferralEvent.kind == "note")) == 0


def test_staff_of_another_structure_get_404_and_nothing_changes(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    assert fsl.post(f"/staff/demandes/{rid}/effacer", data={"confirm": "y"}).status_code == 404
    assert fsl.post("/staff/demandes/999999/effacer", data={"confirm": "y"}).status_code == 404
    case = case_row(app, reference)
    assert case.state == "submitted" and case.contact_name == NAME
    assert outbox_count(app, reference) == 2


def test_erasure_requires_sign_in(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    r = app.test_client().post(f"/staff/demandes/{rid}/effacer", data={"confirm": "y"})
    assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"]
    assert case_row(app, reference).contact_name == NAME


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def csrf_case_and_staff(tmp_path):
    """With CSRF on, as in production: a household's request through the real forms, and
    a signed-in agent of its structure. Returns (app, the agent's client, reference, referral id)."""
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True, OUTBOX_SEND_INLINE=False)
    client = app.test_client()
    set_triage_request(client, TENANT_REQUEST)
    form = client.get("/etre-recontacte").get_data(as_text=True)
    data = contact(contact_name=NAME, contact_phone=PHONE, contact_email=EMAIL, description=STORY)
    data.update(structures=["cdad-90"], csrf_token=token_of(form))
    assert client.post("/etre-recontacte", data=data).status_code == 302
    review = client.get("/etre-recontacte/verifier").get_data(as_text=True)
    assert client.post("/etre-recontacte/verifier", data={"csrf_token": token_of(review)}).status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        reference = db.scalar(select(Case.reference))
    rid = referral_ids(app, reference)["cdad-90"]
    make_staff(app, "agent@cdad.example", "cdad-90")
    staff = app.test_client()
    login_page = staff.get("/staff/connexion").get_data(as_text=True)
    assert staff.post("/staff/connexion", data={"email": "agent@cdad.example", "password": PASSWORD,
                                                "csrf_token": token_of(login_page)}).status_code == 302
    return app, staff, reference, rid


def test_erasure_needs_its_csrf_token(tmp_path):
    app, staff, reference, rid = csrf_case_and_staff(tmp_path)
    assert staff.post(f"/staff/demandes/{rid}/effacer", data={"confirm": "y"}).status_code == 400
    assert case_row(app, reference).contact_name == NAME
    page = staff.get(f"/staff/demandes/{rid}").get_data(as_text=True)
    r = staff.post(f"/staff/demandes/{rid}/effacer", data={"confirm": "y", "csrf_token": token_of(page)})
    assert r.status_code == 302 and case_row(app, reference).state == "erased"


def test_retention_leaves_an_erased_case_as_it_is(app):
    with freeze_time("2026-01-15 10:00:00"):
        reference = household_case(app, structures=("cdad-90",))
        with app.extensions["db_sessionmaker"]() as db:
            case = db.scalar(select(Case).where(Case.reference == reference))
            service.erase_on_request(db, case, staff_id=None)
            db.commit()
    with freeze_time("2030-01-15 10:00:00"):
        result = app.test_cli_runner().invoke(args=["retention", "anonymise"])
    assert "anonymised 0 cases" in result.output
    assert case_row(app, reference).state == "erased"
