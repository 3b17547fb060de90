"""The household's referral form: pre-filling, consent, errors, review and confirmation."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.referrals.referral_helpers import TENANT_REQUEST, contact, set_triage_request, submit
from webapp.referrals.models import Case, OutboxMessage, Referral
from webapp.referrals.reference import ALPHABET


def count(app, model) -> int:
    with app.extensions["db_sessionmaker"]() as db:
        return db.scalar(select(func.count()).select_from(model))


def checked_structures(html: str) -> set[str]:
    inputs = re.findall(r'<input[^>]*name="structures"[^>]*>', html)
    return {re.search(r'value="([^"]+)"', i).group(1) for i in inputs if " checked" in i}


def test_household_form_is_prefilled_from_the_session_and_preselects_triage_structures(client):
    set_triage_request(client, TENANT_REQUEST)
    html = client.get("/etre-recontacte").get_data(as_text=True)
    assert "Assignation devant le tribunal" in html
    assert "Belfort" in html
    assert '<time datetime="2030-06-15">' in html
    # The triage proposes the CDAD, the Belfort social-work sector and the FSL (income not given).
    checked = checked_structures(html)
    assert "cdad-90" in checked
    assert any(s.startswith("esd-") for s in checked)
    assert "fsl-90" in checked
    # Only proposed ones are ticked.
    assert "esd-secteur-vosges-du-sud" not in checked


def test_household_form_without_questionnaire_asks_the_situation_and_preselects_nothing(client):
    html = client.get("/etre-recontacte").get_data(as_text=True)
    assert 'name="role"' in html and 'name="stage"' in html and 'name="commune"' in html
    assert checked_structures(html) == set()
    reference = submit(client, structures=("fsl-90",), role="tenant", stage="commandement_de_payer",
                       commune="90010")
    with client.application.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case).where(Case.reference == reference))
        assert case.stage == "commandement_de_payer" and case.commune == "90010"
        assert case.urgency == "high"
        assert [r.structure_id for r in case.referrals] == ["fsl-90"]


@pytest.mark.parametrize("sent", [None, "", "false"])
def test_household_nothing_is_stored_without_consent(client, app, sent):
    """No box sent, or a box sent unticked ("false" is how WTForms reads an unticked box)."""
    set_triage_request(client, TENANT_REQUEST)
    data = contact(consent=sent or "")
    if sent is None:
        del data["consent"]
    data["structures"] = ["cdad-90"]
    r = client.post("/etre-recontacte", data=data)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="consent-error"' in html
    assert count(app, Case) == 0 and count(app, Referral) == 0 and count(app, OutboxMessage) == 0


def test_household_errors_are_next_to_fields_and_nothing_typed_is_lost(client, app):
    data = contact(contact_phone="", contact_email="pas-une-adresse", description="Mon histoire à moi")
    data["structures"] = []
    html = client.post("/etre-recontacte", data=data).get_data(as_text=True)
    assert 'id="contact_email-error"' in html
    assert 'aria-describedby="contact_email-hint contact_email-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="structures-error"' in html
    assert "Choisissez au moins une structure." in html
    # What was typed is still there.
    assert 'value="pas-une-adresse"' in html
    assert "Mon histoire à moi" in html
    assert 'value="Camille Test"' in html
    assert count(app, Case) == 0


def test_household_needs_a_phone_or_an_email(client, app):
    data = contact(contact_phone="", contact_email="")
    data["structures"] = ["cdad-90"]
    html = client.post("/etre-recontacte", data=data).get_data(as_text=True)
    assert "Indiquez un téléphone ou une adresse e-mail" in html
    assert count(app, Case) == 0


def test_household_cannot_send_to_a_structure_outside_the_list(client, app):
    data = contact()
    data["structures"] = ["prefecture-90"]
    r = client.post("/etre-recontacte", data=data)
    assert r.status_code == 200 and count(app, Case) == 0


def test_household_review_then_confirm_creates_one_referral_per_structure(client, app):
    set_triage_request(client, TENANT_REQUEST)
    data = contact()
    data["structures"] = ["cdad-90", "fsl-90"]
    r = client.post("/etre-recontacte", data=data)
    # A draft exists (consent given) but no referral yet.
    with app.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case))
        assert case.state == "draft" and case.referrals == []
        assert case.consent_version and "Qui verra vos informations" in case.consent_text
    review = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "pas encore envoyée" in review and "Camille Test" in review
    client.post("/etre-recontacte/verifier", data={})
    page = client.get("/etre-recontacte/confirmation").get_data(as_text=True)
    reference = re.search(r'class="reference">([^<]+)<', page).group(1)
    assert len(reference) == 8 and set(reference) <= set(ALPHABET)
    assert not set(reference) & set("01OIL")
    # The CDAD has no confirmed contact details: said plainly, nothing invented.
    assert "Coordonnées à confirmer." in page
    with app.extensions["db_sessionmaker"]() as db:
        case = db.scalar(select(Case))
        assert case.state == "submitted" and case.reference == reference
        assert sorted(r.structure_id for r in case.referrals) == ["cdad-90", "fsl-90"]
        assert {r.status for r in case.referrals} == {"nouvelle"}
        assert case.situation == TENANT_REQUEST
        assert case.next_deadline.isoformat() == "2030-06-15"
        assert case.triage["orientations"]
    # Confirming twice (back button, double click) creates nothing more.
    client.post("/etre-recontacte/verifier", data={})
    assert count(app, Referral) == 2


def test_household_going_back_from_review_keeps_what_was_typed(client, app):
    data = contact(preferred_times="après 18 h")
    data["structures"] = ["fsl-90"]
    client.post("/etre-recontacte", data=data)
    html = client.get("/etre-recontacte").get_data(as_text=True)
    assert 'value="après 18 h"' in html
    assert checked_structures(html) == {"fsl-90"}
    # Re-sending the form replaces the draft instead of adding one.
    data["structures"] = ["cdad-90"]
    client.post("/etre-recontacte", data=data)
    assert count(app, Case) == 1


def test_household_answers_never_travel_in_a_url(client):
    set_triage_request(client, TENANT_REQUEST)
    data = contact()
    data["structures"] = ["cdad-90"]
    locations = []
    r = client.post("/etre-recontacte", data=data)
    locations.append(r.headers["Location"])
    r = client.post("/etre-recontacte/verifier", data={})
    locations.append(r.headers["Location"])
    for location in locations:
        assert "?" not in location and "Camille" not in location and "90010" not in location


def test_household_confirmation_page_is_only_for_the_session_that_sent(client, app):
    submit(client)
    other = app.test_client()
    assert other.get("/etre-recontacte/confirmation").status_code == 404
    assert other.get("/etre-recontacte/verifier").status_code == 302


def test_household_form_is_in_english_too(en_client):
    html = en_client.get("/etre-recontacte").get_data(as_text=True)
    assert "Who will see your information" in html
    assert "Ask to be contacted" in html


def test_landlord_triage_preselects_the_cdad_only(client):
    set_triage_request(client, {"role": "landlord", "commune": "90010", "housing_benefit": "paid_to_landlord"})
    html = client.get("/etre-recontacte").get_data(as_text=True)
    assert checked_structures(html) == {"cdad-90"}
    assert "Propriétaire bailleur" in html


def test_an_invalid_triage_request_in_the_session_falls_back_to_the_plain_form(client):
    set_triage_request(client, {"role": "tenant", "commune": "75056", "stage": "nonsense"})
    r = client.get("/etre-recontacte")
    assert r.status_code == 200
    assert 'name="role"' in r.get_data(as_text=True)


def test_household_pages_are_never_cached(client):
    reference = submit(client)
    assert reference
    for path in ("/etre-recontacte", "/etre-recontacte/confirmation"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_going_back_keeps_the_situation_answers_too(client):
    data = contact()
    data.update(structures=["fsl-90"], role="tenant", stage="jugement", commune="90033")
    client.post("/etre-recontacte", data=data)
    html = client.get("/etre-recontacte").get_data(as_text=True)
    assert re.search(r'<option selected value="jugement">', html)
    assert re.search(r'<option selected value="90033">', html)
    assert re.search(r'<input checked id="role-0"[^>]*value="tenant"', html)
