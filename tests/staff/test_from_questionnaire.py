"""Must show: a referral made from the tenant questionnaire's result reaches the chosen
structure's inbox pre-filled, and nowhere else; its status and outcome can be recorded."""
from __future__ import annotations

import html as htmllib
import re

from tests.referrals.referral_helpers import contact, login, make_staff, referral_ids
from tests.helpers import TENANT_ARREARS_ANSWERS

ARREARS = TENANT_ARREARS_ANSWERS


def test_questionnaire_result_to_structure_inbox_to_outcome(app):
    household = app.test_client()
    for slug, data in ARREARS:
        r = household.post(f"/questionnaire/locataire/{slug}", data={**data, "action": "next"})
        assert r.status_code == 302, slug
    result = household.get("/questionnaire/locataire/resultat").get_data(as_text=True)
    assert 'href="/etre-recontacte"' in result
    form = htmllib.unescape(household.get("/etre-recontacte").get_data(as_text=True))
    # Pre-filled from the questionnaire, nothing retyped.
    assert "850 €" in form and "Belfort" in form and "Impayés, pas encore de commandement de payer" in form
    ticked = [re.search(r'value="([^"]+)"', i).group(1)
              for i in re.findall(r'<input[^>]*name="structures"[^>]*>', form) if " checked" in i]
    esd = [s for s in ticked if s.startswith("esd-")]
    assert len(esd) == 1 and "cdad-90" in ticked
    data = contact(contact_name="Sam Questionnaire")
    data["structures"] = esd
    household.post("/etre-recontacte", data=data)
    household.post("/etre-recontacte/verifier", data={})
    page = household.get("/etre-recontacte/confirmation").get_data(as_text=True)
    reference = re.search(r'class="reference">([^<]+)<', page).group(1)

    make_staff(app, "agent@esd.example", esd[0])
    make_staff(app, "agent@cdad.example", "cdad-90")
    social_worker, cdad = app.test_client(), app.test_client()
    login(social_worker, "agent@esd.example")
    login(cdad, "agent@cdad.example")
    assert reference in social_worker.get("/staff/").get_data(as_text=True)
    assert reference not in cdad.get("/staff/").get_data(as_text=True)
    rid = referral_ids(app, reference)[esd[0]]
    assert cdad.get(f"/staff/demandes/{rid}").status_code == 404
    staff_page = htmllib.unescape(social_worker.get(f"/staff/demandes/{rid}").get_data(as_text=True))
    for expected in ("Sam Questionnaire", "850 €", "1\u202f100 €", "Versée au locataire", "Belfort"):
        assert expected in staff_page, expected
    social_worker.post(f"/staff/demandes/{rid}/statut", data={"to_status": "prise_en_charge"})
    r = social_worker.post(f"/staff/demandes/{rid}/statut",
                           data={"to_status": "cloturee", "reason": "issue:fsl_accorde"})
    assert r.status_code == 302
    staff_page = social_worker.get(f"/staff/demandes/{rid}").get_data(as_text=True)
    assert "Clôturée" in staff_page and "Aide du FSL accordée" in staff_page
