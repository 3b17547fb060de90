"""Public directory pages: list, structure page, "find my contacts" (no JavaScript)."""
from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.helpers import has_inline_script
from webapp.directory import get_directory

TEL = re.compile(r'href="(tel:[^"]*)"')


def page(client, url, lang=None):
    response = client.get(url, headers={"Accept-Language": lang} if lang else {})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def main_part(html):
    return html_lib.unescape(html.split('<main', 1)[1].split('</main>', 1)[0])


def test_every_structure_page_has_only_real_tel_links(app, client):
    """No page prints an empty or malformed tel: link, whatever the data holds."""
    with app.app_context():
        structures = get_directory(app).structures()
    for s in structures:
        html = page(client, f"/annuaire/{s.id}")
        for href in TEL.findall(html):
            assert re.fullmatch(r"tel:\+?\d{4,12}", href), (s.id, href)
        assert 'href="mailto:"' not in html
        assert "style=" not in html and not has_inline_script(html)


def test_structure_without_verified_phone_says_to_be_confirmed(client):
    html = main_part(page(client, "/annuaire/cdad-90"))
    assert "à confirmer" in html
    assert "Coordonnées à confirmer" in html
    # No number of its own: the only one is the point-justice's, which its
    # referral text sends to, as the directory holds it.
    assert TEL.findall(html) == ["tel:3039"]


def test_structure_with_sourced_contacts_shows_them_with_their_source(client):
    html = main_part(page(client, "/annuaire/territoire-habitat"))
    assert 'href="tel:+33384367000"' in html and "03 84 36 70 00" in html
    assert 'href="mailto:th90@th90.fr"' in html
    assert "http://web.th90.fr/la-demande-de-logement/" in html
    # The site's one date format, in English too ("23 November 2026", not "23/11/2026").
    assert "vérifié le 23 novembre 2026" in html
    english = main_part(page(client, "/annuaire/territoire-habitat", lang="en"))
    assert "checked on 23 November 2026" in english


def test_social_work_site_page_says_the_sector_is_provisional(client):
    html = main_part(page(client, "/annuaire/esd-antenne-giromagny"))
    assert "Secteur provisoire" in html
    assert "Auxelles-Bas" in html  # one of the communes of its sector
    html = main_part(page(client, "/annuaire/esd-secteur-vosges-du-sud"))
    assert "Fiche provisoire" in html


def test_unknown_structure_is_404(client):
    assert client.get("/annuaire/nope").status_code == 404


def test_list_filters_by_type(client):
    html = main_part(page(client, "/annuaire?type=esd"))
    assert html.count('class="structure-card"') == 4
    assert "Structures : 4" in html


def test_list_filters_by_commune_and_offers_a_choice_for_shared_postcodes(client):
    html = main_part(page(client, "/annuaire?commune=90300"))
    assert "Plusieurs communes correspondent" in html
    assert html.count("insee=") == 7
    html = main_part(page(client, "/annuaire?insee=90099"))
    assert "Structures qui servent Valdoie" in html
    assert "Grand Belfort (hors ville de Belfort)" in html
    assert "antenne de Delle" not in html


def test_list_explains_an_unknown_commune_next_to_the_field(client):
    html = main_part(page(client, "/annuaire?commune=Paris"))
    assert 'id="commune-error"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="commune-hint commune-error"' in html


def test_my_contacts_for_a_commune(client):
    html = main_part(page(client, "/annuaire/mes-contacts?q=Delle"))
    assert "Mes contacts à Delle" in html
    for expected in ("antenne de Delle", "Secteur provisoire", "CDAD", "3039", "Fonds de solidarité",
                     "24 Faubourg de Belfort", "0 805 299 049", "0 805 160 075", "34 14"):
        assert expected in html, expected
    for href in TEL.findall(html):
        assert re.fullmatch(r"tel:\+?\d{4,12}", href)


def test_my_contacts_lists_the_communes_of_a_shared_postcode_then_the_chosen_one(client):
    html = main_part(page(client, "/annuaire/mes-contacts?q=90100"))
    assert "Plusieurs communes correspondent" in html
    assert "Vauthiermont" in html and "Delle" in html
    # Choosing Vauthiermont (INSEE 90100) must not show the list again.
    html = main_part(page(client, "/annuaire/mes-contacts?insee=90100"))
    assert "Mes contacts à Vauthiermont" in html
    assert "Plusieurs communes" not in html


def test_my_contacts_unknown_commune_message(client):
    html = main_part(page(client, "/annuaire/mes-contacts?q=zzzz"))
    assert 'id="q-error"' in html and "Aucune commune" in html


def footer_of(html):
    return html_lib.unescape(html.split('<footer', 1)[1])


def test_footer_numbers_come_from_the_directory(client):
    """The free national lines, in the contacts page's order; the 34 14 is not free."""
    footer = footer_of(page(client, "/"))
    assert "Numéros gratuits" in footer
    assert TEL.findall(footer) == ["tel:+33805299049", "tel:+33805160075", "tel:3039"]
    assert "34 14" not in footer and "Banque de France" not in footer


