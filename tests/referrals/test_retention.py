"""Retention commands on a frozen clock: anonymise closed cases, delete drafts, purge logs."""
from __future__ import annotations

from datetime import datetime, timezone

from freezegun import freeze_time
from sqlalchemy import func, select

from tests.referrals.referral_helpers import contact, make_staff, referral_ids, set_triage_request, submit, TENANT_REQUEST
from webapp.referrals import service
from webapp.referrals.models import Case, OutboxMessage, Referral
from webapp.referrals.retention import months_before
from webapp.staff.models import AuditEntry

T0 = datetime(2026, 1, 15, 10, 0, tzinfo=timezone.utc)


def _close(app, referral_id, outcome="plan_apurement_signe", note="Appel du 12, RDV pris"):
    with app.extensions["db_sessionmaker"]() as db:
        referral = db.get(Referral, referral_id)
        service.add_note(db, referral, staff_id=None, text=note)
        service.change_status(db, referral, "cloturee", staff_id=None, reason=outcome, text=note)
        db.commit()


def test_months_before_clamps_to_the_end_of_month():
    assert months_before(datetime(2026, 3, 31, tzinfo=timezone.utc), 1).date().isoformat() == "2026-02-28"
    assert months_before(datetime(2026, 1, 15, tzinfo=timezone.utc), 24).date().isoformat() == "2024-01-15"


def test_closed_cases_are_anonymised_after_the_delay_and_open_ones_kept(app):
    runner = app.test_cli_runner()
    with freeze_time(T0):
        household = app.test_client()
        set_triage_request(household, TENANT_REQUEST)
        closed = submit(household, structures=("cdad-90", "fsl-90"), contact_email="menage@example.org",
                        description="Mon histoire")
        still_open = submit(app.test_client(), structures=("cdad-90",))
        ids = referral_ids(app, closed)
        _close(app, ids["cdad-90"])
        with app.extensions["db_sessionmaker"]() as db:
            service.change_status(db, db.get(Referral, ids["fsl-90"]), "refusee", staff_id=None,
                                  reason="hors_competence")
            db.commit()
    months = app.config["RETENTION_CLOSED_MONTHS"]
    with freeze_time(T0.replace(year=T0.year + months // 12, day=T0.day - 1)):
        assert "anonymised 0 cases" in runner.invoke(args=["retention", "anonymise"]).output
    with freeze_time(T0.replace(year=T0.year + months // 12, day=T0.day + 1)):
        assert "anonymised 1 cases" in runner.invoke(args=["retention", "anonymise"]).output
        # Running it again changes nothing.
        assert "anonymised 0 cases" in runner.invoke(args=["retention", "anonymise"]).output
    with app.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case).where(Case.reference == closed))
        assert case.state == "anonymised"
        for name in ("contact_name", "contact_phone", "contact_email", "description", "situation", "triage",
                     "commune", "preferred_times", "preferred_language"):
            assert getattr(case, name) is None, name
        assert all(set(d) == {"kind"} for d in case.deadlines)
        # What statistics need stays.
        assert case.stage == "assignation" and case.urgency == "high"
        assert sorted((r.status, r.outcome or r.refusal_reason) for r in case.referrals) == [
            ("cloturee", "plan_apurement_signe"), ("refusee", "hors_competence")]
        assert all(e.text is None for r in case.referrals for e in r.events)
        assert all(r.status_note is None for r in case.referrals)
        assert db.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.case_id == case.id)) == 0
        untouched = db.scalar(select(Case).where(Case.reference == still_open))
        assert untouched.state == "submitted" and untouched.contact_name == "Camille Test"


def test_anonymised_case_still_opens_for_staff_without_personal_data(app):
    with freeze_time(T0):
        reference = submit(app.test_client(), structures=("cdad-90",), contact_name="Nom Effacé")
        _close(app, referral_ids(app, reference)["cdad-90"])
    with freeze_time(T0.replace(year=T0.year + 3)):
        app.test_cli_runner().invoke(args=["retention", "anonymise"])
        make_staff(app, "agent@cdad.example", "cdad-90")
        client = app.test_client()
        client.post("/staff/connexion", data={"email": "agent@cdad.example", "password": "correct horse battery"})
        page = client.get(f"/staff/demandes/{referral_ids(app, reference)['cdad-90']}").get_data(as_text=True)
    assert "Nom Effacé" not in page and "anonymisée" in page


def test_unconfirmed_drafts_are_deleted_after_a_day(app):
    runner = app.test_cli_runner()
    with freeze_time(T0):
        client = app.test_client()
        data = contact()
        data["structures"] = ["cdad-90"]
        client.post("/etre-recontacte", data=data)
        confirmed = submit(app.test_client())
    hours = app.config["DRAFT_RETENTION_HOURS"]
    with freeze_time(T0.replace(hour=T0.hour + 1)):
        assert "deleted 0 unconfirmed drafts" in runner.invoke(args=["retention", "drafts"]).output
    with freeze_time(datetime(2026, 1, 15 + hours // 24, 10, 1, tzinfo=timezone.utc)):
        assert "deleted 1 unconfirmed drafts" in runner.invoke(args=["retention", "drafts"]).output
    with app.extensions["db_sessionmaker"]() as db:
        assert [c.reference for c in db.scalars(select(Case))] == [confirmed]
    # The household who comes back is sent to a fresh form, not an error.
    r = client.get("/etre-recontacte/verifier")
    assert r.status_code == 302


def test_audit_log_is_purged_after_its_retention(app):
    runner = app.test_cli_runner()
    make_staff(app, "agent@cdad.example", "cdad-90")
    with freeze_time(T0):
        app.test_client().post("/staff/connexion", data={"email": "agent@cdad.example",
                                                         "password": "correct horse battery"})
    with freeze_time(datetime(2027, 1, 10, tzinfo=timezone.utc)):
        app.test_client().post("/staff/connexion", data={"email": "agent@cdad.example",
                                                         "password": "correct horse battery"})
    assert app.config["AUDIT_RETENTION_MONTHS"] == 12
    # 12 months before 20 January 2027 is 20 January 2026: the first login goes, the second stays.
    with freeze_time(datetime(2027, 1, 20, tzinfo=timezone.utc)):
        result = runner.invoke(args=["retention", "audit"])
    assert "deleted 1 audit entries" in result.output, result.output
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(AuditEntry.id))) == 1


def test_sent_and_failed_emails_are_purged_and_pending_ones_kept(app):
    """A failed e-mail holds the same address as a sent one: it goes too."""
    runner = app.test_cli_runner()
    with freeze_time(T0):
        submit(app.test_client(), structures=("cdad-90", "fsl-90"), contact_email="alex@example.org")
    with app.extensions["db_sessionmaker"]() as db:
        first, *rest = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        first.status, first.sent_at = "sent", T0
        failed = next(m for m in rest if m.to_address == "alex@example.org")
        failed.status = "failed"
        db.commit()
        pending_before = len(rest) - 1
    with freeze_time(datetime(2026, 3, 1, tzinfo=timezone.utc)):
        assert "deleted 2 sent or failed e-mails" in runner.invoke(args=["retention", "outbox"]).output
        result = runner.invoke(args=["retention", "all"])
        assert result.exit_code == 0 and "anonymised 0 cases" in result.output
    with app.extensions["db_sessionmaker"]() as db:
        assert [m.status for m in db.scalars(select(OutboxMessage))] == ["pending"] * pending_before
