"""POST /api/triage and GET /api/openapi.json through the real app."""
import pytest

from tests.helpers import make_test_app
from tests.triage.triage_helpers import communes

TODAY = "2026-05-04"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    # One app for the module: the API keeps no state, and building an app
    # per test (migrations included) would make the 101-commune table slow.
    return make_test_app(tmp_path_factory.mktemp("triage-api")).test_client()


def post(client, body, **headers):
    return client.post("/api/triage", json=body, headers=headers)


def fields(response):
    assert response.status_code == 400, response.get_data(as_text=True)
    return [e["field"] for e in response.get_json()["errors"]]


def test_tenant_commandement_answer(client):
    r = post(client, {"role": "tenant", "stage": "commandement_de_payer", "commune": "90010",
                      "commandement_date": "2026-01-31", "lease_date": "2023-07-29", "today": TODAY})
    assert r.status_code == 200
    data = r.get_json()
    assert data["urgency"] == "high"
    assert {"cdad", "social_worker"} <= {o["kind"] for o in data["orientations"]}
    assert data["deadlines"] == [{"kind": "payment_deadline", "date": "2026-03-14", "passed": True,
                                  "label": data["deadlines"][0]["label"],
                                  "link": "/infos/locataire/commandement-de-payer"}]
    assert set(data) == {"urgency", "orientations", "deadlines", "next_steps", "sources"}


def test_landlord_answer_has_an_action_plan(client):
    r = post(client, {"role": "landlord", "housing_benefit": "paid_to_landlord", "today": TODAY})
    data = r.get_json()
    assert r.status_code == 200 and [o["kind"] for o in data["orientations"]][:2] == ["cdad", "caf"]
    assert data["action_plan"][0]["kind"] == "contact_tenant"


def test_landlord_with_visale_gets_the_visale_step_after_contacting_the_tenant(client):
    r = post(client, {"role": "landlord", "has_visale": True, "today": TODAY, "lang": "en"})
    assert r.status_code == 200
    plan = r.get_json()["action_plan"]
    assert [s["kind"] for s in plan][:2] == ["contact_tenant", "visale_notice"]
    visale = plan[1]
    assert visale["date"] is None and "within 15 days of the first unpaid rent" in visale["label"]
    assert "https://generali.fr/actu/visale-protection-loyers-impayes" in {s["url"] for s in visale["sources"]}
    without = post(client, {"role": "landlord", "has_visale": False, "today": TODAY}).get_json()["action_plan"]
    assert "visale_notice" not in {s["kind"] for s in without}


def test_openapi_document_lists_has_visale_and_its_step(client):
    doc = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert doc["TriageRequest"]["properties"]["has_visale"]["type"] == "boolean"
    assert "visale_notice" in doc["ActionStep"]["properties"]["kind"]["enum"]


@pytest.mark.parametrize("commune", [c["insee"] for c in communes()])
def test_every_commune_gets_its_social_worker_site(client, commune):
    r = post(client, {"role": "tenant", "stage": "arrears", "commune": commune, "today": TODAY})
    assert r.status_code == 200
    [social] = [o for o in r.get_json()["orientations"] if o["kind"] == "social_worker"]
    assert social["structure"] is not None and social["structure"]["id"].startswith("esd-")
    assert social["structure"]["name"]


def test_the_departement_has_101_communes():
    assert len(communes()) == 101


@pytest.mark.parametrize("body, field", [
    ({}, "role"),
    ({"role": "owner"}, "role"),
    ({"role": 1}, "role"),
    ({"role": "tenant", "stage": "eviction"}, "stage"),
    ({"role": "tenant", "colour": "blue"}, "colour"),
    ({"role": "tenant", "debt_eur": "1200"}, "debt_eur"),
    ({"role": "tenant", "debt_eur": -5}, "debt_eur"),
    ({"role": "tenant", "debt_eur": True}, "debt_eur"),
    ({"role": "tenant", "household_size": 2.5}, "household_size"),
    ({"role": "tenant", "household_size": 0}, "household_size"),
    ({"role": "tenant", "resumed_rent": "yes"}, "resumed_rent"),
    ({"role": "landlord", "has_visale": "oui"}, "has_visale"),
    ({"role": "landlord", "has_visale": 1}, "has_visale"),
    ({"role": "tenant", "hearing_date": "2026-02-30"}, "hearing_date"),
    ({"role": "tenant", "hearing_date": "30/04/2026"}, "hearing_date"),
    ({"role": "tenant", "commandement_date": 20260101}, "commandement_date"),
    ({"role": "tenant", "commandement_date": "2026-06-01", "today": TODAY}, "commandement_date"),
    ({"role": "tenant", "today": "2026-13-01"}, "today"),
    ({"role": "tenant", "commune": "25056"}, "commune"),     # Besançon, Doubs
    ({"role": "tenant", "commune": "90999"}, "commune"),     # no such commune
    ({"role": "tenant", "commune": "Belfort"}, "commune"),
    ({"role": "tenant", "commune": 90010}, "commune"),
    ({"role": "tenant", "housing_benefit": "caf"}, "housing_benefit"),
    ({"role": "tenant", "overindebtedness": True}, "overindebtedness"),
    ({"role": "tenant", "lang": "de"}, "lang"),
    ({"role": "tenant", "landlord_kind": "hlm"}, "landlord_kind"),
])
def test_bad_input_is_a_400_naming_the_field(client, body, field):
    r = post(client, body)
    assert fields(r) == [field]
    assert r.get_json()["errors"][0]["message"]


