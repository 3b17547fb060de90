"""The landlord journey in a real browser, with and without JavaScript, in French and English.

From the home page "Je suis propriétaire" to a dated plan with the self-help
warning, then the three letters downloaded as PDF (issue 7, "Must show").
"""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.browser.axe_check import format_violations, run_axe

pytestmark = pytest.mark.browser


def answer(page, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def fill(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join("\n".join(p.extract_text() for p in reader.pages).replace("\u00a0", " ").split())


def axe_clean(page) -> None:
    if getattr(page, "_rcs_nojs", False):
        return  # axe runs as a script: only in the JavaScript context
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def walk_in_french(page) -> None:
    page.goto("/")
    with page.expect_navigation():
        page.locator("main a", has_text="Je suis propriétaire").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Obtenir mon plan d'action").click()
    assert "Étape 1 sur 8" in page.inner_text("main")
    answer(page, "Société ou autre personne morale (SCI non familiale, SARL, association…)")
    submit(page, "Continuer")
    fill(page, "Commune ou code postal du logement loué", "90300")
    submit(page, "Continuer")
    # Several communes share 90300: choose one, with a validation message first.
    assert page.locator(".field-error").count() >= 1
    page.locator('input[name="insee"]').first.check()
    submit(page, "Continuer")
    assert "Étape 3 sur 8" in page.inner_text("main")
    fill(page, "Date de signature du bail", "01/09/2022")
    fill(page, "Loyer mensuel hors charges, en euros", "600")
    fill(page, "Charges mensuelles, en euros", "45,50")
    submit(page, "Continuer")
    fill(page, "Montant total impayé aujourd'hui, en euros", "abc")
    fill(page, "Nombre de mois concernés par un impayé", "2")
    submit(page, "Continuer")
    # The error sits next to the field and nothing typed is lost.
    assert page.locator("#debt-error").is_visible()
    assert page.get_by_label("Nombre de mois concernés par un impayé", exact=True).input_value() == "2"
    axe_clean(page)
    submit(page, "Étape précédente")
    assert page.get_by_label("Loyer mensuel hors charges, en euros", exact=True).input_value() == "600"
    submit(page, "Continuer")
    fill(page, "Montant total impayé aujourd'hui, en euros", "1234,56")
    submit(page, "Continuer")
    answer(page, "Oui, et elle est versée au locataire")
    submit(page, "Continuer")
    page.get_by_label("Une personne s'est portée caution (garant)", exact=True).check()
    submit(page, "Continuer")
    answer(page, "Je lui ai envoyé une relance écrite")
    submit(page, "Continuer")
    answer(page, "Un commandement de payer a été signifié par un commissaire de justice")
    fill(page, "Date du commandement de payer", "31/01/2026")
    submit(page, "Voir mon plan d'action")


def check_plan_and_letters(page, warning: str, letter_link_text: str) -> None:
    main = page.inner_text("main")
    assert warning in main
    assert "226-4-2" in main
    assert page.locator('time[datetime="2026-03-31"]').count() == 1    # end of the 2-month period
    assert page.locator('a[href="/etre-recontacte"]').count() == 1
    assert page.locator('a[href="tel:+33805160075"]').count() >= 1
    assert page.locator("svg.timeline-svg").count() == 1
    axe_clean(page)
    links = page.locator(f'a:has-text("{letter_link_text}")')
    assert links.count() == 3
    for i in range(3):
        with page.expect_download() as info:
            links.nth(i).click()
        path = info.value.path()
        data = open(path, "rb").read()
        assert data.startswith(b"%PDF-")
        text = pdf_text(data)
        assert "1 234,56 €" in text and "pas un conseil juridique" in text


@pytest.mark.parametrize("fixture", ["page", "nojs_page"])
def test_landlord_gets_a_dated_plan_and_three_pdf_letters_in_french(fixture, request):
    page = request.getfixturevalue(fixture)
    page._rcs_nojs = fixture == "nojs_page"
    walk_in_french(page)
    assert page.url.endswith("/questionnaire/proprietaire/plan")
    check_plan_and_letters(page, "Ne vous faites jamais justice vous-même", "Télécharger le PDF")


@pytest.mark.parametrize("fixture", ["page", "nojs_page"])
def test_landlord_plan_and_letters_in_english(fixture, request):
    page = request.getfixturevalue(fixture)
    page._rcs_nojs = fixture == "nojs_page"
    walk_in_french(page)
    with page.expect_navigation():
        page.locator('a[hreflang="en"]').first.click()
    assert page.locator("html").get_attribute("lang") == "en"
    check_plan_and_letters(page, "Never take the law into your own hands", "Download the PDF")
    with page.expect_navigation():
        page.get_by_role("link", name="Friendly reminder to the tenant").click()
    assert "The letter is written in French" in page.inner_text("main")
    body = page.get_by_label("Letter text", exact=True)
    body.fill(body.input_value().replace("Madame, Monsieur,", "Madame Dupont,", 1))
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the PDF").click()
    assert "Madame Dupont," in pdf_text(open(info.value.path(), "rb").read())
    axe_clean(page)
