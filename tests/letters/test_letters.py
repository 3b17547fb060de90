"""The three letters: right amounts and dates in the text, and in the PDF's extracted text."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from webapp.letters import models
from webapp.letters.formatting import date_fr, money_fr
from webapp.letters.pdf import LetterFontMissing, render_pdf
from webapp.letters.schedule import repayment_schedule

TODAY = dt.date(2026, 5, 4)


def facts(**kw):
    base = dict(today=TODAY, debt=Decimal("1234.56"), rent=Decimal("600"), charges=Decimal("45.50"),
                months_unpaid=2, landlord_entity="individual", commune_name="Belfort",
                lease_date=dt.date(2022, 9, 1), housing_benefit="paid_to_tenant", tenant_contact="letter",
                # What the landlord pages read from the directory (tests/landlord check that path).
                sos_loyers=models.Helpline("0 805 160 075", free_call=True),
                contacts_url="https://rester-chez-soi.example/annuaire/mes-contacts")
    base.update(kw)
    return models.LetterFacts(**base)


def flat(text: str) -> str:
    """Text with every kind of space as one plain space (PDF extraction keeps no-break spaces or drops lines)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def test_french_formats():
    assert money_fr(Decimal("1234.5")) == "1\u00a0234,50\u00a0€"
    assert money_fr(1000000) == "1\u00a0000\u00a0000,00\u00a0€"
    assert money_fr(Decimal("0.07")) == "0,07\u00a0€"
    assert date_fr(dt.date(2026, 5, 1)) == "1er mai 2026"
    assert date_fr(dt.date(2026, 8, 15)) == "15 août 2026"


def test_reminder_states_debt_months_and_monthly_rent_and_offers_to_talk():
    letter = models.reminder(facts())
    body = flat(letter.body)
    assert "1 234,56 €" in body and "2 mois" in body and "645,50 €" in body
    assert "en parler" in body and "0 805 160 075" in body
    assert flat(letter.place_date) == "À [ville], le 4 mai 2026"
    assert "Belfort" in letter.recipient


def test_company_letters_are_signed_by_a_representative():
    letter = models.reminder(facts(landlord_entity="legal_person"))
    assert "Représentée par" in letter.sender and "représentant" in letter.body


def test_repayment_plan_lists_every_instalment_with_its_date_and_the_monthly_total():
    f = facts()
    schedule = repayment_schedule(f.debt, 7, dt.date(2026, 6, 1), f.rent_with_charges)
    body = flat(models.repayment_plan(f, schedule).body)
    assert "7 mensualités" in body
    assert "6 mensualités de 176,36 €, puis une dernière de 176,40 €" in body
    assert "du 1er juin 2026 au 1er décembre 2026" in body
    assert "821,86 € par mois" in body          # 645,50 + 176,36
    assert "821,90 € le dernier mois" in body
    assert "7. 1er décembre 2026 : 176,40 € (reste dû après paiement : 0,00 €)" in body
    assert "Total remboursé : 1 234,56 €" in body


def test_repayment_plan_with_equal_instalments_and_single_payment():
    f = facts(debt=Decimal("1200"))
    equal = flat(models.repayment_plan(f, repayment_schedule(f.debt, 4, dt.date(2026, 6, 5), f.rent_with_charges)).body)
    assert "4 mensualités de 300,00 €" in equal and "945,50 € chaque mois pendant 4 mois" in equal
    single = flat(models.repayment_plan(f, repayment_schedule(f.debt, 1, dt.date(2026, 6, 5), f.rent_with_charges)).body)
    assert "en une seule fois, le 5 juin 2026" in single and "1 845,50 €" in single


@pytest.mark.parametrize("benefit, sentence", [
    ("paid_to_landlord", "aide déduite"),
    ("paid_to_tenant", "versée à mon locataire"),
])
def test_caf_report_gives_lease_rent_charges_debt_and_who_receives_the_aid(benefit, sentence):
    body = flat(models.caf_report(facts(housing_benefit=benefit)).body)
    assert "Bail signé le 1er septembre 2022" in body
    assert "600,00 € hors charges, charges : 45,50 €, soit 645,50 € par mois" in body
    assert "Dette à ce jour : 1 234,56 €, soit 2 mois d'impayés" in body
    assert sentence in body
    assert "relance écrite" in body


def test_caf_report_keeps_unknown_address_as_a_placeholder():
    letter = models.caf_report(facts(caf_address=None, lease_date=None))
    assert "[Adresse de la CAF ou de la MSA]" in letter.recipient
    assert "[date de signature du bail]" in letter.body


