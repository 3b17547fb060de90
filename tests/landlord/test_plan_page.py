"""The plan page as a reader sees it: periods under way, amounts and colons in each language,
and the months box that keeps what was typed."""
import datetime as dt
import html as htmllib
import re

import pytest

from tests.helpers import make_test_app
from tests.landlord.landlord_helpers import PREFIX, complete, step_bodies
from tests.landlord.test_questionnaire import plan_step, text_of
from tests.triage.triage_helpers import RULES
from webapp.triage import deadlines as dl

IN_THE_TRUCE = dt.date(2026, 11, 24)


def client_for(tmp_path, day: dt.date, lang: str = "fr"):
    client = make_test_app(tmp_path, TRIAGE_TODAY=day).test_client()
    if lang == "en":
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    return client


def visible_text(html: str) -> str:
    """What a reader sees: tags dropped (not replaced by spaces, which would invent " :")."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ").split())


def test_the_truce_under_way_is_not_called_past_and_ends_on_the_rule_data_day(tmp_path):
    client = client_for(tmp_path, IN_THE_TRUCE)
    complete(client)
    html = text_of(client.get(f"{PREFIX}/plan"))
    truce = plan_step(html, "winter_truce")
    # The end comes from the rules (31 March, the day before the truce's end), not from the template.
    end = dl.truce_end_after(RULES, dt.date(2026, 11, 1)) - dt.timedelta(days=1)
    assert end == dt.date(2027, 3, 31)
    assert '<time datetime="2026-11-01">1er novembre 2026</time>' in truce
    assert "(en cours jusqu'au 31 mars 2027)" in truce
    assert "date passée" not in truce
    # A dated step that is over is still past.
    assert "(date passée)" in plan_step(html, "payment_deadline")


def test_the_truce_under_way_in_english(tmp_path):
    client = client_for(tmp_path, IN_THE_TRUCE, "en")
    complete(client)
    truce = plan_step(text_of(client.get(f"{PREFIX}/plan")), "winter_truce")
    assert "(under way until 31 March 2027)" in truce and "past" not in truce


@pytest.mark.parametrize("day, shown", [
    (dt.date(2026, 5, 4), None),                     # before the truce: a date to come
    (dt.date(2027, 3, 31), "31 mars 2027"),          # its last day: still under way
])
def test_the_truce_step_before_and_on_its_last_day(tmp_path, day, shown):
    client = client_for(tmp_path, day)
    complete(client, commandement_date="31/01/2026")
    truce = plan_step(text_of(client.get(f"{PREFIX}/plan")), "winter_truce")
    assert "date passée" not in truce
    assert ("en cours jusqu'au" in truce) is (shown is not None)
    if shown:
        assert f"(en cours jusqu'au {shown})" in truce


def test_english_plan_writes_amounts_the_english_way_and_french_stays_french(tmp_path):
    en = client_for(tmp_path, dt.date(2026, 5, 4), "en")
    complete(en, rent="1800", debt="3600")
    page = visible_text(en.get(f"{PREFIX}/plan").get_data(as_text=True))
    assert "rent €1,800.00, charges €45.50" in page
    assert "€3,600.00 unpaid" in page
    assert "1 800" not in page and "45,50" not in page

    fr = client_for(tmp_path / "fr", dt.date(2026, 5, 4))
    complete(fr, rent="1800", debt="3600")
    page = visible_text(fr.get(f"{PREFIX}/plan").get_data(as_text=True))
    assert "loyer 1 800,00 €, charges 45,50 €" in page and "3 600,00 € impayés" in page


def test_english_plan_has_no_french_space_before_a_colon(tmp_path):
    en = client_for(tmp_path, dt.date(2026, 5, 4), "en")
    complete(en, stage="assignation", hearing_date="15/09/2026")
    html = en.get(f"{PREFIX}/plan").get_data(as_text=True)
    # The sources' titles are French documents: left out of the check.
    html = re.sub(r'<ul class="sources">.*?</ul>', "", html, flags=re.S)
    page = visible_text(html[html.index("<main"):html.index("</main>")])
    assert re.findall(r".{30} :", page) == []
    # The recap's dates and the hidden text of its "Change" links.
    assert "Date of the hearing: 15 September 2026" in page
    assert "Change: Who lets the home?" in page


def test_french_recap_keeps_its_colons(tmp_path):
    fr = client_for(tmp_path, dt.date(2026, 5, 4))
    complete(fr, stage="assignation", hearing_date="15/09/2026")
    page = visible_text(fr.get(f"{PREFIX}/plan").get_data(as_text=True))
    assert "Date de l'audience : 15 septembre 2026" in page
    assert "Modifier : Qui loue le logement ?" in page


def post_step_4(client, months: str):
    bodies = step_bodies()
    for number in (1, 2, 3):
        client.post(f"{PREFIX}/etape/{number}", data={**bodies[number - 1], "action": "next"})
    return client.post(f"{PREFIX}/etape/4", data={"debt": "1234,56", "months_unpaid": months, "action": "next"})


def months_input(html: str) -> str:
    return re.search(r'<input[^>]*id="months_unpaid"[^>]*>', html).group(0)


def test_months_in_words_are_kept_and_answered_with_a_figures_message(client):
    response = post_step_4(client, "deux")
    assert response.status_code == 200
    html = htmllib.unescape(response.get_data(as_text=True))
    box = months_input(html)
    # A text box (a number box would drop "deux" before it is sent), numeric keyboard on phones.
    assert 'type="text"' in box and 'inputmode="numeric"' in box and 'value="deux"' in box
    assert "Écrivez le nombre de mois en chiffres, par exemple 2." in html
    assert "Indiquez un nombre de mois." not in html
    assert "entre 1 et 240" not in html
    assert client.get(f"{PREFIX}/etape/5").location.endswith(f"{PREFIX}/etape/4")


def test_months_box_in_english_and_its_other_messages(en_client):
    html = htmllib.unescape(post_step_4(en_client, "two").get_data(as_text=True))
    assert "Write the number of months in figures, for example 2." in html
    assert 'type="number"' not in months_input(html)
    assert "Give a number of months." in htmllib.unescape(post_step_4(en_client, "").get_data(as_text=True))
    assert "between 1 and 240" in htmllib.unescape(post_step_4(en_client, "0").get_data(as_text=True))


def test_months_in_figures_still_go_on(client):
    response = post_step_4(client, " 3 ")
    assert response.status_code == 302 and response.location.endswith(f"{PREFIX}/etape/5")


def test_english_letter_page_writes_the_amount_box_the_english_way_and_the_letter_in_french(tmp_path):
    en = client_for(tmp_path, dt.date(2026, 5, 4), "en")
    complete(en, debt="1800")
    html = htmllib.unescape(en.get(f"{PREFIX}/courriers/echeancier").get_data(as_text=True))
    assert re.search(r'<input[^>]*id="amount"[^>]*value="1800\.00"', html) \
        or re.search(r'<input[^>]*value="1800\.00"[^>]*id="amount"', html)
    assert "1\u00a0800,00\u00a0€" in html                      # the letter's body stays French
    # The box's value is read back as typed: recalculating keeps the right amount.
    form = {"amount": "1800.00", "months": "3", "first_due": "01/06/2026", "sender": "Moi", "recipient": "Vous",
            "place_date": "", "subject": "", "body": "x", "action": "recalculate"}
    assert en.post(f"{PREFIX}/courriers/echeancier", data=form).status_code == 302
    body = htmllib.unescape(en.get(f"{PREFIX}/courriers/echeancier").get_data(as_text=True))
    assert "3 mensualités de 600,00 €" in body.replace("\u00a0", " ")

    fr = client_for(tmp_path / "fr", dt.date(2026, 5, 4))
    complete(fr, debt="1800")
    html = fr.get(f"{PREFIX}/courriers/echeancier").get_data(as_text=True)
    assert 'value="1800,00"' in html


def test_letter_months_in_words_are_kept_with_a_figures_message(client):
    complete(client)
    form = {"amount": "1234,56", "months": "trois", "first_due": "01/06/2026", "sender": "Moi", "recipient": "Vous",
            "place_date": "", "subject": "", "body": "x", "action": "recalculate"}
    html = htmllib.unescape(client.post(f"{PREFIX}/courriers/echeancier", data=form).get_data(as_text=True))
    box = re.search(r'<input[^>]*id="months"[^>]*>', html).group(0)
    assert 'type="text"' in box and 'inputmode="numeric"' in box and 'value="trois"' in box
    assert "Écrivez le nombre de mensualités en chiffres, par exemple 12." in html
