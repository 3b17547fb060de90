"""National numbers in the triage's answers come from the directory, where staff correct them."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from tests.referrals.referral_helpers import login, make_staff
from tests.triage.triage_helpers import CONTENT, RULES, TODAY, directory, situation
from webapp.directory.model import Contact, StructureEdits
from webapp.triage.engine import HELPLINE_ENTRIES, evaluate
from webapp.triage.rules import RuleError, Rules

DIRECTORY = directory()
BELFORT = "90010"


def run(directory=DIRECTORY, **kw):
    kw.setdefault("commune", BELFORT)
    return evaluate(situation(**kw), RULES, directory, kw.get("lang", "fr"))


def phone_of(structure_id, directory=DIRECTORY):
    return directory.structure(structure_id).contact("phone").value


def texts(result) -> str:
    return " ".join([o["reason"] for o in result.orientations] + [s["text"] for s in result.next_steps])


def staff_declared(phone: str | None) -> StructureEdits:
    """What the back office records when an agent sets (or clears, with None) a phone."""
    contact = None if phone is None else Contact(value=phone, source="Déclaré par la structure (agent@example.org)",
                                                  verified=TODAY, declared_by="agent@example.org")
    return StructureEdits(contacts={"phone": contact}, referral=None, edited_on=TODAY)


# The data --------------------------------------------------------------------

def test_the_rule_data_holds_no_helpline_number():
    for name in ("procedure.yaml", "aids.yaml"):
        params = yaml.safe_load((CONTENT / "rules" / name).read_text(encoding="utf-8"))
        assert "helplines" not in params
        assert all("phone" not in node for key, node in params.items() if key != "police_emergency"), name
    assert RULES.police_phone == "17"


def test_a_helpline_number_written_back_into_the_rules_is_refused_at_load_time():
    params = {**RULES.params, "banque_de_france": {**RULES.param("banque_de_france"), "phone": "34 14"}}
    with pytest.raises(RuleError, match="directory"):
        Rules(params, RULES.texts)
    nested = {**RULES.params, "helplines": {"status": "CONFIRMED", "sos": {"phone": "0 805 160 075"}}}
    with pytest.raises(RuleError, match="directory"):
        Rules(nested, RULES.texts)
    no_police = {k: v for k, v in RULES.params.items() if k != "police_emergency"}
    with pytest.raises(RuleError, match="police_emergency"):
        Rules(no_police, RULES.texts)


@pytest.mark.parametrize("name, structure_id", sorted(HELPLINE_ENTRIES.items()))
def test_every_number_the_triage_quotes_is_a_sourced_directory_entry(name, structure_id):
    structure = DIRECTORY.structure(structure_id)
    assert structure is not None and structure.type == "helpline" and structure.communes_served == "national"
    phone = structure.contact("phone")
    assert phone is not None and phone.source_is_url and isinstance(phone.verified, dt.date)


# The answers -----------------------------------------------------------------

def test_tenant_answer_quotes_the_directorys_numbers_with_their_sources():
    result = run(stage="assignation", other_debts=True)
    reasons = {o["kind"]: o["reason"] for o in result.orientations}
    assert phone_of("allo-prevention-expulsion") in reasons["helpline"]
    assert phone_of("banque-de-france-3414") in reasons["banque_de_france"]
    links = [s["link"] for s in result.next_steps]
    assert "tel:3039" in links and "tel:0805299049" in links
    urls = {s["url"] for s in result.sources}
    for structure_id in ("allo-prevention-expulsion", "banque-de-france-3414", "point-justice-3039"):
        assert DIRECTORY.structure(structure_id).contact("phone").source in urls
    assert len(urls) == len(result.sources)


def test_landlord_answer_quotes_sos_loyers_impayes_from_the_directory():
    result = run(role="landlord", lang="en")
    sos = phone_of("sos-loyers-impayes")
    assert sos in [o for o in result.orientations if o["kind"] == "helpline"][0]["reason"]
    assert any(s["link"] == "tel:0805160075" and sos in s["text"] for s in result.next_steps)
    assert DIRECTORY.structure("sos-loyers-impayes").contact("phone").source in {s["url"] for s in result.sources}


def test_police_17_comes_from_the_rules_not_the_directory():
    result = run(stage="illegal_eviction")
    assert DIRECTORY.nearest(BELFORT, "police") is None
    assert "17" in result.orientations[0]["reason"] and result.next_steps[0]["link"] == "tel:17"


def test_a_number_edited_in_the_directory_is_the_one_quoted():
    edited = DIRECTORY.with_edits({
        "allo-prevention-expulsion": staff_declared("08 05 00 00 01"),
        "sos-loyers-impayes": staff_declared("08 05 00 00 02"),
        "point-justice-3039": staff_declared("3000"),
        "banque-de-france-3414": staff_declared("3001"),
    })
    tenant = run(edited, stage="arrears", other_debts=True)
    landlord = run(edited, role="landlord")
    for result, new, old in ((tenant, "08 05 00 00 01", "0 805 299 049"), (tenant, "3000", "3039"),
                             (tenant, "3001", "34 14"), (landlord, "08 05 00 00 02", "0 805 160 075")):
        assert new in texts(result) and old not in texts(result)
    assert {"tel:0805000001", "tel:3000"} <= {s["link"] for s in tenant.next_steps}
    # A staff declaration has no public URL to cite, and the agent stays in the back office.
    assert "Déclaré" not in str(tenant.sources) and "agent@" not in str(tenant.to_dict())


def test_a_cleared_number_leaves_its_helpline_out_rather_than_printing_a_blank():
    cleared = DIRECTORY.with_edits({sid: staff_declared(None) for sid in HELPLINE_ENTRIES.values()})
    tenant = run(cleared, stage="assignation", other_debts=True)
    assert "helpline" not in [o["kind"] for o in tenant.orientations]
    bdf = [o for o in tenant.orientations if o["kind"] == "banque_de_france"][0]
    assert bdf["reason"].startswith("Vous avez d'autres dettes.") and "téléphone" not in bdf["reason"]
    assert not any(s["link"] and s["link"].startswith("tel:") for s in tenant.next_steps)
    landlord = run(cleared, role="landlord")
    assert "helpline" not in [o["kind"] for o in landlord.orientations]
    for result in (tenant, landlord):
        assert "None" not in texts(result) and "{phone}" not in texts(result)


# Through the back office -----------------------------------------------------

def test_a_staff_edit_of_a_helpline_number_shows_in_the_triage_answer(app):
    """An admin corrects Allô Prévention Expulsion's number: the API answers with it at once, in both languages."""
    public = app.test_client()
    body = {"role": "tenant", "stage": "arrears", "commune": BELFORT, "today": TODAY.isoformat()}
    before = public.post("/api/triage", json=body).get_json()
    assert "0 805 299 049" in before["orientations"][-1]["reason"]

    make_staff(app, "admin@cdad.example", "cdad-90", admin=True)
    admin = app.test_client()
    assert login(admin, "admin@cdad.example").status_code == 302
    ape = DIRECTORY.structure("allo-prevention-expulsion")
    hours = ape.contact("opening_hours").value
    form = {"address": "", "phone": "0805000001", "email": "", "website": "",
            "opening_hours_fr": hours["fr"], "opening_hours_en": hours["en"],
            "referral_fr": ape.referral["fr"], "referral_en": ape.referral["en"]}
    assert admin.post("/staff/structures/allo-prevention-expulsion/modifier", data=form).status_code == 302

    for lang in ("fr", "en"):
        after = public.post("/api/triage", json={**body, "lang": lang}).get_json()
        helpline = after["orientations"][-1]
        assert helpline["kind"] == "helpline" and "08 05 00 00 01" in helpline["reason"]
        assert "0 805 299 049" not in str(after)
        assert any(s["link"] == "tel:0805000001" and "08 05 00 00 01" in s["text"] for s in after["next_steps"])


