"""The référentiel's data and pure model: communes, lookups, sectors, sources."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from webapp.directory import get_directory
from webapp.directory.model import (CONTACT_FIELDS, KINDS, SOCIAL_WORK_TYPES, Contact, Directory,
                                    DirectoryError, StructureEdits)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory.load(CONTENT)


def names(communes):
    return [c.name for c in communes]


def test_communes_file_records_its_dataset_and_holds_101_communes():
    """The checked-in file names the dataset, its version and licence, and has the 101 communes."""
    data = json.loads((CONTENT / "communes" / "communes-90.json").read_text(encoding="utf-8"))
    assert data["dataset"]["name"] == "@etalab/decoupage-administratif"
    assert data["dataset"]["version"] == "6.0.0"
    assert "Licence Ouverte" in data["dataset"]["licence"]
    assert data["dataset"]["imported_on"]
    assert data["count"] == 101
    codes = [c["insee"] for c in data["communes"]]
    assert len(set(codes)) == 101 and all(code.startswith("90") for code in codes)


def test_every_commune_resolves_by_insee_name_and_postcode(directory):
    """Each of the 101 communes is found by its code, its exact name (first) and its postcode."""
    communes = directory.communes()
    assert len(communes) == 101
    for c in communes:
        assert directory.commune(c.insee) == c
        assert directory.find_communes(c.name)[0] == c, c.name
        assert c in directory.find_communes(c.insee)
        for postcode in c.postcodes:
            assert c in directory.find_communes(postcode)


def test_postcode_shared_by_several_communes_returns_them_all(directory):
    found = names(directory.find_communes("90300"))
    assert sorted(found) == sorted(["Cravanche", "Éloie", "Lachapelle-sous-Chaux", "Offemont",
                                    "Sermamagny", "Valdoie", "Vétrigne"])


def test_code_that_is_both_a_postcode_and_an_insee_code_offers_both(directory):
    """90100 is Delle's postcode (19 communes) and Vauthiermont's INSEE code: the user chooses."""
    found = directory.find_communes("90100")
    assert len(found) == 20
    assert "Delle" in names(found) and found[-1].name == "Vauthiermont"


@pytest.mark.parametrize("query, expected", [
    ("giromagni", ["Giromagny"]), ("danjoutain", ["Danjoutin"]), ("beaucour", ["Beaucourt"]),
    # Three letters inside a name are no match: "moi" gave Charmois in the chat.
    ("moi", []), ("xyzzy", []), ("besancon", []),
])
def test_a_name_spelled_as_heard_finds_the_commune(directory, query, expected):
    assert names(directory.find_communes(query))[:1] == expected


def test_postcode_plus_name_narrows_to_one(directory):
    assert names(directory.find_communes("90100 delle")) == ["Delle"]


@pytest.mark.parametrize("query, expected", [
    ("fêche l'église", "Fêche-l'Église"),
    ("FECHE L EGLISE", "Fêche-l'Église"),
    ("evette salbert", "Évette-Salbert"),
    ("Eloie", "Éloie"),
    ("vetrigne", "Vétrigne"),
    ("Châtenois-les-Forges", "Châtenois-les-Forges"),
    ("chatenois les forges", "Châtenois-les-Forges"),
    ("Montreux Chateau", "Montreux-Château"),
    ("lamadeleine-val-des-anges", "Lamadeleine-Val-des-Anges"),
    ("la madeleine", "Lamadeleine-Val-des-Anges"),
    ("  meroux   moval ", "Meroux-Moval"),
])
def test_names_ignore_accents_case_hyphens_and_spaces(directory, query, expected):
    assert directory.find_communes(query)[0].name == expected


@pytest.mark.parametrize("query", ["St-Dizier-l'Évêque", "st dizier l eveque", "Saint Dizier",
                                   "ST DIZIER", "St. Dizier"])
def test_st_and_saint_are_the_same(directory, query):
    assert names(directory.find_communes(query)) == ["Saint-Dizier-l'Évêque"]


def test_st_germain_finds_saint_germain_le_chatelet(directory):
    assert names(directory.find_communes("st germain"))[0] == "Saint-Germain-le-Châtelet"


def test_partial_name_lists_every_commune_containing_it(directory):
    assert sorted(names(directory.find_communes("rougemont"))) == [
        "Lachapelle-sous-Rougemont", "Romagny-sous-Rougemont", "Rougemont-le-Château"]


@pytest.mark.parametrize("query", ["", "   ", "Paris", "75001", "zz"])
def test_unknown_or_empty_queries_find_nothing(directory, query):
    assert directory.find_communes(query) == []


def test_every_commune_has_exactly_one_social_work_site(directory):
    """nearest(social_worker) gives an ESD or antenne for all 101 communes, whose sector lists the commune."""
    for c in directory.communes():
        site = directory.nearest(c.insee, "social_worker")
        assert site is not None, c.name
        assert site.type in SOCIAL_WORK_TYPES
        assert c in directory.sector_communes(site.id)
    sector_sizes = [len(directory.sector_communes(s.id)) for s in directory.structures()
                    if s.type in SOCIAL_WORK_TYPES]
    assert sum(sector_sizes) == 101


def test_antennas_serve_their_own_commune(directory):
    assert directory.nearest("90033", "social_worker").id == "esd-antenne-delle"
    assert directory.nearest("90052", "social_worker").id == "esd-antenne-giromagny"
    assert directory.nearest("90017", "social_worker").id == "esd-antenne-bourogne"
    assert directory.nearest("90010", "social_worker").id == "esd-secteur-belfort"


def test_sector_table_is_marked_provisional_and_matches_its_method():
    """The checked-in table is what the documented derivation gives (no hand edits)."""
    from tools.communes import derive_sectors

    table = yaml.safe_load((CONTENT / "sectors" / "social_work.yaml").read_text(encoding="utf-8"))
    assert table["provisional"] is True and table["derived_on"]
    data = json.loads((CONTENT / "communes" / "communes-90.json").read_text(encoding="utf-8"))
    method = yaml.safe_load((CONTENT / "sectors" / "social_work_method.yaml").read_text(encoding="utf-8"))
    assert method["provisional"] is True and method["method_fr"] and method["method_en"]
    assert derive_sectors.assign(data["communes"], method) == table["sectors"]


def test_provisional_esd_are_flagged_and_have_no_invented_contact(directory):
    esds = directory.structures(type="esd")
    assert len(esds) == 4
    for s in esds:
        assert s.provisional
        assert "à confirmer" in s.name["fr"]
        assert not s.has_contact
    assert len(directory.structures(type="esd_antenne")) == 3


@pytest.mark.parametrize("kind, expected", [
    ("cdad", "cdad-90"), ("fsl", "fsl-90"), ("banque_de_france", "banque-de-france-belfort"),
    ("dalo", "dalo-commission-90"), ("action_logement", "action-logement"),
    ("helpline", "sos-loyers-impayes"), ("point_justice", "point-justice-3039"), ("police", None),
])
def test_nearest_for_each_orientation_kind(directory, kind, expected):
    found = directory.nearest("90099", kind)
    assert (found.id if found else None) == expected


def test_nearest_caf_prefers_a_site_in_the_commune_then_the_caf(directory):
    assert directory.nearest("90010", "caf").id == "caf-rdv-belfort"
    assert directory.nearest("90033", "caf").id == "caf-rdv-delle"
    # Montbouton shares Beaucourt's postcode 90500.
    assert directory.nearest("90070", "caf").id == "caf-rdv-beaucourt"
    assert directory.nearest("90099", "caf").id == "caf-90"


def test_nearest_rejects_unknown_kind_and_ignores_unknown_commune(directory):
    with pytest.raises(ValueError):
        directory.nearest("90010", "plumber")
    assert directory.nearest("75056", "social_worker") is None
    assert set(KINDS) >= {"social_worker", "cdad", "fsl", "caf", "banque_de_france",
                          "action_logement", "police", "dalo", "helpline"}


def test_no_phone_address_or_email_without_a_source():
    """Read the YAML files themselves: every non-null contact field carries a source URL and a date."""
    files = sorted((CONTENT / "structures").glob("*.yaml"))
    assert len(files) >= 20
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for field in CONTACT_FIELDS:
            contact = data.get(field)
            if contact is None:
                continue
            assert str(contact.get("source", "")).startswith(("http://", "https://")), (path.name, field)
            assert contact.get("verified"), (path.name, field)
            assert str(contact.get("value") or "").strip(), (path.name, field)
        if data.get("free_call") is not None:
            assert str(data["free_call"].get("source", "")).startswith("https://"), path.name
            assert data["free_call"].get("verified") and data.get("phone"), path.name


def test_national_helplines_carry_their_numbers(directory):
    phones = {s.id: s.contact("phone").value for s in directory.structures(type="helpline")}
    assert phones == {
        "sos-loyers-impayes": "0 805 160 075",
        "allo-prevention-expulsion": "0 805 299 049",
        "point-justice-3039": "3039",
        "banque-de-france-3414": "34 14",
    }


def test_free_calls_are_the_lines_the_brief_confirms_free(directory):
    """SOS Loyers impayés, Allô Prévention Expulsion and the 3039; the 34 14 costs a local call."""
    free = {s.id for s in directory.structures() if s.is_free_call}
    assert free == {"sos-loyers-impayes", "allo-prevention-expulsion", "point-justice-3039"}
    sos = directory.structure("sos-loyers-impayes").public_dict("fr")
    assert sos["free_call"] is True
    assert sos["contact_sources"]["free_call"] == {
        "source": "https://www.lockimmo.com/sos-loyers-impayes-le-numero-vert-pour-les-proprietaires-et-les-locataires",
        "verified": "2026-11-23", "declared_by_structure": False}
    bdf = directory.structure("banque-de-france-3414").public_dict("fr")
    assert bdf["free_call"] is False and "free_call" not in bdf["contact_sources"]


def staff_phone(value):
    return Contact(value=value, source="Déclaré par la structure (agent@example.org)",
                   verified=dt.date(2026, 11, 30), declared_by="agent@example.org")


@pytest.mark.parametrize("phone, still_free", [
    ("08 05 16 00 75", True),   # the same number, as the back office prints it
    ("01 23 45 67 89", False),  # another number: not known to be free
    (None, False),              # number removed
])
def test_a_number_changed_by_staff_is_no_longer_said_to_be_free(directory, phone, still_free):
    edits = {"sos-loyers-impayes": StructureEdits(
        contacts={"phone": staff_phone(phone) if phone else None}, referral=None, edited_on=dt.date(2026, 11, 30))}
    sos = directory.with_edits(edits).structure("sos-loyers-impayes")
    assert sos.is_free_call is still_free
    assert sos.public_dict("fr")["free_call"] is still_free
    assert ("free_call" in sos.public_dict("fr")["contact_sources"]) is still_free
    # Other lines keep theirs.
    assert directory.with_edits(edits).structure("point-justice-3039").is_free_call


def test_public_dict_has_the_interface_fields_and_null_unverified_contacts(directory):
    cdad = directory.structure("cdad-90").public_dict("fr")
    assert {"id", "type", "name", "address", "phone", "email", "url"} <= set(cdad)
    assert cdad["phone"] is None and cdad["address"] is None and cdad["email"] is None
    th = directory.structure("territoire-habitat").public_dict("en")
    assert th["phone"] == "03 84 36 70 00" and th["phone_uri"] == "tel:+33384367000"
    assert th["name"] == "Territoire Habitat (public social landlord)"
    assert set(th["contact_sources"]) == {"address", "phone", "email", "website"}
    assert directory.commune("90010").as_dict() == {
        "insee": "90010", "name": "Belfort", "postcodes": ["90000"],
        "epci": {"code": "200069052", "name": "CA Grand Belfort"}}


def test_structures_filtered_by_commune_follow_the_sectors(directory):
    ids = {s.id for s in directory.structures(commune="90033")}
    assert "esd-antenne-delle" in ids and "cdad-90" in ids
    assert "esd-secteur-belfort" not in ids and "ccas-belfort" not in ids
    assert "ccas-belfort" in {s.id for s in directory.structures(commune="90010")}


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    for part in ("communes", "structures", "sectors"):
        shutil.copytree(CONTENT / part, target / part)
    return target


def test_load_refuses_a_commune_without_a_site(content_copy):
    path = content_copy / "sectors" / "social_work.yaml"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                              if not line.strip().startswith('"90052"')) + "\n", encoding="utf-8")
    with pytest.raises(DirectoryError) as excinfo:
        Directory.load(content_copy)
    assert any("90052" in p for p in excinfo.value.problems)


def test_load_refuses_a_phone_without_a_source(content_copy):
    path = content_copy / "structures" / "cdad-90.yaml"
    text = path.read_text(encoding="utf-8").replace("phone: null", 'phone:\n  value: "03 00 00 00 00"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryError) as excinfo:
        Directory.load(content_copy)
    assert any("cdad-90: phone has no source" in p for p in excinfo.value.problems)


FREE_CALL = "\nfree_call:\n  value: true\n  source: https://www.example.org/numero-vert\n  verified: 2026-11-23\n"


@pytest.mark.parametrize("structure, free_call, problem", [
    ("sos-loyers-impayes", "\nfree_call:\n  value: true\n", "sos-loyers-impayes: free_call has no source URL"),
    ("sos-loyers-impayes", "\nfree_call:\n  value: true\n  source: https://www.example.org/\n",
     "sos-loyers-impayes: free_call has no verified date"),
    ("sos-loyers-impayes", FREE_CALL.replace("value: true", 'value: "oui"'),
     "sos-loyers-impayes: free_call value must be true or false"),
    ("cdad-90", FREE_CALL, "cdad-90: free_call says something of a phone number it does not have"),
])
def test_load_refuses_an_unsourced_or_meaningless_free_call(content_copy, structure, free_call, problem):
    path = content_copy / "structures" / f"{structure}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.find("free_call:")
    if start >= 0:
        # Drop the file's own free_call block before appending the test's.
        end = text.index("verified:", start)
        text = text[:start] + text[text.index("\n", end) + 1:]
    path.write_text(text + free_call, encoding="utf-8")
    with pytest.raises(DirectoryError) as excinfo:
        Directory.load(content_copy)
    assert problem in excinfo.value.problems


def test_load_refuses_a_misspelt_field(content_copy):
    path = content_copy / "structures" / "fsl-90.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'phnoe: "03 00 00 00 00"\n', encoding="utf-8")
    with pytest.raises(DirectoryError, match="phnoe"):
        Directory.load(content_copy)


def test_get_directory_caches_per_content_dir(content_copy):
    assert get_directory(content_copy) is get_directory(str(content_copy))
    assert get_directory(content_copy) is not get_directory(CONTENT)


def test_import_keeps_current_communes_of_the_departement_only():
    """The import's filter on the dataset: current communes of 90, with their EPCI."""
    from tools import import_communes

    communes = [{"code": f"90{i:03d}", "nom": f"C{i}", "departement": "90", "type": "commune-actuelle",
                 "codesPostaux": ["90100"], "population": i} for i in range(1, 102)]
    communes += [{"code": "90999", "nom": "Ancienne", "departement": "90", "type": "commune-deleguee"},
                 {"code": "25056", "nom": "Besançon", "departement": "25", "type": "commune-actuelle"}]
    epcis = [{"code": "200069052", "nom": "CA Grand Belfort", "type": "CA",
              "membres": [{"code": f"90{i:03d}"} for i in range(1, 102)]}]
    data = import_communes.build(communes, epcis, {"version": "6.0.0", "repository": "x"})
    assert data["count"] == 101 and data["communes"][0]["epci"]["name"] == "CA Grand Belfort"
    with pytest.raises(SystemExit, match="expected 101"):
        import_communes.build(communes[:100], epcis, {"version": "6.0.0"})


def test_import_refuses_a_tarball_that_differs_from_the_pinned_one(tmp_path):
    import base64
    import hashlib

    from tools import import_communes

    tarball = tmp_path / "package.tgz"
    tarball.write_bytes(b"not the published package")
    good = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    import_communes.check_integrity(tarball, good)
    with pytest.raises(SystemExit, match="does not match"):
        import_communes.check_integrity(tarball, import_communes.INTEGRITY)


def test_derive_sectors_check_mode_accepts_the_checked_in_table(capsys):
    from tools.communes import derive_sectors

    assert derive_sectors.main(["--check"]) == 0
    assert "matches the method (101 communes)" in capsys.readouterr().out


def test_an_official_sector_table_drops_the_provisional_flag(content_copy):
    path = content_copy / "sectors" / "social_work.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("provisional: true", "provisional: false"),
                    encoding="utf-8")
    official = Directory.load(content_copy)
    assert official.structure("esd-antenne-delle").public_dict("fr")["sector_provisional"] is False
    current = Directory.load(CONTENT)
    assert current.structure("esd-antenne-delle").public_dict("fr")["sector_provisional"] is True
    assert current.structure("cdad-90").public_dict("fr")["sector_provisional"] is False
