"""Staff keep their structure's entry current: own entry only, admins any, history, CSRF, validation."""
from __future__ import annotations

import html as html_lib
import re

from sqlalchemy import select

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import TENANT_REQUEST, login, make_staff
from webapp.directory.store import DirectoryChange
from webapp.staff.models import AuditEntry

EDIT = "/staff/structures/{}/modifier"


def form_data(**overrides) -> dict:
    """What the CDAD's edit form holds unchanged, with the given fields changed."""
    data = {
        "address": "", "phone": "", "email": "", "website": "",
        "opening_hours_fr": "", "opening_hours_en": "",
        "referral_fr": ("Coordonnées du CDAD à confirmer. En attendant, appelez le numéro national des points-justice : "
                        "il vous met en relation avec le point-justice le plus proche."),
        "referral_en": ("CDAD contact details to be confirmed. Meanwhile, call the national point-justice number: "
                        "it connects you to the nearest point-justice."),
    }
    data.update(overrides)
    return data


def main_part(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html_lib.unescape(response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0])


def staff_client(app, email, structure, admin=False):
    make_staff(app, email, structure, admin=admin)
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def test_staff_edit_of_own_structure_shows_everywhere(app):
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    public = app.test_client()
    before = main_part(public, "/annuaire/cdad-90")
    assert "Coordonnées à confirmer" in before and "Mis à jour le" not in before

    page = agent.get("/staff/ma-structure", follow_redirects=True)
    assert page.status_code == 200 and 'name="referral_fr"' in page.get_data(as_text=True)
    r = agent.post(EDIT.format("cdad-90"), data=form_data(phone="+33 (0)3.84.00.00.01",
                                                          address="1 rue de l'Exemple, 90000 Belfort",
                                                          opening_hours_fr="Lundi 9 h – 12 h"))
    assert r.status_code == 302

    after = main_part(public, "/annuaire/cdad-90")
    assert "03 84 00 00 01" in after and 'href="tel:+33384000001"' in after
    assert "1 rue de l'Exemple, 90000 Belfort" in after and "Lundi 9 h – 12 h" in after
    assert "Coordonnées à confirmer" not in after
    assert re.search(r"Mis à jour le (1er|\d{1,2}) \w+ \d{4} par la structure elle-même", after)
    assert "déclaré par la structure le" in after and "agent@cdad.example" not in after

    api = public.get("/api/structures/cdad-90").get_json()["structure"]
    assert api["phone"] == "03 84 00 00 01" and api["phone_uri"] == "tel:+33384000001"
    assert api["contact_sources"]["phone"]["source"] == "Déclaré par la structure"
    assert api["updated_on"] is not None
    nearest = public.get("/api/nearest?commune=90010&kind=cdad").get_json()["structure"]
    assert nearest["phone"] == "03 84 00 00 01"
    triage = public.post("/api/triage", json=TENANT_REQUEST).get_json()
    cdad = [o for o in triage["orientations"] if o["kind"] == "cdad"][0]["structure"]
    assert cdad["phone"] == "03 84 00 00 01" and cdad["address"] == "1 rue de l'Exemple, 90000 Belfort"
    # The English page shows the French hours when staff gave no translation.
    assert public.get("/api/structures/cdad-90?lang=en").get_json()["structure"]["opening_hours"] == "Lundi 9 h – 12 h"


def test_staff_cannot_edit_another_structure(app):
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    for structure in ("fsl-90", "no-such-structure", "..%2Fcdad-90"):
        assert agent.get(EDIT.format(structure)).status_code == 404
        assert agent.post(EDIT.format(structure), data=form_data(phone="3039")).status_code == 404
        assert agent.get(f"/staff/structures/{structure}/historique").status_code == 404
    assert app.test_client().get("/api/structures/fsl-90").get_json()["structure"]["phone"] is None
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(DirectoryChange)) is None
    # The admins' picker sends an agent back to their own entry.
    assert agent.get("/staff/structures?structure=fsl-90").headers["Location"].endswith(EDIT.format("cdad-90"))
    # Not logged in: the login page, never the form.
    r = app.test_client().get(EDIT.format("cdad-90"))
    assert r.status_code == 302 and "/staff/connexion" in r.headers["Location"]


def test_admin_edits_any_structure(app):
    admin = staff_client(app, "admin@cdad.example", "cdad-90", admin=True)
    page = admin.get(EDIT.format("sos-loyers-impayes")).get_data(as_text=True)
    # The form starts from what the public page shows now.
    structure = app.test_client().get("/api/structures/sos-loyers-impayes").get_json()["structure"]
    assert f'value="{html_lib.escape(structure["phone"])}"' in page
    data = {"address": "", "phone": structure["phone"], "email": "", "website": "",
            "opening_hours_fr": "Du lundi au vendredi", "opening_hours_en": "Monday to Friday",
            "referral_fr": "Appelez le numéro.", "referral_en": "Call the number."}
    picked = admin.get("/staff/structures?structure=sos-loyers-impayes")
    assert picked.headers["Location"].endswith(EDIT.format("sos-loyers-impayes"))
    assert admin.post(EDIT.format("sos-loyers-impayes"), data=data).status_code == 302
    en = app.test_client().get("/api/structures/sos-loyers-impayes?lang=en").get_json()["structure"]
    assert en["opening_hours"] == "Monday to Friday" and en["referral"] == "Call the number."
    # The footer's national numbers read the same directory.
    footer = app.test_client().get("/annuaire").get_data(as_text=True).split("<footer", 1)[1]
    assert "Du lundi au vendredi" in html_lib.unescape(footer)