# "Appel gratuit" ---------------------------------------------------------------

# What says a phone call is free ("le CDAD aide gratuitement", "un avocat
# gratuit" say a service is free of charge: not the directory's fact).
FREE_CALL_MARKS = ("appel gratuit", "(gratuit)", "conseil gratuit", "free call", "(free)", "free advice")


def says_free_call(result) -> bool:
    return any(mark in texts(result) for mark in FREE_CALL_MARKS)

def directory_without_free_calls(tmp_path):
    """The real directory files, except that no helpline says its call is free (free_call: null)."""
    import shutil

    from webapp.directory.model import Directory

    for part in ("communes", "structures", "sectors"):
        shutil.copytree(CONTENT / part, tmp_path / part)
    for structure_id in HELPLINE_ENTRIES.values():
        path = tmp_path / "structures" / f"{structure_id}.yaml"
        text = path.read_text(encoding="utf-8")
        if "free_call:" in text:
            start = text.index("free_call:")
            end = text.index("\n", text.index("verified:", start)) + 1
            path.write_text(text[:start] + "free_call: null\n" + text[end:], encoding="utf-8")
    return Directory.load(tmp_path)


def test_the_free_mark_and_the_hours_follow_the_number_as_the_directory_gives_them():
    tenant = run(stage="assignation")
    helpline = [o for o in tenant.orientations if o["kind"] == "helpline"][0]["reason"]
    assert helpline.endswith("au 0 805 299 049 (appel gratuit ; du lundi au vendredi, de 14 h à 17 h).")
    steps = [s["text"] for s in tenant.next_steps]
    assert "Pour être orienté·e vers le point-justice le plus proche de chez vous, appelez le 3039 (appel gratuit)." in steps
    assert ("Appelez Allô Prévention Expulsion au 0 805 299 049 (appel gratuit ; du lundi au vendredi, "
            "de 14 h à 17 h).") in steps
    assert says_free_call(tenant)
    landlord = run(role="landlord", lang="en")
    assert "Call SOS Loyers impayés on 0 805 160 075 (free call; Monday to Friday)." in [
        s["text"] for s in landlord.next_steps]
    # "Appel gratuit" is a fact of the directory: its source is cited with the number's.
    free_source = DIRECTORY.structure("sos-loyers-impayes").free_call.source
    assert free_source in {s["url"] for s in landlord.sources}


