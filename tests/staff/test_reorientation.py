"""Re-orientation respects the household's consent: the household agreed to the structures
it ticked, so staff pass its request on to another structure only once it has agreed too,
and the agreement is recorded (who, when) and told to the household."""
from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import func, select

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import (
    TENANT_REQUEST, login, make_staff, referral_ids, set_triage_request, submit,
)
from webapp.referrals import service
from webapp.referrals.models import Case, OutboxMessage, Referral, ReferralEvent
from webapp.staff.models import AuditEntry, StaffUser

AGREEMENT_LABEL = "La personne a donné son accord pour que sa demande soit transmise à cette structure"
AGREEMENT_EVENT = "Accord de la personne pour transmettre sa demande"


def staff_client(app, email, structure):
    make_staff(app, email, structure)
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def household_case(app, client=None, **fields) -> str:
    household = client or app.test_client()
    set_triage_request(household, TENANT_REQUEST)
    return submit(household, structures=("cdad-90",), contact_name="Alex Martin",
                  description="Mon histoire à moi", **fields)


def snapshot(app, reference) -> dict:
    """Everything a re-orientation would change, to compare before and after."""
    with app.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case).where(Case.reference == reference))
        return {
            "referrals": [(r.structure_id, r.status, r.outcome) for r in case.referrals],
            "events": db.scalar(select(func.count(ReferralEvent.id))),
            "outbox": sorted((m.kind, m.structure_id) for m in db.scalars(
                select(OutboxMessage).where(OutboxMessage.case_id == case.id))),
            "audit": db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "reorient")),
        }


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', page)
    return htmllib.unescape(found.group(1)) if found else None


def test_staff_see_the_agreement_box_on_the_reorientation_form(app):
    reference = household_case(app)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    page = htmllib.unescape(cdad.get(f"/staff/demandes/{referral_ids(app, reference)['cdad-90']}")
                            .get_data(as_text=True))
    assert AGREEMENT_LABEL in page
    assert 'name="agreement"' in page and 'aria-describedby="agreement-hint"' in page
    assert "demandez-lui son accord" in page


def test_staff_reorientation_without_the_household_agreement_is_refused_and_changes_nothing(app):
    reference = household_case(app, contact_email="alex@example.org")
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    before = snapshot(app, reference)

    # A box sent unticked ("false") is no agreement either.
    r = cdad.post(f"/staff/demandes/{rid}/reorienter",
                  data={"structure": "fsl-90", "explanation": "Dette d'énergie surtout", "agreement": "false"})
    assert r.status_code == 400
    r = cdad.post(f"/staff/demandes/{rid}/reorienter",
                  data={"structure": "fsl-90", "explanation": "Dette d'énergie surtout"})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    # A clear error next to the box, and what was typed is still there.
    assert "Sans son accord, sa demande ne peut pas être transmise" in field_error(page, "agreement")
    assert 'aria-describedby="agreement-hint agreement-error"' in page and 'aria-invalid="true"' in page
    assert "Dette d'énergie surtout" in htmllib.unescape(page)
    assert re.search(r'<option selected value="fsl-90">', page)

    # Nothing changed: no new referral, no history, no e-mail, no audit entry.
    assert snapshot(app, reference) == before
    assert referral_ids(app, reference) == {"cdad-90": rid}
    # The structure the household did not choose cannot see the request.
    assert reference not in fsl.get("/staff/").get_data(as_text=True)
    assert reference not in fsl.get("/staff/export.csv").get_data(as_text=True)
    assert fsl.get(f"/staff/demandes/{rid}").status_code == 404
    assert "Alex Martin" not in fsl.get(f"/staff/?reference={reference}").get_data(as_text=True)


def test_staff_reorientation_with_the_household_agreement_records_who_and_when(app):
    reference = household_case(app)
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")

    r = cdad.post(f"/staff/demandes/{rid}/reorienter",
                  data={"structure": "fsl-90", "explanation": "Dette d'énergie", "agreement": "y"})
    assert r.status_code == 302
    ids = referral_ids(app, reference)
    with app.extensions["db_sessionmaker"]() as db:
        agent = db.scalar(select(StaffUser).where(StaffUser.email == "agent@cdad.example"))
        old, new = db.get(Referral, rid), db.get(Referral, ids["fsl-90"])
        assert (old.status, old.outcome, new.status) == ("cloturee", "reorientee", "nouvelle")
        # The agreement is in both histories: who confirmed it, when, towards which structure.
        for referral in (old, new):
            agreement = [e for e in referral.events if e.kind == "agreement"]
            assert len(agreement) == 1
            assert (agreement[0].staff_id, agreement[0].reason) == (agent.id, "fsl-90")
            assert agreement[0].at is not None
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "reorient"))
        assert entry.staff_email == "agent@cdad.example" and entry.reference == reference
        assert "agreement" in entry.detail and "fsl-90" in entry.detail
        # The FSL is told of its new referral; the household gave no e-mail, so nothing to it.
        kinds = sorted((m.kind, m.structure_id) for m in db.scalars(select(OutboxMessage)))
        assert ("new_referral", "fsl-90") in kinds
        assert not any(kind == "household_reoriented" for kind, _ in kinds)

    page = htmllib.unescape(fsl.get(f"/staff/demandes/{ids['fsl-90']}").get_data(as_text=True))
    assert "Alex Martin" in page and "Dette d'énergie" in page
    assert AGREEMENT_EVENT in page and "agent@cdad.example" in page
    flashed = htmllib.unescape(cdad.get(f"/staff/demandes/{rid}").get_data(as_text=True))
    assert "avec l'accord de la personne" in flashed and AGREEMENT_EVENT in flashed


