"""What quotes the directory follows it: the version caches key on, and the CDAD's "meanwhile" line."""
from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from tests.directory.directory_helpers import app_without_free_call, staff_sets_phone
from tests.helpers import make_test_app
from webapp.directory import directory_snapshot, get_directory, point_justice_meanwhile

CONTENT = Path(__file__).resolve().parents[2] / "content"


def main_part(client, url: str, lang: str = "fr") -> str:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200, url
    return html_lib.unescape(response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0])


def test_snapshot_version_moves_with_each_staff_edit(tmp_path):
    app = make_test_app(tmp_path)
    with app.test_request_context("/"):
        directory, version = directory_snapshot(app)
        assert version == "files" and directory is get_directory(app)
    staff_sets_phone(app, "point-justice-3039", "3000")
    with app.test_request_context("/"):
        directory, first = directory_snapshot(app)
        assert first.startswith("edit-") and directory.structure("point-justice-3039").contact("phone").value == "3000"
        # Asked again in the same request: the same answer, no new query.
        assert directory_snapshot(app) == (directory, first)
    staff_sets_phone(app, "point-justice-3039", "3001")
    with app.test_request_context("/"):
        assert directory_snapshot(app)[1] not in ("files", first)


def test_snapshot_of_an_app_without_directory_files(tmp_path):
    app = make_test_app(tmp_path, CONTENT_DIR=str(tmp_path / "nothing"))
    with app.test_request_context("/"):
        assert directory_snapshot(app) == (None, "none")


def test_cdad_referral_names_the_point_justice_without_number_or_price():
    cdad = get_directory(CONTENT).structure("cdad-90")
    for lang in ("fr", "en"):
        text = cdad.text("referral", lang)
        assert "point-justice" in text
        assert not re.search(r"\d", text) and "gratuit" not in text and "free" not in text


def test_cdad_pages_add_the_point_justice_number_from_the_directory(client):
    fr = main_part(client, "/annuaire/cdad-90")
    assert 'Numéro du point-justice : <a class="tel" href="tel:3039">3039</a> ' \
           '<span class="free-call">(appel gratuit)</span>.' in fr
    en = main_part(client, "/annuaire/cdad-90", "en")
    assert 'Point-justice number: <a class="tel" href="tel:3039">3039</a> <span class="free-call">(free call)</span>.' in en
    # The list's card says it too; other structures' cards do not.
    listing = main_part(client, "/annuaire?type=cdad")
    assert listing.count("Numéro du point-justice") == 1
    assert "Numéro du point-justice" not in main_part(client, "/annuaire/fsl-90")


def test_cdad_pages_follow_a_staff_edit_of_the_point_justice(tmp_path):
    app = make_test_app(tmp_path)
    staff_sets_phone(app, "point-justice-3039", "03 84 00 00 01")
    fr = main_part(app.test_client(), "/annuaire/cdad-90")
    assert 'Numéro du point-justice : <a class="tel" href="tel:+33384000001">03 84 00 00 01</a>.' in fr
    assert "3039" not in fr.split("Comment la joindre", 1)[1].split("</p>", 1)[0]


def test_cdad_pages_without_a_point_justice_number_send_to_the_contacts_page(tmp_path):
    app = make_test_app(tmp_path)
    staff_sets_phone(app, "point-justice-3039", "")
    fr = main_part(app.test_client(), "/annuaire/cdad-90")
    referral = fr.split("Comment la joindre", 1)[1].split("</p>", 1)[0]
    assert 'href="/annuaire/mes-contacts"' in referral and "tel:" not in referral and "None" not in referral


def test_cdad_pages_say_free_only_when_the_directory_does(tmp_path):
    app = app_without_free_call(tmp_path, "point-justice-3039")
    fr = main_part(app.test_client(), "/annuaire/cdad-90")
    referral = fr.split("Comment la joindre", 1)[1].split("</p>", 1)[0]
    assert 'href="tel:3039"' in referral and "gratuit" not in referral


def test_meanwhile_line_only_while_the_cdad_has_no_number(tmp_path):
    app = make_test_app(tmp_path)
    with app.test_request_context("/"):
        cdad = get_directory(app).structure("cdad-90")
        assert point_justice_meanwhile(cdad, "fr")["line"]["phone"] == "3039"
        # The landlord plan holds the public form of the entry.
        assert point_justice_meanwhile(cdad.public_dict("fr"), "fr")["line"]["phone_uri"] == "tel:3039"
        assert point_justice_meanwhile(get_directory(app).structure("fsl-90"), "fr") is None
    staff_sets_phone(app, "cdad-90", "03 84 00 00 02")
    with app.test_request_context("/"):
        cdad = get_directory(app).structure("cdad-90")
        assert point_justice_meanwhile(cdad, "fr") is None
        assert point_justice_meanwhile(cdad.public_dict("fr"), "fr") is None
