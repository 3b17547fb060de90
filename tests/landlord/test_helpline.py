"""SOS Loyers impayés on the plan page and in the letters: number, "appel gratuit" and hours from the directory."""
import html as html_lib

import pytest
from freezegun import freeze_time

from tests.directory.directory_helpers import app_without_free_call, staff_sets_phone
from tests.helpers import make_test_app
from tests.landlord.landlord_helpers import PREFIX, complete

TODAY = "2026-05-04"
SOS = "sos-loyers-impayes"


def text_of(response) -> str:
    assert response.status_code == 200
    return " ".join(html_lib.unescape(response.get_data(as_text=True)).replace("\u00a0", " ").split())


def sos_item(plan: str) -> str:
    """The plan's "SOS Loyers impayés" help item."""
    return plan.split("SOS Loyers impayés (ANIL)", 1)[1].split("</li>", 1)[0]


def letters(client) -> dict[str, str]:
    return {kind: text_of(client.get(f"{PREFIX}/courriers/{kind}")) for kind in ("relance", "echeancier")}


def answered(app):
    client = app.test_client()
    complete(client)
    return client


@pytest.fixture
def not_free(tmp_path):
    return app_without_free_call(tmp_path, SOS)


@freeze_time(TODAY)
def test_the_free_line_is_shown_free_with_the_directorys_number_and_hours(app):
    client = answered(app)
    item = sos_item(text_of(client.get(f"{PREFIX}/plan")))
    assert '<a class="tel" href="tel:+33805160075">0 805 160 075</a>' in item
    assert "(appel gratuit)" in item and "Du lundi au vendredi." in item
    written = letters(client)
    assert "ou par le numéro vert SOS Loyers impayés (0 805 160 075, appel gratuit)." in written["relance"]
    assert "Le numéro vert SOS Loyers impayés (0 805 160 075) renseigne gratuitement" in written["echeancier"]


@freeze_time(TODAY)
def test_english_plan_says_free_call(en_client):
    complete(en_client)
    item = sos_item(text_of(en_client.get(f"{PREFIX}/plan")))
    assert "(free call)" in item and "Advice by phone for landlords and tenants:" in item


@freeze_time(TODAY)
def test_a_line_the_directory_does_not_call_free_is_not_called_free(not_free):
    client = answered(not_free)
    item = sos_item(text_of(client.get(f"{PREFIX}/plan")))
    assert 'href="tel:+33805160075"' in item
    assert "gratuit" not in item and "Numéro vert" not in item
    for kind, body in letters(client).items():
        assert "SOS Loyers impayés (0 805 160 075)" in body, kind
        assert "numéro vert" not in body and "appel gratuit" not in body, kind


@freeze_time(TODAY)
def test_a_number_staff_changed_is_quoted_and_no_longer_called_free(app):
    staff_sets_phone(app, SOS, "0805000002")
    client = answered(app)
    item = sos_item(text_of(client.get(f"{PREFIX}/plan")))
    assert '<a class="tel" href="tel:+33805000002">08 05 00 00 02</a>' in item
    assert "0 805 160 075" not in item and "gratuit" not in item
    for kind, body in letters(client).items():
        assert "SOS Loyers impayés (08 05 00 00 02)" in body, kind
        assert "0 805 160 075" not in body and "numéro vert" not in body and "appel gratuit" not in body, kind


@freeze_time(TODAY)
def test_without_a_number_the_plan_and_letters_send_to_the_contacts_page(tmp_path):
    app = make_test_app(tmp_path, PUBLIC_BASE_URL="https://rester-chez-soi.example")
    staff_sets_phone(app, SOS, "")
    client = answered(app)
    item = sos_item(text_of(client.get(f"{PREFIX}/plan")))
    assert 'href="/annuaire/mes-contacts"' in item and "tel:" not in item and "None" not in item
    url = "https://rester-chez-soi.example/annuaire/mes-contacts"
    for kind, body in letters(client).items():
        assert f"« Trouver mes contacts » du site « Rester chez soi » ({url})" in body, kind
        assert "numéro vert" not in body and "None" not in body, kind