def test_every_problem_is_reported_at_once(client):
    r = post(client, {"role": "tenant", "stage": "x", "foo": 1, "debt_eur": "1"})
    assert sorted(fields(r)) == ["debt_eur", "foo", "stage"]


@pytest.mark.parametrize("data", ["not json", "[1, 2]", "null", '"tenant"', "{"])
def test_a_body_that_is_not_a_json_object_is_a_400_on_body(client, data):
    r = client.post("/api/triage", data=data, content_type="application/json")
    assert fields(r) == ["body"]


def test_messages_follow_lang_then_accept_language(client):
    fr = post(client, {"role": "tenant", "commune": "25056"}).get_json()["errors"][0]["message"]
    en = post(client, {"role": "tenant", "commune": "25056", "lang": "en"}).get_json()["errors"][0]["message"]
    header = post(client, {"role": "tenant", "commune": "25056"},
                  **{"Accept-Language": "en-GB,en;q=0.8"}).get_json()["errors"][0]["message"]
    assert "Territoire de Belfort" in fr and fr.startswith("Cette commune")
    assert en.startswith("This commune is not in the Territoire de Belfort")
    assert header == en


def test_answer_language_follows_accept_language(client):
    r = post(client, {"role": "tenant", "stage": "arrears", "today": TODAY}, **{"Accept-Language": "en"})
    assert r.get_json()["next_steps"][0]["text"].startswith("Pay each month's rent")


def test_get_is_not_allowed_and_never_a_500(client):
    assert client.get("/api/triage").status_code == 405


