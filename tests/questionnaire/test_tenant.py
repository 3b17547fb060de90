"""Tenant questionnaire driven through the real app with the Flask test client."""
import datetime as dt
import html as htmllib
import re

import pytest

from tests.helpers import has_inline_script, make_test_app
from tests.helpers import TENANT_ARREARS_ANSWERS

TODAY = dt.date(2026, 5, 4)
BASE = "/questionnaire/locataire"


@pytest.fixture
def app(tmp_path):
    return make_test_app(tmp_path, TRIAGE_TODAY=TODAY)


@pytest.fixture
def client(app):
    return app.test_client()


def text(response):
    """The page with entities decoded, so assertions read like the French text."""
    return htmllib.unescape(response.get_data(as_text=True))


def answer(client, slug, **data):
    data.setdefault("action", "next")
    return client.post(f"{BASE}/{slug}", data=data)


def walk(client, answers):
    """Post each (slug, data) and check that each step leads to the next one."""
    response = None
    for slug, data in answers:
        response = answer(client, slug, **data)
        assert response.status_code == 302, (slug, response.get_data(as_text=True)[:2000])
    return response


ARREARS = TENANT_ARREARS_ANSWERS


def test_start_redirects_to_the_first_question_with_progress(client):
    r = client.get(BASE)
    assert r.status_code == 302 and r.location.endswith(f"{BASE}/situation")
    html = text(client.get(r.location))
    assert "Étape 1 sur 8" in html
    assert "<h1 class=\"question-title\">Où en êtes-vous aujourd'hui ?</h1>" in html


def test_full_path_at_the_arrears_stage_reaches_the_result(client):
    last = walk(client, ARREARS)
    assert last.location.endswith(f"{BASE}/resultat")
    html = text(client.get(f"{BASE}/resultat"))
    assert "Votre situation et vos prochaines étapes" in html
    assert "Agissez tôt." in html
    # Orientations, social worker first, with the provisional ESD of Belfort.
    orientations = html[html.index('class="orientations"'):]
    assert orientations.index("Assistante sociale du Département") < orientations.index("CDAD (accès au droit)")
    assert "Coordonnées à confirmer." in html
    assert "Fonds de solidarité pour le logement (FSL)" in html and "CAF (aide au logement)" in html
    assert 'href="/etre-recontacte"' in html
    assert 'href="tel:0805299049"' in html
    assert "css/timeline.css" in html


def test_result_timeline_is_an_accessible_svg_with_a_text_equivalent(client):
    walk(client, [("situation", {"stage": "commandement_de_payer"}), ("commune", {"commune": "90033"}),
                  ("proprietaire", {"landlord_kind": "social"}), ("date", {"day": "2026-04-20"}),
                  ("bail", {"day": "15/09/2024"}), ("dette", {"unknown": "y"}),
                  ("ressources", {"unknown": "y"}), ("aide-logement", {"housing_benefit": "none"}),
                  ("emploi", {"private_sector_employee": "no"}), ("autres-dettes", {"debts": "none"})])
    html = text(client.get(f"{BASE}/resultat"))
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert '<title id="timeline-title">' in svg and '<desc id="timeline-desc">' in svg
    assert "Vous êtes à l'étape : Commandement de payer." in svg
    assert "Prochaine échéance : 1er juin 2026" in svg        # 20 April + 6 weeks
    assert svg.count('class="tl-point tl-done"') == 1 and svg.count('class="tl-point tl-current"') == 1
    assert svg.count("<g") == svg.count("</g>")
    assert "Vous êtes ici" in svg
    listing = html[html.index('class="timeline-list"'):]
    assert "(vous êtes ici)" in listing and "(étape passée)" in listing
    assert "style=" not in html and not has_inline_script(html) and "<style" not in html
    assert "Agissez vite." in html