def test_no_free_mark_where_the_directory_does_not_say_the_call_is_free(tmp_path):
    not_free = directory_without_free_calls(tmp_path)
    tenant, landlord = run(not_free, stage="assignation"), run(not_free, role="landlord")
    en = run(not_free, stage="assignation", lang="en")
    for result in (tenant, landlord, en):
        assert not says_free_call(result)
    assert "point-justice le plus proche de chez vous, appelez le 3039." in texts(tenant)
    # The hours are still the directory's, without "appel gratuit" before them.
    assert "au 0 805 299 049 (du lundi au vendredi, de 14 h à 17 h)." in texts(tenant)
    assert "Appelez SOS Loyers impayés au 0 805 160 075 (du lundi au vendredi)." in texts(landlord)
    # Only a phone line's price is a fact of the directory: the brief says
    # nothing of the CDAD's, so its text never calls it free.
    [cdad] = [o["reason"] for o in run(role="landlord").orientations if o["kind"] == "cdad"]
    assert "CDAD" in cdad and "gratuit" not in cdad


def test_a_number_staff_changed_is_not_called_free():
    edited = DIRECTORY.with_edits({
        "allo-prevention-expulsion": staff_declared("08 05 00 00 01"),
        "sos-loyers-impayes": staff_declared("08 05 00 00 02"),
        "point-justice-3039": staff_declared("3000"),
    })
    tenant, landlord = run(edited, stage="assignation"), run(edited, role="landlord")
    assert "point-justice le plus proche de chez vous, appelez le 3000." in texts(tenant)
    assert "Appelez Allô Prévention Expulsion au 08 05 00 00 01 (du lundi au vendredi, de 14 h à 17 h)." in texts(tenant)
    assert "Appelez SOS Loyers impayés au 08 05 00 00 02 (du lundi au vendredi)." in texts(landlord)
    for result in (tenant, landlord):
        assert not says_free_call(result) and "{notes}" not in texts(result)
    # The free call's source is not cited for a number it was not checked for.
    assert DIRECTORY.structure("point-justice-3039").free_call.source not in {s["url"] for s in tenant.sources}