@pytest.mark.parametrize("kind", models.KINDS)
def test_pdf_is_a_valid_pdf_whose_text_holds_the_amounts_dates_and_disclaimer(kind):
    f = facts()
    letter = {"relance": models.reminder(f), "signalement-caf": models.caf_report(f),
              "echeancier": models.repayment_plan(f, repayment_schedule(f.debt, 7, dt.date(2026, 6, 1),
                                                                         f.rent_with_charges))}[kind]
    data = render_pdf(letter)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    assert "1 234,56 €" in text
    assert "4 mai 2026" in text
    assert "Objet : " + letter.subject in text
    assert "Ce n'est pas un conseil juridique" in text
    if kind == "echeancier":
        assert "176,40 €" in text and "1er décembre 2026" in text


def test_pdf_of_a_long_edited_letter_runs_over_several_pages_without_losing_text():
    body = "\n\n".join(f"Paragraphe {n} : œuvre, « guillemets », 1 000,00 €." for n in range(1, 121))
    data = render_pdf(models.LetterText("relance", "Moi", "Vous", "À Belfort, le 4 mai 2026", "Essai", body))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    text = pdf_text(data)
    assert "Paragraphe 1 :" in text and "Paragraphe 120 : œuvre, « guillemets », 1 000,00 €." in text


def test_missing_font_fails_with_the_package_to_install(tmp_path):
    with pytest.raises(LetterFontMissing) as info:
        render_pdf(models.reminder(facts()), font_dir=tmp_path)
    assert "fonts-dejavu-core" in str(info.value)


# SOS Loyers impayés: the number and "numéro vert" / "appel gratuit" come from the facts ----------

def letters_of(f) -> dict[str, str]:
    schedule = repayment_schedule(f.debt, 7, dt.date(2026, 6, 1), f.rent_with_charges)
    return {"relance": flat(models.reminder(f).body), "echeancier": flat(models.repayment_plan(f, schedule).body),
            "signalement-caf": flat(models.caf_report(f).body)}


def test_a_free_line_is_called_a_numero_vert_with_its_number():
    letters = letters_of(facts())
    assert "ou par le numéro vert SOS Loyers impayés (0 805 160 075, appel gratuit)." in letters["relance"]
    assert ("Le numéro vert SOS Loyers impayés (0 805 160 075) renseigne gratuitement locataires et propriétaires."
            in letters["echeancier"])


def test_a_line_not_known_to_be_free_is_quoted_without_numero_vert_or_appel_gratuit():
    letters = letters_of(facts(sos_loyers=models.Helpline("08 05 00 00 02", free_call=False)))
    assert "ou par SOS Loyers impayés (08 05 00 00 02)." in letters["relance"]
    assert "SOS Loyers impayés (08 05 00 00 02) renseigne gratuitement" in letters["echeancier"]
    for kind, body in letters.items():
        assert "numéro vert" not in body and "appel gratuit" not in body and "0 805 160 075" not in body, kind


def test_without_a_number_the_letters_send_to_the_contacts_page():
    letters = letters_of(facts(sos_loyers=None))
    url = "https://rester-chez-soi.example/annuaire/mes-contacts"
    assert f"« Trouver mes contacts » du site « Rester chez soi » ({url})." in letters["relance"]
    assert f"D'autres contacts sont sur la page « Trouver mes contacts » du site « Rester chez soi » ({url})." in (
        letters["echeancier"])
    for kind, body in letters.items():
        assert "numéro vert" not in body and "appel gratuit" not in body and "None" not in body, kind


def test_the_letter_models_write_no_phone_number_themselves():
    import inspect
    import re

    source = inspect.getsource(models)
    assert not re.search(r"\b0 ?8\d{2}[ .]?\d{3}[ .]?\d{3}\b|\b08(?: \d\d){4}\b|\b3039\b", source)


def test_amounts_around_the_letters_follow_the_site_language():
    from webapp.letters.formatting import amount_input, money
    assert money(Decimal("1800"), "en") == "€1,800.00"
    assert money(Decimal("600"), "en") == "€600.00"
    assert money(Decimal("1234567.891"), "en") == "€1,234,567.89"
    assert money(Decimal("-12.5"), "en") == "-€12.50"
    # French is the letters' own format, unchanged.
    assert money(Decimal("1800"), "fr") == money_fr(Decimal("1800")) == "1\u00a0800,00\u00a0€"
    assert amount_input(Decimal("1234.56"), "en") == "1234.56"
    assert amount_input(Decimal("1234.5"), "fr") == "1234,50"


@pytest.mark.parametrize("value, typed", [(1500.0, "1500"), (1234.5, "1234,50"), (0, "0"),
                                          ("1500", None), (True, None)])
def test_an_amount_from_the_chat_is_written_as_a_person_types_it(value, typed):
    """One helper for the landlord's and the tenant's pre-filled forms."""
    from webapp.letters.formatting import amount_as_typed
    assert amount_as_typed(value) == typed
