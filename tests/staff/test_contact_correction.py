"""Correction of a household's contact details at its request (RGPD art. 16): staff of a
structure holding the referral fix them from the referral page, every structure sees the new
ones, and the history and the audit log say who and when, never the values."""
from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import func, select, update

from tests.referrals.referral_helpers import referral_ids
from tests.staff.test_erasure import (  # noqa: F401  (db_app: the erasure tests' SQLite + PostgreSQL app)
    EMAIL, NAME, PHONE, STORY, case_row, csrf_case_and_staff, db_app, household_case,
    staff_client, token_of,
)
from webapp.referrals import service
from webapp.referrals.models import Case, OutboxMessage, ReferralEvent
from webapp.staff.models import AuditEntry

NEW_PHONE, NEW_EMAIL = "07 11 22 33 44", "alex.nouvelle@example.net"
CORRECTED = "Coordonnées corrigées à la demande de la personne"


def form_data(**overrides) -> dict:
    """The correction form as the page pre-fills it for household_case(), with changes."""
    data = {"contact_name": NAME, "contact_phone": PHONE, "contact_email": EMAIL, "preferred_times": "le matin",
            "preferred_language": "français", "accessibility_needs": "Malentendant"}
    data.update(overrides)
    return data


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', page)
    return htmllib.unescape(found.group(1)) if found else None


def events(app, kind: str) -> list[ReferralEvent]:
    with app.extensions["db_sessionmaker"]() as db:
        return list(db.scalars(select(ReferralEvent).where(ReferralEvent.kind == kind)))


def audits(app, action: str) -> list[AuditEntry]:
    with app.extensions["db_sessionmaker"]() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def correction_action(referral_id: int) -> str:
    return f'action="/staff/demandes/{referral_id}/coordonnees"'


def test_staff_correct_the_phone_and_email_for_every_structure(db_app):
    app = db_app
    reference = household_case(app)
    ids = referral_ids(app, reference)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    page = cdad.get(f"/staff/demandes/{ids['cdad-90']}").get_data(as_text=True)
    # The form is there, pre-filled with the details on record.
    assert "Corriger les coordonnées (demande de la personne)" in page and correction_action(ids["cdad-90"]) in page
    assert f'value="{PHONE}"' in page and f'value="{EMAIL}"' in page and f'value="{NAME}"' in page
    assert "Malentendant</textarea>" in page

    r = cdad.post(f"/staff/demandes/{ids['cdad-90']}/coordonnees",
                  data=form_data(contact_phone=NEW_PHONE, contact_email=NEW_EMAIL, preferred_times="  le soir "))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/staff/demandes/{ids['cdad-90']}")

    case = case_row(app, reference)
    assert (case.contact_phone, case.contact_email) == (NEW_PHONE, NEW_EMAIL)
    assert case.preferred_times == "le soir"  # trimmed, as the household form stores it
    assert (case.contact_name, case.accessibility_needs, case.description, case.state) == (
        NAME, "Malentendant", STORY, "submitted")
    corrected = events(app, "corrected")
    assert sorted(e.referral_id for e in corrected) == sorted(ids.values())
    staff_id = audits(app, "correct_contact")[0].staff_id
    assert {e.staff_id for e in corrected} == {staff_id} and all(e.text is None for e in corrected)
    [entry] = audits(app, "correct_contact")
    assert (entry.staff_email, entry.reference, entry.referral_id) == ("agent@cdad.example", reference, ids["cdad-90"])
    assert entry.detail == "at the person's request; fields: contact_phone,contact_email,preferred_times"
    # Neither the old details nor the new ones are in the audit log or in the history.
    with app.extensions["db_sessionmaker"]() as db:
        stored = [e.detail or "" for e in db.scalars(select(AuditEntry))]
        stored += [f"{e.text} {e.reason}" for e in db.scalars(select(ReferralEvent))]
    for value in (PHONE, EMAIL, NEW_PHONE, NEW_EMAIL, "le matin", "le soir"):
        assert not any(value in text for text in stored), value
    # The household's receipt still queued for the old address is dropped (the old
    # address may be someone else's); the structures' notices stay.
    with app.extensions["db_sessionmaker"]() as db:
        kinds = db.scalars(select(OutboxMessage.kind).where(OutboxMessage.case_id == case.id)).all()
    assert "household_confirmation" not in kinds and "new_referral" in kinds

    for client, rid in ((cdad, ids["cdad-90"]), (fsl, ids["fsl-90"])):
        page = client.get(f"/staff/demandes/{rid}").get_data(as_text=True)
        assert NEW_PHONE in page and NEW_EMAIL in page and f'href="tel:{NEW_PHONE.replace(" ", "")}"' in page
        assert PHONE not in page and EMAIL not in page
        history = page[page.index('<ol class="history">'):]
        assert CORRECTED in history and "agent@cdad.example" in history