def test_history_records_who_when_old_and_new(app):
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    agent.post(EDIT.format("cdad-90"), data=form_data(phone="03 84 00 00 01"))
    agent.post(EDIT.format("cdad-90"), data=form_data(phone="3039"))
    with app.extensions["db_sessionmaker"]() as db:
        changes = db.scalars(select(DirectoryChange).order_by(DirectoryChange.id)).all()
        audit = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "structure_edit")).all()
    assert [(c.field, c.old_value, c.new_value, c.staff_email) for c in changes] == [
        ("phone", None, "03 84 00 00 01", "agent@cdad.example"),
        ("phone", "03 84 00 00 01", "3039", "agent@cdad.example"),
    ]
    assert changes[0].at <= changes[1].at
    assert audit == ["cdad-90 phone", "cdad-90 phone"]
    page = main_part(agent, "/staff/structures/cdad-90/historique")
    assert page.count("agent@cdad.example") >= 2 and "03 84 00 00 01" in page and "3039" in page
    # Posting the same values again records nothing.
    agent.post(EDIT.format("cdad-90"), data=form_data(phone="30 39"))
    with app.extensions["db_sessionmaker"]() as db:
        assert len(db.scalars(select(DirectoryChange)).all()) == 2


def test_invalid_phone_is_reported_next_to_the_field_and_input_kept(app):
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    for bad in ("12345", "06 12 34 56", "+44 20 7946 0000", "call us"):
        r = agent.post(EDIT.format("cdad-90"), data=form_data(phone=bad, address="2 rue Gardée, 90000 Belfort",
                                                              email="accueil@cdad.example"))
        assert r.status_code == 400, bad
        page = r.get_data(as_text=True)
        field = re.search(r'<input[^>]*name="phone"[^>]*>', page).group(0)
        assert 'aria-describedby="phone-hint phone-error"' in field and 'aria-invalid="true"' in field
        assert 'id="phone-error"' in page and "pas un numéro français valide" in page
        assert 'value="2 rue Gardée, 90000 Belfort"' in page and 'value="accueil@cdad.example"' in page
    assert app.test_client().get("/api/structures/cdad-90").get_json()["structure"]["address"] is None


def test_other_fields_are_checked_too(app):
    agent = staff_client(app, "agent@cdad.example", "cdad-90")
    r = agent.post(EDIT.format("cdad-90"), data=form_data(email="not-an-address", website="www.example",
                                                          referral_en="", opening_hours_en="Monday"))
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    for name in ("email", "website", "referral_en", "opening_hours_fr"):
        assert f'id="{name}-error"' in page, name


def test_edit_requires_a_csrf_token(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)
    make_staff(app, "agent@cdad.example", "cdad-90")
    client = app.test_client()

    def token(url):
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)

    r = client.post("/staff/connexion", data={"email": "agent@cdad.example", "password": "correct horse battery",
                                              "csrf_token": token("/staff/connexion")})
    assert r.status_code == 302
    assert client.post(EDIT.format("cdad-90"), data=form_data(phone="3039")).status_code == 400
    assert app.test_client().get("/api/structures/cdad-90").get_json()["structure"]["phone"] is None
    good = form_data(phone="3039", csrf_token=token(EDIT.format("cdad-90")))
    assert client.post(EDIT.format("cdad-90"), data=good).status_code == 302
    assert app.test_client().get("/api/structures/cdad-90").get_json()["structure"]["phone"] == "3039"


def test_a_new_number_is_not_said_to_be_free_until_checked(app):
    """The files' "free call" was checked for the files' number, not for one staff typed."""
    admin = staff_client(app, "admin@cdad.example", "cdad-90", admin=True)
    public = app.test_client()
    sos = public.get("/api/structures/sos-loyers-impayes").get_json()["structure"]
    assert sos["free_call"] is True
    # The footer is drawn once per directory version and kept (webapp/layout.py):
    # drawn here, before the edit, it must still follow the edit below.
    footer = html_lib.unescape(public.get("/").get_data(as_text=True).split("<footer", 1)[1])
    assert "SOS Loyers" in footer and "tel:+33805160075" in footer
    data = {"address": "", "email": "", "website": "",
            "opening_hours_fr": "Du lundi au vendredi.", "opening_hours_en": "Monday to Friday.",
            "referral_fr": sos["referral"], "referral_en": "By phone."}

    # The same number typed without spaces is no change at all.
    assert admin.post(EDIT.format("sos-loyers-impayes"), data=dict(data, phone="0805160075")).status_code == 302
    assert public.get("/api/structures/sos-loyers-impayes").get_json()["structure"]["free_call"] is True

    r = admin.post(EDIT.format("sos-loyers-impayes"), data=dict(data, phone="01 23 45 67 89"),
                   follow_redirects=True)
    assert "ne le présente plus comme un appel gratuit" in html_lib.unescape(r.get_data(as_text=True))
    api = public.get("/api/structures/sos-loyers-impayes").get_json()["structure"]
    assert api["phone"] == "01 23 45 67 89" and api["free_call"] is False
    assert "free_call" not in api["contact_sources"]
    footer = html_lib.unescape(public.get("/").get_data(as_text=True).split("<footer", 1)[1])
    assert "01 23 45 67 89" not in footer and "SOS Loyers" not in footer
    contacts = main_part(public, "/annuaire/mes-contacts")
    assert "01 23 45 67 89</a> —" in contacts  # listed, with no "(appel gratuit)" after it

    # Back to the checked number: free again.
    r = admin.post(EDIT.format("sos-loyers-impayes"), data=dict(data, phone="0 805 160 075"), follow_redirects=True)
    assert "appel gratuit" not in html_lib.unescape(r.get_data(as_text=True))
    assert public.get("/api/structures/sos-loyers-impayes").get_json()["structure"]["free_call"] is True
