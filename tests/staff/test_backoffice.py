"""The back office: full path, structure isolation (404), inbox order, filters, export, audit."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from sqlalchemy import select, update

from tests.referrals.referral_helpers import (
    TENANT_REQUEST, login, make_staff, referral_ids, set_triage_request, submit,
)
from webapp.referrals.models import Case, Referral, ReferralEvent, utcnow
from webapp.staff.models import AuditEntry


def staff_client(app, email, structure, **kw):
    make_staff(app, email, structure, **kw)
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def audit_actions(app) -> list[tuple[str, str | None]]:
    with app.extensions["db_sessionmaker"]() as db:
        return [(a.action, a.reference) for a in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_full_path_household_to_inbox_to_outcome(app):
    household = app.test_client()
    set_triage_request(household, TENANT_REQUEST)
    reference = submit(household, structures=("cdad-90",), contact_name="Alex Martin")
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    inbox = cdad.get("/staff/").get_data(as_text=True)
    assert reference in inbox
    referral_id = referral_ids(app, reference)["cdad-90"]
    page = cdad.get(f"/staff/demandes/{referral_id}").get_data(as_text=True)
    # Pre-filled: the household's answers and the computed deadlines are there.
    for expected in ("Alex Martin", "06 12 34 56 78", "Assignation devant le tribunal", "Belfort",
                     '<time datetime="2030-06-15">', "Mon propriétaire ne répond plus.", 'aria-current="step"'):
        assert expected in page, expected
    r = cdad.post(f"/staff/demandes/{referral_id}/statut", data={"to_status": "prise_en_charge", "reason": ""})
    assert r.status_code == 302
    r = cdad.post(f"/staff/demandes/{referral_id}/note", data={"note": "Rappelée, RDV jeudi."})
    assert r.status_code == 302
    # Closing without an outcome is refused, with the error next to the field.
    r = cdad.post(f"/staff/demandes/{referral_id}/statut", data={"to_status": "cloturee", "reason": ""})
    assert r.status_code == 400 and 'id="reason-error"' in r.get_data(as_text=True)
    r = cdad.post(f"/staff/demandes/{referral_id}/statut",
                  data={"to_status": "cloturee", "reason": "issue:aide_juridictionnelle_demandee"})
    assert r.status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        referral = db.get(Referral, referral_id)
        assert referral.status == "cloturee" and referral.outcome == "aide_juridictionnelle_demandee"
        kinds = [(e.kind, e.to_status) for e in referral.events]
        assert kinds == [("created", "nouvelle"), ("status", "prise_en_charge"), ("note", None),
                         ("status", "cloturee")]
    page = cdad.get(f"/staff/demandes/{referral_id}").get_data(as_text=True)
    assert "Aide juridictionnelle demandée" in page and "Rappelée, RDV jeudi." in page
    # A closed referral cannot move again.
    r = cdad.post(f"/staff/demandes/{referral_id}/statut", data={"to_status": "prise_en_charge"})
    assert r.status_code == 400
    actions = [a for a, _ in audit_actions(app)]
    for action in ("login", "inbox", "view", "status", "note"):
        assert action in actions


def test_refusal_needs_a_reason_from_the_list(app):
    reference = submit(app.test_client(), structures=("cdad-90",))
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    rid = referral_ids(app, reference)["cdad-90"]
    r = cdad.post(f"/staff/demandes/{rid}/statut", data={"to_status": "refusee", "reason": "issue:fsl_accorde"})
    assert r.status_code == 400
    r = cdad.post(f"/staff/demandes/{rid}/statut", data={"to_status": "refusee", "reason": "refus:autre"})
    assert r.status_code == 400  # "autre" needs a text
    r = cdad.post(f"/staff/demandes/{rid}/statut",
                  data={"to_status": "refusee", "reason": "refus:autre", "text": "Relève du bailleur social"})
    assert r.status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        referral = db.get(Referral, rid)
        assert (referral.status, referral.refusal_reason) == ("refusee", "autre")


def test_staff_of_another_structure_get_404_everywhere(app):
    reference = submit(app.test_client(), structures=("cdad-90", "fsl-90"))
    ids = referral_ids(app, reference)
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    cdad_id = ids["cdad-90"]
    assert fsl.get(f"/staff/demandes/{cdad_id}").status_code == 404
    assert fsl.get(f"/staff/demandes/{cdad_id}/imprimer").status_code == 404
    assert fsl.post(f"/staff/demandes/{cdad_id}/statut", data={"to_status": "prise_en_charge"}).status_code == 404
    assert fsl.post(f"/staff/demandes/{cdad_id}/note", data={"note": "x"}).status_code == 404
    assert fsl.post(f"/staff/demandes/{cdad_id}/reorienter", data={"structure": "fsl-90"}).status_code == 404
    # Guessing ids: a missing one answers exactly the same.
    assert fsl.get("/staff/demandes/999999").status_code == 404
    # The FSL's inbox shows its own referral only; the CDAD's is unchanged.
    assert fsl.get(f"/staff/demandes/{ids['fsl-90']}").status_code == 200
    with app.extensions["db_sessionmaker"]() as db:
        assert db.get(Referral, cdad_id).status == "nouvelle"
        assert db.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == cdad_id)).all()[-1].kind == "created"


def test_referral_appears_only_in_the_chosen_structures_inbox(app):
    reference = submit(app.test_client(), structures=("fsl-90",))
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    assert reference not in cdad.get("/staff/").get_data(as_text=True)
    assert reference in fsl.get("/staff/").get_data(as_text=True)
    assert reference not in cdad.get("/staff/export.csv").get_data(as_text=True)


def test_drafts_never_reach_the_inbox(app):
    household = app.test_client()
    data = {"contact_name": "Brouillon", "contact_phone": "0612345678", "consent": "y", "structures": ["cdad-90"]}
    household.post("/etre-recontacte", data=data)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    assert "Brouillon" not in cdad.get("/staff/export.csv").get_data(as_text=True)
    with app.extensions["db_sessionmaker"]() as db:
        draft = db.scalar(select(Case))
        assert draft.state == "draft"


def _set_case(app, reference, **values):
    with app.extensions["db_sessionmaker"]() as db:
        db.execute(update(Case).where(Case.reference == reference).values(**values))
        db.commit()


def test_inbox_sorted_by_urgency_then_nearest_deadline(app):
    household = app.test_client
    normal = submit(household(), structures=("cdad-90",))
    high_far = submit(household(), structures=("cdad-90",))
    high_near = submit(household(), structures=("cdad-90",))
    immediate = submit(household(), structures=("cdad-90",))
    high_none = submit(household(), structures=("cdad-90",))
    from datetime import date
    _set_case(app, normal, urgency="normal", urgency_rank=2)
    _set_case(app, high_far, urgency="high", urgency_rank=1, next_deadline=date(2031, 1, 1))
    _set_case(app, high_near, urgency="high", urgency_rank=1, next_deadline=date(2030, 1, 1))
    _set_case(app, immediate, urgency="immediate", urgency_rank=0)
    _set_case(app, high_none, urgency="high", urgency_rank=1)
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    html = cdad.get("/staff/").get_data(as_text=True)
    order = sorted([immediate, high_near, high_far, high_none, normal], key=html.index)
    assert order == [immediate, high_near, high_far, high_none, normal]


def test_filters_and_csv_export_hold_exactly_the_same_rows(app):
    household = app.test_client
    belfort = app.test_client()
    set_triage_request(belfort, TENANT_REQUEST)
    in_belfort = submit(belfort, structures=("cdad-90",))
    delle = app.test_client()
    set_triage_request(delle, {**TENANT_REQUEST, "commune": "90033", "stage": "arrears"})
    in_delle = submit(delle, structures=("cdad-90",), contact_name="=HYPERLINK(\"http://evil\")",
                      preferred_times="+33 le soir", description="-2+3")
    old = submit(household(), structures=("cdad-90",), role="tenant", stage="jugement", commune="90010")
    with app.extensions["db_sessionmaker"]() as db:
        db.execute(update(Referral).where(Referral.case_id == db.scalar(
            select(Case.id).where(Case.reference == old))).values(created_at=utcnow() - timedelta(days=40)))
        db.commit()
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")

    def refs(query):
        html = cdad.get("/staff/?" + query).get_data(as_text=True)
        shown = {r for r in (in_belfort, in_delle, old) if r in html}
        text = cdad.get("/staff/export.csv?" + query).get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        exported = {row[0] for row in rows[1:]}
        assert exported == shown, query
        return shown, rows

    assert refs("")[0] == {in_belfort, in_delle, old}
    assert refs("commune=90010")[0] == {in_belfort, old}
    assert refs("stage=arrears")[0] == {in_delle}
    today = utcnow().date()
    assert refs(f"date_from={(today - timedelta(days=1)).isoformat()}")[0] == {in_belfort, in_delle}
    assert refs(f"date_to={(today - timedelta(days=30)).isoformat()}")[0] == {old}
    assert refs("overdue=1")[0] == {old}
    assert refs(f"reference={in_delle.lower()}")[0] == {in_delle}
    assert refs("status=refusee")[0] == set()
    # Spreadsheet formulas come out as text.
    _, rows = refs("stage=arrears")
    header, row = rows[0], rows[1]
    assert row[header.index("nom")] == "'=HYPERLINK(\"http://evil\")"
    assert row[header.index("moments_preferes")] == "'+33 le soir"
    assert "export" in [a for a, _ in audit_actions(app)]


def test_reorientation_creates_a_new_referral_and_keeps_history(app):
    reference = submit(app.test_client(), structures=("cdad-90",))
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    fsl = staff_client(app, "agent@fsl.example", "fsl-90")
    rid = referral_ids(app, reference)["cdad-90"]
    # The household agreed on the phone: the staff member ticks the agreement box.
    r = cdad.post(f"/staff/demandes/{rid}/reorienter",
                  data={"structure": "fsl-90", "explanation": "Dette énergie", "agreement": "y"})
    assert r.status_code == 302
    ids = referral_ids(app, reference)
    with app.extensions["db_sessionmaker"]() as db:
        old, new = db.get(Referral, rid), db.get(Referral, ids["fsl-90"])
        assert (old.status, old.outcome) == ("cloturee", "reorientee")
        assert (new.status, new.reoriented_from_id) == ("nouvelle", rid)
        assert [e.kind for e in old.events] == ["created", "agreement", "reoriented", "status"]
        assert [e.kind for e in new.events] == ["agreement", "created"]
    page = fsl.get(f"/staff/demandes/{ids['fsl-90']}").get_data(as_text=True)
    assert "Dette énergie" in page and "Réorientée par" in page
    # The CDAD still reads its closed referral and its history.
    assert "Réorientée vers une autre structure" in cdad.get(f"/staff/demandes/{rid}").get_data(as_text=True)


def test_printable_summary_is_audited(app):
    reference = submit(app.test_client(), structures=("cdad-90",))
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    rid = referral_ids(app, reference)["cdad-90"]
    r = cdad.get(f"/staff/demandes/{rid}/imprimer")
    assert r.status_code == 200 and "Camille Test" in r.get_data(as_text=True)
    assert ("print", reference) in audit_actions(app)
    assert r.headers["Cache-Control"] == "no-store"


def test_staff_pages_require_login(app):
    reference = submit(app.test_client(), structures=("cdad-90",))
    rid = referral_ids(app, reference)["cdad-90"]
    anonymous = app.test_client()
    for path in ("/staff/", f"/staff/demandes/{rid}", "/staff/export.csv", "/staff/comptes"):
        r = anonymous.get(path)
        assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"], path


def test_accounts_page_is_for_admins_only(app):
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    assert agent.get("/staff/comptes").status_code == 404
    admin = staff_client(app, "admin@cdad.example", "cdad-90", admin=True)
    r = admin.post("/staff/comptes", data={"email": "new@fsl.example", "structure": "fsl-90",
                                           "password": "a long enough password"})
    assert r.status_code == 302
    assert login(app.test_client(), "new@fsl.example", "a long enough password").status_code == 302


def test_admin_sets_a_structure_mailbox(app):
    from webapp.referrals.models import StructureMailbox

    admin = staff_client(app, "admin@cdad.example", "cdad-90", admin=True)
    r = admin.post("/staff/comptes/boite", data={"mailbox_structure": "fsl-90", "mailbox_email": "pas une adresse"})
    assert r.status_code == 400 and 'id="mailbox_email-error"' in r.get_data(as_text=True)
    r = admin.post("/staff/comptes/boite", data={"mailbox_structure": "fsl-90", "mailbox_email": "FSL@cd90.example"})
    assert r.status_code == 302
    with app.extensions["db_sessionmaker"]() as db:
        assert db.get(StructureMailbox, "fsl-90").email == "fsl@cd90.example"
    assert "fsl@cd90.example" in admin.get("/staff/comptes").get_data(as_text=True)
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    assert agent.post("/staff/comptes/boite", data={"mailbox_structure": "fsl-90",
                                                    "mailbox_email": "x@y.example"}).status_code == 404


def test_inbox_pages_by_100_while_the_export_holds_everything(app, monkeypatch):
    from webapp.staff import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    references = [submit(app.test_client(), structures=("cdad-90",)) for _ in range(3)]
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    first = cdad.get("/staff/").get_data(as_text=True)
    second = cdad.get("/staff/?page=2").get_data(as_text=True)
    assert sum(r in first for r in references) == 2 and sum(r in second for r in references) == 1
    assert "Page 1 sur 2" in first and 'rel="next"' in first and 'rel="prev"' in second
    assert cdad.get("/staff/?page=99").status_code == 200
    exported = cdad.get("/staff/export.csv").get_data(as_text=True)
    assert all(r in exported for r in references)


def test_the_commune_filter_sorts_accented_names_among_the_others(app):
    """Étueffont sat after Vétrigne: sorted by name with its accent, not by the letter people look for."""
    client = staff_client(app, "tri@example.org", "cdad-90")
    page = client.get("/staff/").get_data(as_text=True)
    names = re.findall(r'<option value="\d{5}"[^>]*>([^<]+)</option>', page)
    assert "Étueffont" in names and "Essert" in names and "Évette-Salbert" in names
    assert names.index("Essert") < names.index("Étueffont") < names.index("Évette-Salbert") < names.index("Faverois")


def test_out_of_range_ids_and_dates_in_staff_urls_are_404s_and_ignored_filters(app):
    """"Python int too large to convert to SQLite INTEGER" and a date_to of
    9999-12-31 (whose next day overflows) were 500s."""
    client = staff_client(app, "agent@cdad.example", "cdad-90")
    assert client.get("/staff/demandes/99999999999999999999999").status_code == 404
    assert client.get("/staff/demandes/0").status_code == 404
    assert client.get("/staff/?date_to=9999-12-31").status_code == 200
    assert client.get("/staff/export.csv?date_to=9999-12-31&date_from=0001-01-01").status_code == 200


def test_a_deadline_gone_by_since_the_request_says_so_to_staff(app):
    """Staff read a request days later: a date passed by then is marked (re-check: it was not)."""
    household = app.test_client()
    set_triage_request(household, dict(TENANT_REQUEST, stage="commandement_de_payer", hearing_date=None))
    reference = submit(household, structures=("cdad-90",))
    cdad = staff_client(app, "agent@cdad.example", "cdad-90")
    page = cdad.get(f"/staff/demandes/{referral_ids(app, reference)['cdad-90']}").get_data(as_text=True)
    # The commandement of 10 January 2026 on a 2024 lease: 6 weeks, 21 February 2026, gone by.
    assert re.search(r'<time datetime="2026-02-21">[^<]+</time> \(date passée\)', page)