@pytest.mark.parametrize("lang, expected", [
    ("fr", ("a été transmise à une autre structure", "Avec votre accord, Conseil départemental")),
    ("en", ("has been passed on to another organisation", "With your agreement, Departmental Council")),
])
def test_household_is_told_by_email_in_its_language(app, lang, expected):
    household = app.test_client()
    if lang == "en":
        household.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    reference = household_case(app, household, contact_email="alex@example.org")
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert cdad.post(f"/staff/demandes/{rid}/reorienter",
                     data={"structure": "fsl-90", "agreement": "y"}).status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        notice = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "household_reoriented")).one()
    assert notice.to_address == "alex@example.org"
    assert reference in notice.subject and expected[0] in notice.subject
    assert expected[1] in notice.body
    assert "FSL" in notice.body or "Fonds de solidarité" in notice.body


def test_correcting_the_email_drops_a_reorientation_notice_not_yet_sent(app):
    reference = household_case(app, contact_email="alex@exemple.fr")
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert cdad.post(f"/staff/demandes/{rid}/reorienter",
                     data={"structure": "fsl-90", "agreement": "y"}).status_code == 302
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    fsl_id = referral_ids(app, reference)["fsl-90"]
    r = fsl.post(f"/staff/demandes/{fsl_id}/coordonnees",
                 data={"contact_name": "Alex Martin", "contact_phone": "06 12 34 56 78",
                       "contact_email": "alex@example.fr"})
    assert r.status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        kinds = list(db.scalars(select(OutboxMessage.kind)))
    assert "household_reoriented" not in kinds and "household_confirmation" not in kinds


def test_service_refuses_a_reorientation_without_agreement(app):
    reference = household_case(app)
    with app.app_context(), app.extensions["db_sessionmaker"]() as db:
        referral = db.scalar(select(Referral).join(Case).where(Case.reference == reference))
        with pytest.raises(service.TransitionError):
            service.reorient(db, referral, "fsl-90", staff_id=None, text=None, base_url="http://x",
                             household_agreed=False)
        db.rollback()
        assert db.scalar(select(func.count(Referral.id))) == 1


def test_reorientation_form_needs_its_csrf_token(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True, OUTBOX_SEND_INLINE=False)
    reference = household_case_with_csrf(app)
    rid = referral_ids(app, reference)["cdad-90"]
    make_staff(app, "agent@cdad.example", "cdad-90")
    cdad = app.test_client()
    page = cdad.get("/staff/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert cdad.post("/staff/connexion", data={"email": "agent@cdad.example", "password": "correct horse battery",
                                               "csrf_token": token}).status_code == 302
    r = cdad.post(f"/staff/demandes/{rid}/reorienter", data={"structure": "fsl-90", "agreement": "y"})
    assert r.status_code == 400
    assert referral_ids(app, reference) == {"cdad-90": rid}
    page = cdad.get(f"/staff/demandes/{rid}").get_data(as_text=True)
    form = page[page.index('action="/staff/demandes/%d/reorienter"' % rid):]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    r = cdad.post(f"/staff/demandes/{rid}/reorienter", data={"structure": "fsl-90", "agreement": "y",
                                                             "csrf_token": token})
    assert r.status_code == 302 and set(referral_ids(app, reference)) == {"cdad-90", "fsl-90"}


def household_case_with_csrf(app) -> str:
    """The household's whole path with CSRF on: each form's token taken from its page."""
    household = app.test_client()

    def token(path):
        html = household.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    data = {"contact_name": "Alex Martin", "contact_phone": "06 12 34 56 78", "consent": "y",
            "structures": ["cdad-90"], "csrf_token": token("/etre-recontacte")}
    assert household.post("/etre-recontacte", data=data).status_code == 302
    assert household.post("/etre-recontacte/verifier",
                          data={"csrf_token": token("/etre-recontacte/verifier")}).status_code == 302
    page = household.get("/etre-recontacte/confirmation").get_data(as_text=True)
    return re.search(r'class="reference">([A-Z0-9]{8})<', page).group(1)


def test_consent_text_and_privacy_page_say_a_request_is_passed_on_only_with_agreement(app):
    household = app.test_client()
    form = htmllib.unescape(household.get("/etre-recontacte").get_data(as_text=True))
    assert "elle vous demande votre accord avant de lui transmettre votre demande" in form
    privacy = htmllib.unescape(household.get("/infos/confidentialite").get_data(as_text=True))
    assert "mais seulement avec votre accord" in privacy and "Sans votre accord, rien n'est transmis." in privacy
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "it asks for your agreement before passing your request on" in htmllib.unescape(
        english.get("/etre-recontacte").get_data(as_text=True))
    assert "but only if you agree" in htmllib.unescape(english.get("/infos/confidentialite").get_data(as_text=True))
    # The version stored with a case names the new wording.
    reference = household_case(app)
    with app.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case).where(Case.reference == reference))
        assert case.consent_version == "2026-11-24.1"
        assert "vous demande votre accord avant de lui transmettre" in case.consent_text
