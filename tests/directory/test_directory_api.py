"""The directory's JSON API through the real app."""
from __future__ import annotations

import pytest

from webapp.directory import get_directory



@pytest.fixture
def communes(app):
    with app.app_context():
        return get_directory(app).communes()


def errors_by_field(response):
    assert response.is_json
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def test_nearest_social_worker_answers_for_all_101_communes(client, communes):
    """Must show: every INSEE code gets a site with its name and only verified contact details."""
    assert len(communes) == 101
    for c in communes:
        response = client.get(f"/api/nearest?commune={c.insee}&kind=social_worker")
        assert response.status_code == 200, c.insee
        body = response.get_json()
        site = body["structure"]
        assert site["type"] in ("esd", "esd_antenne") and site["name"]
        assert body["sector_provisional"] is True
        assert body["commune"]["insee"] == c.insee
        for field, key in (("address", "address"), ("phone", "phone"), ("email", "email"), ("url", "website")):
            assert (site[field] is None) == (key not in site["contact_sources"]), (c.insee, field)


def test_communes_lookup_by_postcode_returns_every_commune(client):
    body = client.get("/api/communes?q=90300").get_json()
    assert len(body["communes"]) == 7
    assert {"insee", "name", "postcodes", "epci"} <= set(body["communes"][0])


def test_communes_lookup_by_name_with_st(client):
    body = client.get("/api/communes?q=St%20Dizier").get_json()
    assert [c["name"] for c in body["communes"]] == ["Saint-Dizier-l'Évêque"]


@pytest.mark.parametrize("url, field", [
    ("/api/communes", "q"),
    ("/api/communes?q=", "q"),
    ("/api/communes?q=" + "a" * 101, "q"),
    ("/api/structures?type=plumber", "type"),
    ("/api/structures?commune=75056", "commune"),
    ("/api/structures?lang=de", "lang"),
    ("/api/nearest?kind=cdad", "commune"),
    ("/api/nearest?commune=90010", "kind"),
    ("/api/nearest?commune=90010&kind=plumber", "kind"),
    ("/api/nearest?commune=abc&kind=cdad", "commune"),
])
def test_bad_parameters_give_400_naming_the_field(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    fields = errors_by_field(response)
    assert field in fields and fields[field]


def test_every_bad_parameter_is_reported_at_once(client):
    response = client.get("/api/nearest?commune=99999&kind=plumber")
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"commune", "kind"}


def test_structures_by_type_and_commune(client):
    esds = client.get("/api/structures?type=esd").get_json()["structures"]
    assert len(esds) == 4 and all(s["provisional"] for s in esds)
    ids = {s["id"] for s in client.get("/api/structures?commune=90033").get_json()["structures"]}
    assert "esd-antenne-delle" in ids and "esd-secteur-belfort" not in ids


def test_one_structure_and_unknown_one(client):
    cdad = client.get("/api/structures/cdad-90").get_json()["structure"]
    assert cdad["phone"] is None and cdad["page"] == "/annuaire/cdad-90"
    response = client.get("/api/structures/nope")
    assert response.status_code == 404
    assert "id" in errors_by_field(response)


def test_english_texts_come_from_the_data(client):
    body = client.get("/api/structures/territoire-habitat?lang=en").get_json()["structure"]
    assert body["name"] == "Territoire Habitat (public social landlord)"
    assert body["phone"] == "03 84 36 70 00"


def test_structure_says_whether_its_line_is_a_free_call_with_the_source(client):
    """The bot reads "gratuit" from here: true only with a source, false when not known."""
    pj = client.get("/api/structures/point-justice-3039").get_json()["structure"]
    assert pj["free_call"] is True
    assert pj["contact_sources"]["free_call"]["source"].startswith("https://www.justice.gouv.fr/")
    assert pj["contact_sources"]["free_call"]["verified"] == "2026-11-23"
    bdf = client.get("/api/structures/banque-de-france-3414?lang=en").get_json()["structure"]
    assert bdf["free_call"] is False and "free_call" not in bdf["contact_sources"]
    cdad = client.get("/api/structures/cdad-90").get_json()["structure"]
    assert cdad["free_call"] is False and cdad["phone"] is None
    listed = client.get("/api/structures?type=helpline").get_json()["structures"]
    assert {s["id"] for s in listed if s["free_call"]} == {
        "allo-prevention-expulsion", "sos-loyers-impayes", "point-justice-3039"}


def test_police_has_no_directory_entry(client):
    body = client.get("/api/nearest?commune=90010&kind=police").get_json()
    assert body["structure"] is None and body["sector_provisional"] is False


def test_openapi_document_describes_the_directory_paths(client):
    doc = client.get("/api/openapi.json").get_json()
    for path in ("/api/communes", "/api/structures", "/api/structures/{id}", "/api/nearest"):
        assert path in doc["paths"]
    assert "DirectoryStructure" in doc["components"]["schemas"]
    assert "free_call" in doc["components"]["schemas"]["DirectoryStructure"]["properties"]


def test_cli_check_validates_the_files(runner):
    result = runner.invoke(args=["directory", "check"])
    assert result.exit_code == 0, result.output
    assert "101 communes" in result.output
