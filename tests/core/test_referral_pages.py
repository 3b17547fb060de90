"""The household's review and confirmation pages of a referral, read in French and in English:
urgency, dates, amounts and colons in each language, and the point-justice number from the directory."""
import datetime as dt
import html as htmllib
import re

import pytest

from tests.directory.directory_helpers import staff_edits, staff_sets_phone
from tests.helpers import make_test_app
from tests.referrals.referral_helpers import TENANT_REQUEST, contact, set_triage_request
from webapp.directory import POINT_JUSTICE, get_directory, line_of

MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"


@pytest.fixture
def app(tmp_path):
    # E-mails stay queued: these tests read pages only.
    return make_test_app(tmp_path, TRIAGE_TODAY=dt.date(2026, 5, 4), OUTBOX_SEND_INLINE=False)


def visible(html: str) -> str:
    """The main part of the page as read: tags dropped without adding spaces (which would invent " :")."""
    html = html[html.index("<main"):html.index("</main>")]
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ").split())


def client_in(app, lang: str):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9" if lang == "en" else "fr-FR,fr;q=0.9"
    set_triage_request(client, dict(TENANT_REQUEST, lang=lang, debt_eur=1800, rent_eur=600))
    return client


def fill_form(client, structures=("cdad-90",)):
    data = contact()
    data["structures"] = list(structures)
    response = client.post("/etre-recontacte", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client.get("/etre-recontacte/verifier").get_data(as_text=True)


def confirm(client):
    assert client.post("/etre-recontacte/verifier", data={}).status_code == 302
    return client.get("/etre-recontacte/confirmation").get_data(as_text=True)


def row(label: str, value: str) -> str:
    return f"<div><dt>{label}</dt><dd>{value}</dd></div>"


def test_english_review_says_urgency_with_english_dates_amounts_and_colons(app):
    html = htmllib.unescape(fill_form(client_in(app, "en")))
    page = visible(html)
    assert "Urgency: High" in page
    assert "Emergency" not in page
    assert row("Date of the hearing", "15 June 2030") in html and row("Lease date", "1 January 2024") in html
    assert re.findall(rf"(?:{MONTHS_EN}) \d{{1,2}}, \d{{4}}", page) == []
    assert row("Rent debt", "€1,800") in html and row("Monthly rent", "€600") in html
    assert "1 800" not in page and "1\u202f800" not in page
    assert "15 June 2030: Court hearing" in page
    assert re.findall(r".{30} :", page) == []


def test_french_review_is_unchanged(app):
    html = htmllib.unescape(fill_form(client_in(app, "fr")))
    page = visible(html)
    assert "Urgence : Élevée" in page
    assert row("Dette de loyer", "1\u202f800 €") in html and row("Loyer mensuel", "600 €") in html
    assert row("Date de l'audience", "15 juin 2030") in html and row("Date du bail", "1er janvier 2024") in html
    assert "15 juin 2030 : Audience au tribunal" in page


def test_the_cdad_card_gives_the_point_justice_number_from_the_directory(app):
    client = client_in(app, "fr")
    fill_form(client)
    html = confirm(client)
    card = html[html.index('class="structure-card"'):html.index("</section>")]
    with app.app_context():
        line = line_of(get_directory(app), POINT_JUSTICE, "fr")
    assert "appelez le numéro national des points-justice" in card
    # The number as the directory holds it, as a link that dials it.
    assert f'href="{line["phone_uri"]}"' in card and f'>{line["phone"]}</a>' in card
    assert "Numéro du point-justice : " in visible(card.join(["<main>", "</main>"]))


def test_a_number_changed_by_staff_shows_at_once_on_the_cdad_card(app):
    staff_sets_phone(app, POINT_JUSTICE, "03 84 00 00 01")
    client = client_in(app, "fr")
    fill_form(client)
    html = confirm(client)
    card = html[html.index('class="structure-card"'):html.index("</section>")]
    assert "03 84 00 00 01" in card and 'href="tel:+33384000001"' in card
    assert "3039" not in card


def test_english_confirmation_page_has_english_colons_and_the_number(app):
    client = client_in(app, "en")
    fill_form(client)
    html = confirm(client)
    page = visible(html)
    with app.app_context():
        line = line_of(get_directory(app), POINT_JUSTICE, "en")
    assert "call the national point-justice number" in page and f"Point-justice number: {line['phone']}" in page
    assert re.findall(r".{30} :", page) == []


def test_english_contact_lines_of_the_confirmation_put_the_colon_after_the_word(app):
    staff_edits(app, "fsl-90", phone="03 84 00 00 02", address="1 rue de l'Exemple, 90000 Belfort",
                opening_hours_fr="Du lundi au vendredi.", opening_hours_en="Monday to Friday.")
    client = client_in(app, "en")
    fill_form(client, structures=("fsl-90",))
    page = visible(confirm(client))
    assert "Phone: 03 84 00 00 02" in page and "Address: 1 rue de l'Exemple" in page
    assert "Opening hours: Monday to Friday." in page
    assert re.findall(r".{30} :", page) == []

    fr = client_in(app, "fr")
    fill_form(fr, structures=("fsl-90",))
    page = visible(confirm(fr))
    assert "Téléphone : 03 84 00 00 02" in page and "Horaires : Du lundi au vendredi." in page