def test_the_history_is_in_english_too(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert cdad.post(f"/staff/demandes/{rid}/coordonnees", data=form_data(contact_phone=NEW_PHONE)).status_code == 302
    cdad.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    page = htmllib.unescape(cdad.get(f"/staff/demandes/{rid}").get_data(as_text=True))
    assert "Contact details corrected at the person's request" in page[page.index('<ol class="history">'):]
    assert "Correct the contact details (at the person's request)" in page


@pytest.mark.parametrize("lang, phone_message, email_message", [
    ("fr", "Ce numéro n'est pas valide. Exemple : 06 12 34 56 78.",
     "Cette adresse e-mail n'est pas valide. Exemple : nom@exemple.fr."),
    ("en", "This number is not valid. Example: 06 12 34 56 78.",
     "This e-mail address is not valid. Example: name@example.fr."),
])
def test_an_invalid_phone_or_email_is_refused_next_to_the_field(app, lang, phone_message, email_message):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    if lang == "en":
        cdad.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    r = cdad.post(f"/staff/demandes/{rid}/coordonnees",
                  data=form_data(contact_phone="appelez-moi", contact_email="pas-une-adresse",
                                 preferred_times="après 17 h"))
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    # One message per field, next to it, and the disclosure comes back open.
    assert field_error(page, "contact_phone") == phone_message
    assert field_error(page, "contact_email") == email_message
    assert re.search(r'aria-describedby="contact_phone-hint contact_phone-error"[^>]*aria-invalid="true"', page)
    assert '<details class="correction" open>' in page
    # Everything typed is kept.
    for typed in ("appelez-moi", "pas-une-adresse", "après 17 h"):
        assert f'value="{typed}"' in page, typed
    case = case_row(app, reference)
    assert (case.contact_phone, case.contact_email, case.preferred_times) == (PHONE, EMAIL, "le matin")
    assert events(app, "corrected") == [] and audits(app, "correct_contact") == []


@pytest.mark.parametrize("typed, field, message", [
    (dict(contact_phone="", contact_email=" "), "contact_phone",
     "Indiquez un téléphone ou une adresse e-mail : sans l'un ou l'autre, personne ne peut recontacter la personne."),
    (dict(contact_name=""), "contact_name", "Indiquez le nom ou le prénom de la personne."),
    (dict(contact_phone="(((-"), "contact_phone", "Ce numéro n'est pas valide. Exemple : 06 12 34 56 78."),
    (dict(preferred_language="x" * 101), "preferred_language", "100 caractères au plus."),
])
def test_the_household_form_s_rules_apply(app, typed, field, message):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    r = cdad.post(f"/staff/demandes/{rid}/coordonnees", data=form_data(**typed))
    assert r.status_code == 400 and field_error(r.get_data(as_text=True), field) == message
    case = case_row(app, reference)
    assert (case.contact_name, case.contact_phone, case.contact_email) == (NAME, PHONE, EMAIL)


def test_nothing_changed_records_nothing(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    r = cdad.post(f"/staff/demandes/{rid}/coordonnees", data=form_data(), follow_redirects=True)
    assert r.status_code == 200 and "Rien n'a changé" in htmllib.unescape(r.get_data(as_text=True))
    assert events(app, "corrected") == [] and audits(app, "correct_contact") == []


def test_staff_of_another_structure_get_404_and_nothing_changes(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    assert fsl.post(f"/staff/demandes/{rid}/coordonnees", data=form_data(contact_phone=NEW_PHONE)).status_code == 404
    assert fsl.post("/staff/demandes/999999/coordonnees", data=form_data(contact_phone=NEW_PHONE)).status_code == 404
    assert case_row(app, reference).contact_phone == PHONE
    assert events(app, "corrected") == [] and audits(app, "correct_contact") == []


def test_correction_requires_sign_in(app):
    reference = household_case(app, structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    r = app.test_client().post(f"/staff/demandes/{rid}/coordonnees", data=form_data(contact_phone=NEW_PHONE))
    assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"]
    assert case_row(app, reference).contact_phone == PHONE


def test_an_erased_case_offers_no_correction_and_refuses_one(app):
    reference = household_case(app, structures=("cdad-90", "fsl-90"))
    ids = referral_ids(app, reference)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert cdad.post(f"/staff/demandes/{ids['cdad-90']}/effacer", data={"confirm": "y"}).status_code == 302
    page = cdad.get(f"/staff/demandes/{ids['cdad-90']}").get_data(as_text=True)
    assert correction_action(ids["cdad-90"]) not in page and "Corriger les coordonnées" not in page

    r = cdad.post(f"/staff/demandes/{ids['cdad-90']}/coordonnees",
                  data=form_data(contact_name="Quelqu'un", contact_phone=NEW_PHONE, contact_email=NEW_EMAIL))
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "il n'y a plus de coordonnées à corriger" in htmllib.unescape(page)
    # What was typed is not shown back, nor stored.
    assert NEW_PHONE not in page and NEW_EMAIL not in page and correction_action(ids["cdad-90"]) not in page
    case = case_row(app, reference)
    assert case.state == "erased"
    assert (case.contact_name, case.contact_phone, case.contact_email) == (None, None, None)
    assert events(app, "corrected") == [] and audits(app, "correct_contact") == []


def test_the_service_refuses_a_case_erased_meanwhile(app):
    """Two staff members at once: an erasure committed after the page was read wins."""
    reference = household_case(app, structures=("cdad-90",))
    maker = app.extensions["db_sessionmaker"]
    with maker() as stale, maker() as other:
        case = stale.scalar(select(Case).where(Case.reference == reference))
        assert case.state == "submitted"
        service.erase_on_request(other, other.get(Case, case.id), staff_id=None)
        other.commit()
        with pytest.raises(service.TransitionError):
            service.correct_contact(stale, case, form_data(contact_phone=NEW_PHONE), staff_id=None)
        stale.rollback()
    assert case_row(app, reference).contact_phone is None
    assert events(app, "corrected") == []


def test_correction_needs_its_csrf_token(tmp_path):
    app, staff, reference, rid = csrf_case_and_staff(tmp_path)
    typed = form_data(contact_phone=NEW_PHONE, preferred_times="", preferred_language="", accessibility_needs="")
    assert staff.post(f"/staff/demandes/{rid}/coordonnees", data=typed).status_code == 400
    assert case_row(app, reference).contact_phone == PHONE
    page = staff.get(f"/staff/demandes/{rid}").get_data(as_text=True)
    r = staff.post(f"/staff/demandes/{rid}/coordonnees", data={**typed, "csrf_token": token_of(page)})
    assert r.status_code == 302 and case_row(app, reference).contact_phone == NEW_PHONE
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(ReferralEvent.id)).where(ReferralEvent.kind == "corrected")) == 1


def test_a_sent_receipt_stays_and_a_phone_change_keeps_the_queued_one(app):
    reference = household_case(app, structures=("cdad-90",))
    ids = referral_ids(app, reference)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    case_id = case_row(app, reference).id

    def receipts() -> list[tuple[str, str]]:
        with app.extensions["db_sessionmaker"]() as db:
            return list(db.execute(select(OutboxMessage.to_address, OutboxMessage.status).where(
                OutboxMessage.case_id == case_id, OutboxMessage.kind == "household_confirmation")).all())

    assert receipts() == [(EMAIL, "pending")]
    # Only the phone changes: the receipt still goes to the address on record.
    cdad.post(f"/staff/demandes/{ids['cdad-90']}/coordonnees", data=form_data(contact_phone=NEW_PHONE))
    assert receipts() == [(EMAIL, "pending")]
    # Once sent, it is a record of what was sent: correcting the e-mail leaves it.
    with app.extensions["db_sessionmaker"]() as db:
        db.execute(update(OutboxMessage).where(OutboxMessage.case_id == case_id).values(status="sent"))
        db.commit()
    cdad.post(f"/staff/demandes/{ids['cdad-90']}/coordonnees",
              data=form_data(contact_phone=NEW_PHONE, contact_email=NEW_EMAIL))
    assert case_row(app, reference).contact_email == NEW_EMAIL
    assert receipts() == [(EMAIL, "sent")]