def test_openapi_document_describes_triage_and_says_no_weekend_shift(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"].startswith("3.1")
    op = doc["paths"]["/api/triage"]["post"]
    assert "400" in op["responses"] and "200" in op["responses"]
    assert "not shifted for weekends or public holidays" in op["description"]
    request = doc["components"]["schemas"]["TriageRequest"]
    assert request["additionalProperties"] is False and request["required"] == ["role"]
    assert request["properties"]["stage"]["enum"][-1] == "illegal_eviction"


ODD_VALUES = [None, True, False, 0, -1, 1.5, 10**30, "", "x" * 5000, "2024-02-29", "2023-02-29",
              [], {}, ["tenant"], {"a": 1}, "90010", "tenant"]
FIELDS = ["role", "landlord_kind", "stage", "commune", "debt_eur", "rent_eur", "monthly_income_eur",
          "household_size", "resumed_rent", "housing_benefit", "private_sector_employee", "other_debts",
          "overindebtedness", "lease_date", "commandement_date", "hearing_date", "judgment_served_date",
          "commandement_de_quitter_date", "today", "lang", "has_visale"]


@pytest.mark.parametrize("field", FIELDS)
def test_no_value_of_any_field_makes_a_500(client, field):
    for value in ODD_VALUES:
        body = {"role": "landlord", "stage": "commandement_de_quitter", "commune": "90010",
                "commandement_de_quitter_date": "2026-01-31", field: value}
        r = post(client, body)
        assert r.status_code in (200, 400), (field, value, r.get_data(as_text=True)[:300])
        if r.status_code == 400:
            assert all(e["field"] and e["message"] for e in r.get_json()["errors"])


def test_non_finite_numbers_are_refused(client):
    for raw in ('{"role": "tenant", "debt_eur": NaN}', '{"role": "tenant", "debt_eur": Infinity}'):
        r = client.post("/api/triage", data=raw, content_type="application/json")
        assert r.status_code == 400


def test_openapi_document_merges_every_area_part(client):
    from pathlib import Path

    import yaml

    doc = client.get("/api/openapi.json").get_json()
    parts = sorted((Path(__file__).resolve().parents[2] / "webapp").glob("*/openapi.yaml"))
    assert len(parts) >= 1
    for part in parts:
        data = yaml.safe_load(part.read_text(encoding="utf-8"))
        assert set(data.get("paths") or {}) <= set(doc["paths"]), part
        assert set((data.get("components") or {}).get("schemas") or {}) <= set(doc["components"]["schemas"])


@pytest.mark.parametrize("lease_date, precision, case_words", [
    # "juillet 2023" holds the 29th: no day may be picked, the shorter period is given with its warning.
    ("2023-07-01", "month", ("6 semaines", "peut être de 2 mois")),
    ("2023-11-01", "year", ("6 semaines", "peut être de 2 mois")),     # "en 2023"
    ("2021-03-01", "month", ("2 mois, jusqu'au 2 janvier 2027", "bail a été signé avant")),   # wholly before
    ("2023-08-01", "month", ("6 semaines", "depuis le 29 juillet")),    # "août 2023": wholly after
    ("2023-07-01", "day", ("2 mois, jusqu'au 2 janvier 2027", "bail a été signé avant")),      # a real day
])
def test_a_lease_date_known_to_the_month_or_year_never_picks_the_period(client, lease_date, precision, case_words):
    r = post(client, {"role": "tenant", "stage": "commandement_de_payer", "commune": "90010",
                      "commandement_date": "2026-11-02", "lease_date": lease_date,
                      "lease_date_precision": precision, "today": "2026-11-24"})
    assert r.status_code == 200, r.get_data(as_text=True)
    [pay] = [d for d in r.get_json()["deadlines"] if d["kind"] == "payment_deadline"]
    assert all(word in pay["label"] for word in case_words), pay["label"]
    # The tenant's date is the safe one in every case; the long one is in the text.
    assert pay["date"] == "2026-12-14"


def test_an_unknown_lease_date_precision_is_a_400_with_its_field(client):
    r = post(client, {"role": "tenant", "lease_date": "2023-07-01", "lease_date_precision": "week"})
    assert fields(r) == ["lease_date_precision"]


def test_json_nested_too_deeply_is_a_400_naming_the_body(client):
    """The standard parser raises RecursionError on such a body: a 500 before."""
    r = client.post("/api/triage", data="[" * 50_000 + "]" * 50_000, content_type="application/json")
    assert r.status_code == 400
    assert r.get_json()["errors"][0]["field"] == "body"


def test_a_payment_period_gone_by_is_marked_and_changes_the_advice(client):
    """"Payez la dette avant la date limite" under a date already past (review):
    the deadline says it has passed, and the step says what still helps."""
    r = post(client, {"role": "tenant", "stage": "commandement_de_payer", "commandement_date": "2023-11-24",
                      "lease_date": "2023-08-01", "today": TODAY})
    data = r.get_json()
    [pay] = data["deadlines"]
    assert pay["date"] == "2024-01-05" and pay["passed"] is True
    texts = [step["text"] for step in data["next_steps"]]
    assert not any(t.startswith("Payez la dette avant la date limite") for t in texts)
    assert any(t.startswith("Le délai pour payer est passé") and "3 ans" in t for t in texts)


def test_the_truce_holds_even_where_the_judge_removed_the_two_months(client):
    """The label said "no eviction before 1 April, unless the judge removed the 2 months":
    removing them does not lift the truce (brief §1.1 rows 8 and 10)."""
    data = post(client, {"role": "tenant", "stage": "commandement_de_quitter",
                         "commandement_de_quitter_date": "2026-10-01", "today": "2026-11-24"}).get_json()
    [eviction] = [d for d in data["deadlines"] if d["kind"] == "earliest_eviction"]
    assert eviction["date"] == "2027-04-01"
    assert "sauf si le juge" not in eviction["label"]
    assert "La trêve vous protège, même si le juge a supprimé ces 2 mois" in eviction["label"]


def test_after_the_judgment_the_social_worker_is_not_said_to_inform_the_judge(client):
    data = post(client, {"role": "tenant", "stage": "jugement", "commune": "90010", "today": TODAY}).get_json()
    [social] = [o for o in data["orientations"] if o["kind"] == "social_worker"]
    assert "avant de décider" not in social["reason"] and "après le jugement" in social["reason"]


def test_an_eviction_possible_within_two_weeks_is_as_urgent_as_a_close_hearing(client):
    """Eviction possible in 2 days read "high" while a hearing in 14 days read "immediate"."""
    soon = post(client, {"role": "tenant", "stage": "commandement_de_quitter",
                         "commandement_de_quitter_date": "2026-07-27", "today": "2026-09-25"}).get_json()
    assert soon["urgency"] == "immediate"
    later = post(client, {"role": "tenant", "stage": "commandement_de_quitter",
                          "commandement_de_quitter_date": "2026-09-20", "today": "2026-09-25"}).get_json()
    assert later["urgency"] == "high"
