"""The landlord questionnaire end to end through the real app (real SQLite sessions), in French and English."""
import io
import re

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from tests.helpers import make_test_app
from tests.landlord.landlord_helpers import PREFIX, complete, step_bodies

TODAY = "2026-05-04"


def text_of(response) -> str:
    return " ".join(response.get_data(as_text=True).replace("&#39;", "'").replace("\u00a0", " ").split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join("\n".join(p.extract_text() for p in reader.pages).replace("\u00a0", " ").split())


@freeze_time(TODAY)
def test_landlord_reaches_a_dated_plan_with_warning_help_and_letters_in_french(client):
    assert client.get(f"{PREFIX}/").location.endswith(f"{PREFIX}/etape/1")
    first = client.get(f"{PREFIX}/etape/1")
    assert "Étape 1 sur 8" in text_of(first)
    complete(client, landlord_entity="legal_person")
    page = client.get(f"{PREFIX}/plan")
    assert page.status_code == 200
    html = text_of(page)
    assert "Ne vous faites jamais justice vous-même" in html
    assert "3 ans de prison et 30 000 € d'amende (article 226-4-2 du code pénal)" in html
    # Dates from the engine: commandement 31 Jan 2026, lease before the cutoff → 2 months.
    assert '<time datetime="2026-03-31">31 mars 2026</time>' in html
    assert '<time datetime="2026-02-15">15 février 2026</time>' in html   # guarantor, + 15 days
    assert "saisir la CCAPEX" in html
    assert "Loi n° 89-462 du 6 juillet 1989, art. 24 I" in html
    assert 'href="tel:+33805160075"' in html and "0 805 160 075" in html
    assert 'href="/etre-recontacte"' in html and "Être recontacté·e par le CDAD" in html
    assert 'href="/annuaire/cdad-90"' in html
    # The CDAD has no number of its own yet: its referral names the
    # point-justice, whose number comes from the directory.
    assert "Numéro du point-justice : " in html and 'href="tel:3039"' in html
    assert "class=\"timeline\"" in html and "<svg" in html
    for kind in ("relance", "echeancier", "signalement-caf"):
        assert f'href="{PREFIX}/courriers/{kind}.pdf"' in html


@freeze_time(TODAY)
def test_plan_for_an_individual_has_no_ccapex_step(client):
    complete(client)
    assert "saisir la CCAPEX" not in text_of(client.get(f"{PREFIX}/plan"))


@freeze_time(TODAY)
def test_the_triage_request_is_stored_for_the_referral_form(client):
    complete(client, stage="assignation", hearing_date="15/09/2026", housing_benefit="unknown")
    with client.session_transaction() as session:
        body = session["triage_request"]
    assert body == {"role": "landlord", "landlord_kind": "private", "lang": "fr", "landlord_entity": "individual",
                    "commune": "90010", "stage": "assignation", "debt_eur": 1234.56, "rent_eur": 645.5,
                    "has_guarantor": True, "has_visale": False, "lease_date": "2022-09-01",
                    "commandement_date": "2026-01-31", "hearing_date": "2026-09-15"}
    assert client.post("/api/triage", json=body).status_code == 200


VISALE_STEP_FR = "envoyer au locataire une mise en demeure par lettre recommandée dans les 15 jours"
OLD_VISALE_SENTENCE = "ses délais de déclaration sont courts"
GLI_NOTICE_FR = "Assurance loyers impayés : prévenez votre assureur sans attendre"


def plan_step(html: str, kind: str) -> str:
    """The <li> of one step of the plan page."""
    start = html.index(f'<li class="plan-step plan-{kind}">')
    end = html.find('<li class="plan-step', start + 1)
    return html[start:end if end != -1 else html.index("</ol>", start)]


@freeze_time(TODAY)
def test_ticking_visale_puts_its_sourced_step_in_the_plan(client):
    complete(client, has_visale="y")
    html = text_of(client.get(f"{PREFIX}/plan"))
    step = plan_step(html, "visale_notice")
    assert VISALE_STEP_FR in step and "Action Logement vous paie" in step
    assert "vous pouvez quand même faire délivrer un commandement de payer" in step
    assert 'href="https://generali.fr/actu/visale-protection-loyers-impayes"' in step
    assert 'href="https://visale.fr/vos-questions/faq-bailleurs/la-gestion-des-impayes-de-loyer"' in step
    # Counted from the first unpaid rent, which the questionnaire does not ask: no date guessed.
    assert "Dès le premier loyer impayé" in step and "Date à préciser" not in step and "<time" not in step
    # Right after contacting the tenant.
    assert html.index("plan-contact_tenant") < html.index("plan-visale_notice") < html.index("plan-caf_report")
    assert OLD_VISALE_SENTENCE not in html and GLI_NOTICE_FR not in html


@freeze_time(TODAY)
def test_without_visale_there_is_no_visale_step_and_gli_alone_keeps_its_notice(client):
    complete(client, has_gli="y")
    html = text_of(client.get(f"{PREFIX}/plan"))
    assert "plan-visale_notice" not in html and OLD_VISALE_SENTENCE not in html
    assert GLI_NOTICE_FR in html


@freeze_time(TODAY)
def test_visale_and_gli_give_the_step_and_the_gli_notice_in_english(en_client):
    complete(en_client, has_visale="y", has_gli="y")
    html = text_of(en_client.get(f"{PREFIX}/plan"))
    step = plan_step(html, "visale_notice")
    assert 'within 15 days of the first unpaid rent, as <span lang="fr">Visale</span> requires' in step
    assert "Rent-default insurance: tell your insurer without waiting" in html
    assert "its reporting time limits are short" not in html


@freeze_time(TODAY)
def test_three_letters_download_as_pdf_with_the_answers(client):
    complete(client)
    expected = {"relance": ["1 234,56 €", "645,50 €", "4 mai 2026"],
                "echeancier": ["1 234,56 €", "1er juin 2026", "102,88 €", "102,88 €"],
                "signalement-caf": ["1 234,56 €", "1er septembre 2022", "600,00 € hors charges"]}
    for kind, needles in expected.items():
        response = client.get(f"{PREFIX}/courriers/{kind}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        text = pdf_text(response.data)
        for needle in needles:
            assert needle in text, (kind, needle)
        assert "pas un conseil juridique" in text


@freeze_time(TODAY)
def test_english_visitor_gets_english_pages_and_french_letters(en_client):
    page = en_client.get(f"{PREFIX}/etape/1")
    assert "Step 1 of 8" in text_of(page) and "Who lets the home?" in text_of(page)
    complete(en_client)
    plan = text_of(en_client.get(f"{PREFIX}/plan"))
    assert "Never take the law into your own hands" in plan
    assert "3 years' prison and a €30,000 fine" in plan
    assert '<time datetime="2026-03-31">31 March 2026</time>' in plan
    assert "Be contacted by the CDAD" in plan
    letter = text_of(en_client.get(f"{PREFIX}/courriers/echeancier"))
    assert "The letter is written in French, the language of the lease" in letter
    assert "je vous propose un plan de remboursement (échéancier)" in letter  # the letter itself stays French
    text = pdf_text(en_client.get(f"{PREFIX}/courriers/echeancier.pdf").data)
    assert "Proposition d'échéancier" in text and "mensualités" in text
    with en_client.session_transaction() as session:
        assert session["triage_request"]["lang"] == "en"


def test_steps_cannot_be_skipped(client):
    response = client.get(f"{PREFIX}/etape/5")
    assert response.status_code == 302 and response.location.endswith(f"{PREFIX}/etape/1")
    assert client.get(f"{PREFIX}/plan").location.endswith(f"{PREFIX}/etape/1")
    assert client.get(f"{PREFIX}/courriers/relance.pdf").location.endswith(f"{PREFIX}/etape/1")
    assert client.get(f"{PREFIX}/etape/9").status_code == 404
    assert client.get(f"{PREFIX}/courriers/inconnu").status_code == 404


def test_error_is_shown_next_to_the_field_and_the_typed_values_are_kept(client):
    bodies = step_bodies()
    for number in (1, 2):
        client.post(f"{PREFIX}/etape/{number}", data={**bodies[number - 1], "action": "next"})
    response = client.post(f"{PREFIX}/etape/3", data={"lease_date": "31/02/2022", "rent": "six cents",
                                                      "charges": "45,50", "action": "next"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="rent-error"' in html and re.search(r'id="rent"[^>]*aria-describedby="[^"]*rent-error', html) \
        or re.search(r'aria-describedby="[^"]*rent-error[^"]*"[^>]*id="rent"', html)
    assert 'aria-invalid="true"' in html
    assert 'value="six cents"' in html and 'value="45,50"' in html and 'value="31/02/2022"' in html
    assert "Écrivez un montant en euros" in html
    assert 'id="lease_date-error"' in html
    assert "Vérifiez votre réponse" in html and 'href="#rent"' in html
    # Still on step 3: step 4 is not reachable.
    assert client.get(f"{PREFIX}/etape/4").location.endswith(f"{PREFIX}/etape/3")


def test_going_back_keeps_what_was_typed_even_unfinished(client):
    bodies = step_bodies()
    for number in (1, 2, 3):
        client.post(f"{PREFIX}/etape/{number}", data={**bodies[number - 1], "action": "next"})
    back = client.post(f"{PREFIX}/etape/4", data={"debt": "999", "months_unpaid": "", "action": "back"})
    assert back.location.endswith(f"{PREFIX}/etape/3")
    step3 = client.get(f"{PREFIX}/etape/3").get_data(as_text=True)
    assert 'value="01/09/2022"' in step3 and 'value="600"' in step3
    step4 = client.get(f"{PREFIX}/etape/4").get_data(as_text=True)
    assert 'value="999"' in step4
    assert "field-error" not in step4  # going back does not shout


def test_a_postcode_shared_by_several_communes_asks_which_one(client):
    client.post(f"{PREFIX}/etape/1", data={"landlord_entity": "individual", "action": "next"})
    response = client.post(f"{PREFIX}/etape/2", data={"commune_query": "90300", "action": "next"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    choices = re.findall(r'name="insee"[^>]*value="(\d{5})"', html) or re.findall(r'value="(\d{5})"[^>]*name="insee"', html)
    assert len(choices) > 1
    assert "choisissez la vôtre" in html
    chosen = choices[-1]
    done = client.post(f"{PREFIX}/etape/2", data={"commune_query": "90300", "insee": chosen, "action": "next"})
    assert done.location.endswith(f"{PREFIX}/etape/3")
    unknown = client.post(f"{PREFIX}/etape/2", data={"commune_query": "Paris", "action": "next"})
    assert "Aucune commune du Territoire de Belfort ne correspond" in unknown.get_data(as_text=True)


@freeze_time(TODAY)
def test_stage_date_is_required_and_past_events_cannot_be_in_the_future(client):
    bodies = step_bodies()
    for number in range(1, 8):
        client.post(f"{PREFIX}/etape/{number}", data={**bodies[number - 1], "action": "next"})
    missing = client.post(f"{PREFIX}/etape/8", data={"stage": "jugement", "action": "next"})
    assert "Indiquez cette date pour obtenir un plan daté" in missing.get_data(as_text=True)
    future = client.post(f"{PREFIX}/etape/8", data={"stage": "commandement_de_payer",
                                                    "commandement_date": "05/05/2026", "action": "next"})
    assert "Cette date est dans le futur" in future.get_data(as_text=True)
    # A hearing may be in the future.
    ok = client.post(f"{PREFIX}/etape/8", data={"stage": "assignation", "commandement_date": "31/01/2026",
                                                "hearing_date": "2026-09-15", "action": "next"})
    assert ok.location.endswith(f"{PREFIX}/plan")


@freeze_time(TODAY)
def test_changing_an_answer_changes_the_plan(client):
    complete(client)
    assert "31 mars 2026" in text_of(client.get(f"{PREFIX}/plan"))
    client.post(f"{PREFIX}/etape/3", data={"lease_date": "01/09/2023", "rent": "600", "charges": "45,50",
                                           "action": "next"})
    plan = text_of(client.get(f"{PREFIX}/plan"))
    assert "14 mars 2026" in plan and "31 mars 2026" not in plan


@freeze_time(TODAY)
def test_edited_letter_text_is_what_the_pdf_and_printable_page_contain(client):
    complete(client)
    edit = client.get(f"{PREFIX}/courriers/relance")
    assert edit.status_code == 200
    assert re.search(r'<textarea[^>]*lang="fr"[^>]*name="body"|<textarea[^>]*name="body"[^>]*lang="fr"',
                     edit.get_data(as_text=True))
    form = {"sender": "Jeanne Martin\n3 rue des Essais", "recipient": "M. Locataire", "place_date": "À Belfort, le 4 mai 2026",
            "subject": "Loyer de mars", "body": "Madame, Monsieur,\n\nIl reste 1 234,56 € à régler. Parlons-en.\n\nJeanne Martin"}
    pdf = client.post(f"{PREFIX}/courriers/relance", data={**form, "action": "pdf"})
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Jeanne Martin" in text and "Objet : Loyer de mars" in text and "Parlons-en." in text
    printable = client.post(f"{PREFIX}/courriers/relance", data={**form, "action": "print"})
    assert printable.location.endswith(f"{PREFIX}/courriers/relance/imprimer")
    page = text_of(client.get(printable.location))
    assert "Parlons-en." in page and "Jeanne Martin" in page and "pas un conseil juridique" in page
    # The stored edit is also what the direct PDF link serves.
    assert "Parlons-en." in pdf_text(client.get(f"{PREFIX}/courriers/relance.pdf").data)
    client.post(f"{PREFIX}/courriers/relance", data={**form, "action": "reset"})
    assert "Parlons-en." not in pdf_text(client.get(f"{PREFIX}/courriers/relance.pdf").data)


@freeze_time(TODAY)
@pytest.mark.parametrize("number, body", [
    (3, {"lease_date": "0001-01-01", "rent": "600", "charges": "0"}),
    (8, {"stage": "assignation", "hearing_date": "14/03/2926"}),
    (8, {"stage": "commandement_de_payer", "commandement_date": "01/01/1899"}),
])
def test_a_mistyped_year_is_refused_at_its_field(client, number, body):
    """The plan page used to send the landlord back to the step, the value
    still there and no word said, as long as the year stayed wrong."""
    complete(client)
    response = client.post(f"{PREFIX}/etape/{number}", data={**body, "action": "next"})
    # The step again (not a redirect), the message in the field's error.
    assert response.status_code == 200
    assert re.search(r'class="field-error" id="[a-z_]+-error">Vérifiez l\'année de cette date\.', text_of(response))


@freeze_time(TODAY)
def test_a_first_instalment_in_year_9999_is_a_message_not_an_error(client):
    complete(client)
    form = {"sender": "Moi", "recipient": "Vous", "place_date": "", "subject": "Échéancier",
            "body": "texte", "amount": "1000", "months": "3", "first_due": "31/12/9999", "action": "recalculate"}
    response = client.post(f"{PREFIX}/courriers/echeancier", data=form)
    assert response.status_code == 200 and "Vérifiez l'année de cette date." in text_of(response)


@freeze_time(TODAY)
def test_recalculating_the_schedule_rewrites_the_body_with_exact_amounts(client):
    complete(client)
    form = {"sender": "Moi", "recipient": "Vous", "place_date": "À Belfort, le 4 mai 2026", "subject": "Échéancier",
            "body": "ancien texte", "amount": "1000", "months": "3", "first_due": "31/05/2026"}
    response = client.post(f"{PREFIX}/courriers/echeancier", data={**form, "action": "recalculate"})
    assert response.status_code == 302
    html = text_of(client.get(f"{PREFIX}/courriers/echeancier"))
    assert "2 mensualités de 333,33 €, puis une dernière de 333,34 €" in html
    assert "3. 31 juillet 2026 : 333,34 €" in html
    raw = client.get(f"{PREFIX}/courriers/echeancier").get_data(as_text=True)
    assert re.search(r'name="sender"[^>]*>\s*Moi</textarea>', raw)  # only the body was rewritten
    too_many = client.post(f"{PREFIX}/courriers/echeancier", data={**form, "months": "37", "action": "recalculate"})
    assert too_many.status_code == 200 and "entre 1 et 36" in too_many.get_data(as_text=True)
    empty = client.post(f"{PREFIX}/courriers/echeancier", data={**form, "body": "", "action": "pdf"})
    assert empty.status_code == 200 and "ne peut pas être vide" in empty.get_data(as_text=True)


def test_restart_forgets_the_answers_letters_and_triage_request(client):
    complete(client)
    client.post(f"{PREFIX}/courriers/relance", data={"sender": "Moi", "recipient": "Vous", "place_date": "",
                                                     "subject": "", "body": "Texte", "action": "print"})
    client.post(f"{PREFIX}/recommencer")
    assert client.get(f"{PREFIX}/etape/2").location.endswith(f"{PREFIX}/etape/1")
    with client.session_transaction() as session:
        assert "triage_request" not in session and not session.get("landlord_letters")
        assert not session.get("landlord_questionnaire")


@freeze_time(TODAY)
def test_missing_pdf_font_gives_a_clear_error_not_a_crash(tmp_path):
    app = make_test_app(tmp_path, LETTERS_FONT_DIR=str(tmp_path / "no-fonts"))
    client = app.test_client()
    complete(client)
    response = client.get(f"{PREFIX}/courriers/relance.pdf")
    assert response.status_code == 503
    assert "police de caractères manquante" in response.get_data(as_text=True)
    assert client.get(f"{PREFIX}/courriers/relance/imprimer").status_code == 200


def test_posts_without_a_csrf_token_are_refused(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get(f"{PREFIX}/etape/1").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post(f"{PREFIX}/etape/1", data={"landlord_entity": "individual", "action": "next"})
    assert refused.status_code == 400
    accepted = client.post(f"{PREFIX}/etape/1", data={"landlord_entity": "individual", "action": "next",
                                                      "csrf_token": token})
    assert accepted.status_code == 302


def test_pinned_day_dates_the_plan_and_the_validation(tmp_path):
    """TRIAGE_TODAY (tests, demos) is the day of every page, as in the tenant questionnaire."""
    import datetime as dt
    app = make_test_app(tmp_path, TRIAGE_TODAY=dt.date(2025, 12, 20))
    client = app.test_client()
    bodies = step_bodies()
    for number in range(1, 8):
        client.post(f"{PREFIX}/etape/{number}", data={**bodies[number - 1], "action": "next"})
    future = client.post(f"{PREFIX}/etape/8", data={"stage": "commandement_de_payer",
                                                    "commandement_date": "31/01/2026", "action": "next"})
    assert "Cette date est dans le futur" in future.get_data(as_text=True)
    client.post(f"{PREFIX}/etape/8", data={"stage": "commandement_de_payer", "commandement_date": "19/12/2025",
                                           "action": "next"})
    plan = text_of(client.get(f"{PREFIX}/plan"))
    assert "Établi le 20 décembre 2025" in plan
    assert '<time datetime="2025-12-20">20 décembre 2025</time>' in plan      # contact the tenant today
    assert '<time datetime="2026-02-19">19 février 2026</time>' in plan      # 2 months after 19 Dec


@freeze_time(TODAY)
def test_an_edited_letter_says_when_the_answers_changed_since(client):
    complete(client)
    form = {"sender": "Moi", "recipient": "Vous", "place_date": "", "subject": "", "body": "Il reste 1 234,56 €.",
            "action": "print"}
    client.post(f"{PREFIX}/courriers/relance", data=form)
    assert "Vous avez modifié vos réponses" not in text_of(client.get(f"{PREFIX}/courriers/relance"))
    client.post(f"{PREFIX}/etape/4", data={"debt": "2000", "months_unpaid": "3", "action": "next"})
    assert "Vous avez modifié vos réponses" in text_of(client.get(f"{PREFIX}/courriers/relance"))
    client.post(f"{PREFIX}/courriers/relance", data={**form, "action": "reset"})
    page = text_of(client.get(f"{PREFIX}/courriers/relance"))
    assert "Vous avez modifié vos réponses" not in page and "2 000,00 €" in page


@freeze_time(TODAY)
def test_a_guarantor_beside_rent_default_insurance_is_flagged(client):
    """Art. 22-1 (brief §2.2): a caution cannot be asked on top of a GLI, students and apprentices apart."""
    complete(client, has_gli="y", has_guarantor="y")
    assert "sauf si le locataire est étudiant ou apprenti" in text_of(client.get(f"{PREFIX}/plan"))
    client.post(f"{PREFIX}/recommencer")
    complete(client, has_gli="y", has_guarantor=None)
    assert "sauf si le locataire est étudiant ou apprenti" not in text_of(client.get(f"{PREFIX}/plan"))


def test_the_error_summary_reads_label_then_message_without_a_double_colon(client, en_client):
    """It read "Vous louez le logement en tant que : : Choisissez une réponse." and "as:: Choose"."""
    french = text_of(client.post(f"{PREFIX}/etape/1", data={"action": "next"}))
    assert "Vous louez le logement en tant que — Choisissez une réponse." in french
    english = text_of(en_client.post(f"{PREFIX}/etape/1", data={"action": "next"}))
    assert "::" not in english and " — Choose an answer." in english