def test_payment_deadline_uses_the_lease_date_given(client):
    walk(client, [("situation", {"stage": "commandement_de_payer"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"}), ("date", {"day": "2026-03-31"}),
                  ("bail", {"day": "2019-01-10"}), ("dette", {"debt_eur": "2000"}),
                  ("ressources", {"monthly_income_eur": "3000"}), ("aide-logement", {"housing_benefit": "unknown"}),
                  ("emploi", {"private_sector_employee": "no"}), ("autres-dettes", {"debts": "none"})])
    html = text(client.get(f"{BASE}/resultat"))
    assert "12 mai 2026" in html        # old lease: 6 weeks to be safe,
    assert "31 mai 2026" in html        # and the 2 months it may have
    assert "signé avant le 29 juillet 2023" in html
    # Income above the 2020 scale: the FSL is still named, with the scale's age said.
    assert "Fonds de solidarité pour le logement (FSL)</h3>" in html
    assert "dépassent un ancien barème" in html


def test_irrelevant_questions_are_skipped_for_an_illegal_eviction(client):
    r = answer(client, "situation", stage="illegal_eviction")
    assert r.location.endswith("/commune")
    assert "Étape 2 sur 3" in text(client.get(r.location))
    r = walk(client, [("commune", {"commune": "90065"}), ("proprietaire", {"landlord_kind": "unknown"})])
    assert r.location.endswith("/resultat")
    assert client.get(f"{BASE}/dette").status_code == 302   # not part of this path
    html = text(client.get(f"{BASE}/resultat"))
    assert "Urgent : agissez aujourd'hui." in html
    orientations = html[html.index('class="orientations"'):]
    assert orientations.index("Police ou gendarmerie : 17") < orientations.index("CDAD (accès au droit)")
    assert 'href="tel:17"' in html
    assert "même avec un jugement" in html


def test_a_missing_answer_is_reported_next_to_the_field(client):
    r = answer(client, "situation")
    assert r.status_code == 400
    html = text(r)
    assert 'aria-describedby="stage-hint stage-error"' in html
    assert '<p class="field-error" id="stage-error">' in html
    assert "Choisissez la situation qui ressemble le plus à la vôtre." in html
    assert 'class="error-summary"' in html and 'href="#stage-0"' in html
    assert "<title>Erreur" in html


@pytest.mark.parametrize("day, message", [
    ("31/02/2026", "Cette date n'existe pas."),
    ("hier", "Cette date n'existe pas."),
    ("2026-06-01", "Cette date est dans le futur."),
    ("", "Indiquez la date, ou cochez « Je ne sais pas »."),
])
def test_bad_dates_are_refused_with_a_message(client, day, message):
    walk(client, [("situation", {"stage": "commandement_de_payer"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"})])
    r = answer(client, "date", day=day)
    assert r.status_code == 400
    html = text(r)
    assert message in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="day-hint day-error"' in html


def test_a_mistyped_year_is_refused_at_its_step_and_the_answers_are_kept(client):
    """A hearing "14/03/2926" used to pass the step, then the result page
    (whose engine refuses it) wiped every answer without a word."""
    walk(client, [("situation", {"stage": "assignation"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"})])
    r = answer(client, "date", day="14/03/2926")
    assert r.status_code == 400 and "Vérifiez l'année de cette date." in text(r)
    assert 'value="14/03/2926"' in text(r)
    assert '<option value="90010" selected>' in text(client.get(f"{BASE}/commune"))


def test_a_household_size_typed_with_a_non_ascii_digit_is_a_message_not_an_error(client):
    """"²" has its own key on French keyboards; str.isdigit() took it for a digit."""
    walk(client, ARREARS[:3])
    answer(client, "dette", debt_eur="900")
    r = answer(client, "ressources", monthly_income_eur="1200", household_size="²")
    assert r.status_code == 400 and "Écrivez un nombre de personnes entre 1 et 30." in text(r)
    assert 'value="1200"' in text(r)


def test_a_hearing_date_may_be_in_the_future_and_makes_it_urgent(client):
    walk(client, [("situation", {"stage": "assignation"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"}), ("date", {"day": "2026-05-12"}),
                  ("dette", {"debt_eur": "1500"}), ("ressources", {"unknown": "y"}),
                  ("loyer-courant", {"resumed_rent": "no"}), ("aide-logement", {"housing_benefit": "none"}),
                  ("emploi", {"private_sector_employee": "no"}), ("autres-dettes", {"debts": "filed"})])
    html = text(client.get(f"{BASE}/resultat"))
    assert "Urgent : agissez aujourd'hui." in html     # hearing 8 days away
    assert "12 mai 2026" in html
    assert "payez de nouveau le loyer du mois en entier" in html
    assert "Banque de France (surendettement)" in html


def test_bad_amounts_are_refused(client):
    walk(client, ARREARS[:3])
    r = answer(client, "dette", debt_eur="beaucoup")
    assert r.status_code == 400 and "Écrivez un montant en chiffres" in text(r)
    assert answer(client, "dette", debt_eur="1 250,50").status_code == 302
    r = answer(client, "ressources", monthly_income_eur="1000", household_size="0")
    assert r.status_code == 400 and "Écrivez un nombre de personnes entre 1 et 30." in text(r)
    r = answer(client, "ressources", monthly_income_eur="", household_size="3")
    assert r.status_code == 400 and "Indiquez un montant, ou cochez « Je ne sais pas »." in text(r)


def test_back_navigation_keeps_the_answers(client):
    walk(client, ARREARS[:3])
    r = answer(client, "dette", action="back")          # nothing typed: going back still works
    assert r.location.endswith("/proprietaire")
    html = text(client.get(r.location))
    assert re.search(r'value="private" checked', html)
    r = answer(client, "proprietaire", landlord_kind="private", action="back")
    assert r.location.endswith("/commune")
    html = text(client.get(r.location))
    assert '<option value="90010" selected>' in html
    r = answer(client, "commune", commune="90010", action="back")
    html = text(client.get(r.location))
    assert 'value="arrears" checked' in html
    # Forward again: the stored answers lead straight back to the first unanswered question.
    assert client.get(BASE).location.endswith("/dette")


def test_back_from_the_first_question_goes_to_the_tenant_page(client):
    walk(client, ARREARS[:1])
    r = answer(client, "commune", action="back")
    assert r.location.endswith("/situation")
    r = answer(client, "situation", stage="arrears", action="back")
    assert r.location.endswith("/locataire")


def test_changing_the_stage_asks_the_new_questions(client):
    walk(client, ARREARS)
    walk(client, [("situation", {"stage": "jugement"})])
    r = client.get(f"{BASE}/resultat")
    assert r.status_code == 302 and r.location.endswith(BASE)
    assert client.get(BASE).location.endswith("/date")
    walk(client, [("date", {"day": "2026-04-30"})])
    html = text(client.get(f"{BASE}/resultat"))
    assert "30 mai 2026" in html                     # appeal: + 1 month
    assert "Recours DALO" in html


def test_answers_are_kept_on_the_server_never_in_the_url_or_cookie(client):
    last = walk(client, ARREARS)
    assert "90010" not in last.location and "850" not in last.location
    cookies = [c.value for c in client._cookies.values()]
    assert cookies and not any("90010" in v or "arrears" in v for v in cookies)


def test_result_without_answers_goes_back_to_the_start(client):
    r = client.get(f"{BASE}/resultat")
    assert r.status_code == 302 and r.location.endswith(BASE)


def test_restart_forgets_the_answers(client):
    walk(client, ARREARS)
    r = client.post(f"{BASE}/recommencer")
    assert r.location.endswith("/situation")
    assert client.get(f"{BASE}/resultat").status_code == 302


def test_unknown_step_is_a_404(client):
    assert client.get(f"{BASE}/nimporte").status_code == 404


def test_english_questionnaire_and_result(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    html = text(client.get(f"{BASE}/situation"))
    assert "Step 1 of 8" in html and "Where do you stand today?" in html
    r = answer(client, "situation")
    assert "Choose the situation closest to yours." in text(r)
    walk(client, [("situation", {"stage": "commandement_de_quitter"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"}), ("date", {"day": "2026-03-10"}),
                  ("aide-logement", {"housing_benefit": "none"}), ("emploi", {"private_sector_employee": "no"}),
                  ("autres-dettes", {"debts": "none"})])
    html = text(client.get(f"{BASE}/resultat"))
    assert "Your situation and your next steps" in html
    assert "You are here" in html and "Next deadline: 11 May 2026" in html  # the day after the 2 months
    assert "No eviction before this date" in html
    assert "Who to contact, in this order" in html
    assert "Contact details to be confirmed." in html


def test_a_date_given_for_one_stage_is_not_reused_for_another(client):
    walk(client, [("situation", {"stage": "commandement_de_payer"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"}), ("date", {"day": "2026-04-20"})])
    walk(client, [("situation", {"stage": "assignation"})])
    assert client.get(BASE).location.endswith("/date")
    html = text(client.get(f"{BASE}/date"))
    assert "Quelle est la date de l'audience au tribunal ?" in html
    assert 'value="2026-04-20"' not in html


def test_editing_an_early_answer_walks_forward_through_the_next_questions(client):
    walk(client, ARREARS)
    r = answer(client, "commune", commune="90033")
    assert r.location.endswith("/proprietaire")
    html = text(client.get(r.location))
    assert 'value="private" checked' in html


MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"


def visible(html: str) -> str:
    """The page's text as read: tags dropped without adding spaces (which would invent " :")."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ").split())


def english_result_after_a_commandement(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    return result_after_a_commandement(client)


def result_after_a_commandement(client):
    """The result page for a commandement of 20 April 2026 on a 2024 lease."""
    walk(client, [("situation", {"stage": "commandement_de_payer"}), ("commune", {"commune": "90010"}),
                  ("proprietaire", {"landlord_kind": "private"}), ("date", {"day": "2026-04-20"}),
                  ("bail", {"day": "2024-01-10"}), ("dette", {"debt_eur": "1800"}),
                  ("ressources", {"monthly_income_eur": "1100", "household_size": "2"}),
                  ("aide-logement", {"housing_benefit": "none"}), ("emploi", {"private_sector_employee": "no"}),
                  ("autres-dettes", {"debts": "none"})])
    return client.get(f"{BASE}/resultat").get_data(as_text=True)


def test_english_result_writes_every_date_day_month_year(client):
    html = english_result_after_a_commandement(client)
    page = visible(html)
    # Six weeks after 20 April: the timeline's line and the deadlines list, as in the labels' "29 July 2023".
    assert "Next deadline: 1 June 2026 · Last day to pay the debt" in page
    assert "since 29 July 2023" in page
    assert '<strong class="deadline-date">1 June 2026</strong>' in html
    assert re.findall(rf"(?:{MONTHS_EN}) \d{{1,2}}, \d{{4}}", page) == []


def test_french_result_dates_keep_the_french_form(client):
    page = visible(result_after_a_commandement(client))
    assert "Prochaine échéance : 1er juin 2026 · Dernier jour pour payer la dette" in page


def test_english_result_has_no_french_space_before_a_colon(client):
    html = english_result_after_a_commandement(client)
    html = re.sub(r'<ul class="sources">.*?</ul>', "", html, flags=re.S)   # French documents' titles
    page = visible(html[html.index("<main"):html.index("</main>")])
    assert re.findall(r".{30} :", page) == []
    assert "You are at this step: Formal demand for payment." in page


def test_english_result_marks_its_french_source_titles(client):
    """RGAA 8.7: the sources are French documents cited by their French titles;
    the national numbers' sources are named in the page's language."""
    html = english_result_after_a_commandement(client)
    sources = html.split('id="sources-title"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r'<a href="[^"]+" lang="fr">Territoire de Belfort : charte', sources)
    assert re.search(r'<a href="[^"]+">Point-justice — national number 3039</a>', sources)


def test_french_result_has_no_language_marks(client):
    html = result_after_a_commandement(client)
    assert '<span lang="fr">' not in html


def test_the_result_tells_how_to_reach_a_structure_not_the_staff_s_checklist(client):
    """The FSL's "postal address of the service, current rules…" list is for staff;
    the household reads how to reach the structure meanwhile (its referral)."""
    walk(client, [("situation", {"stage": "commandement_de_payer"}), ("commune", {"commune": "90033"}),
                  ("proprietaire", {"landlord_kind": "private"}), ("date", {"day": "2026-04-20"}),
                  ("bail", {"day": "2024-01-10"}), ("dette", {"debt_eur": "1800"}),
                  ("ressources", {"unknown": "y"}), ("aide-logement", {"housing_benefit": "none"}),
                  ("emploi", {"private_sector_employee": "no"}), ("autres-dettes", {"debts": "none"})])
    html = text(client.get(f"{BASE}/resultat"))
    assert "Adresse postale du service" not in html
    # Delle's antenna has no contact yet: the Département's address meanwhile.
    assert "le Département (6 place de la Révolution-Française, Belfort) peut vous indiquer" in html