@pytest.fixture
def sos_not_free(tmp_path):
    """An app whose directory no longer says SOS Loyers impayés is a free call."""
    import shutil
    from pathlib import Path

    from tests.helpers import make_test_app

    content = Path(__file__).resolve().parents[2] / "content"
    target = tmp_path / "content"
    for part in ("communes", "structures", "sectors"):
        shutil.copytree(content / part, target / part)
    path = target / "structures" / "sos-loyers-impayes.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("free_call:")
    end = text.index("\n", text.index("verified:", start)) + 1
    path.write_text(text[:start] + "free_call: null\n" + text[end:], encoding="utf-8")
    return make_test_app(tmp_path, DIRECTORY_CONTENT_DIR=str(target)).test_client()


def test_the_free_mark_comes_from_the_directory(client, sos_not_free):
    """Footer and contacts page print "gratuit" where the data says so, and only there."""
    footer = footer_of(page(sos_not_free, "/"))
    assert TEL.findall(footer) == ["tel:+33805299049", "tel:3039"]
    assert "SOS Loyers" not in footer

    def helplines(client):
        html = main_part(page(client, "/annuaire/mes-contacts"))
        items = html.split('<ul class="helplines">', 1)[1].split("</ul>", 1)[0].split("<li>")[1:]
        return {re.sub(r"<[^>]+>", "", item).split("\n", 1)[0].strip(): item for item in items}

    usual, changed = helplines(client), helplines(sos_not_free)
    assert list(usual) == list(changed)  # the same four lines, in the same order
    for name, item in usual.items():
        assert ("(appel gratuit)" in item) is (not name.startswith("Banque de France")), name
    for name, item in changed.items():
        assert ("(appel gratuit)" in item) is name.startswith(("Allô", "Point-justice")), name
    sos_page = main_part(page(sos_not_free, "/annuaire/sos-loyers-impayes"))
    assert "0 805 160 075" in sos_page and "appel gratuit" not in sos_page
    assert "(appel gratuit)" in main_part(page(client, "/annuaire/sos-loyers-impayes"))


def test_english_pages_say_free_call(en_client):
    assert "(free call)" in main_part(page(en_client, "/annuaire/mes-contacts"))
    assert "Free phone numbers" in footer_of(page(en_client, "/"))


def test_english_page_shows_english_data(en_client):
    html = main_part(page(en_client, "/annuaire/territoire-habitat"))
    assert "Territoire Habitat (public social landlord)" in html
    assert "The département's main social landlord" in html


@pytest.mark.parametrize("url", ["/annuaire", "/annuaire/mes-contacts?insee=90010", "/annuaire/fsl-90"])
def test_pages_link_the_directory_stylesheet_and_use_no_inline_code(client, url):
    html = page(client, url)
    assert "css/directory.css" in html
    assert "style=" not in html and not has_inline_script(html)


def test_sector_table_page_lists_101_communes_with_the_method(client):
    html = main_part(page(client, "/annuaire/secteurs"))
    assert html.count('<th scope="row">') == 101
    assert "Sectorisation provisoire" in html and "Secteur provisoire" in html
    assert 'href="/annuaire/esd-antenne-bourogne"' in html


def test_structure_ids_cannot_hide_a_directory_page(tmp_path):
    import shutil
    from pathlib import Path

    from webapp.directory.model import Directory, DirectoryError

    content = Path(__file__).resolve().parents[2] / "content"
    for part in ("communes", "structures", "sectors"):
        shutil.copytree(content / part, tmp_path / part)
    text = (tmp_path / "structures" / "ccas-belfort.yaml").read_text(encoding="utf-8")
    (tmp_path / "structures" / "secteurs.yaml").write_text(text.replace("id: ccas-belfort", "id: secteurs"),
                                                          encoding="utf-8")
    with pytest.raises(DirectoryError, match="secteurs: this id is a page"):
        Directory.load(tmp_path)


def test_my_contacts_shows_the_national_numbers_before_any_commune(client):
    """The assistant sends households here for a number: it must be there at once."""
    html = main_part(page(client, "/annuaire/mes-contacts"))
    assert "Numéros nationaux" in html and "Mes contacts à" not in html
    for expected in ("0 805 299 049", "0 805 160 075", "3039", "34 14"):
        assert expected in html, expected
    assert 'href="tel:+33805299049"' in html


def test_a_national_line_whose_number_staff_cleared_is_left_out(app, client):
    from tests.referrals.referral_helpers import login, make_staff

    with app.app_context():
        sos = get_directory(app).structure("sos-loyers-impayes")
    make_staff(app, "admin@cdad.example", "cdad-90", admin=True)
    admin = app.test_client()
    assert login(admin, "admin@cdad.example").status_code == 302
    hours = sos.contact("opening_hours")
    form = {"address": "", "phone": "", "email": "", "website": "",
            "opening_hours_fr": hours.value["fr"] if hours else "",
            "opening_hours_en": hours.value["en"] if hours else "",
            "referral_fr": sos.referral["fr"], "referral_en": sos.referral["en"]}
    assert admin.post("/staff/structures/sos-loyers-impayes/modifier", data=form).status_code == 302
    for url in ("/annuaire/mes-contacts", "/annuaire/mes-contacts?q=Delle"):
        html = main_part(page(client, url))
        assert "0 805 160 075" not in html and "SOS Loyers" not in html
        assert "0 805 299 049" in html
