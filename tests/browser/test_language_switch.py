"""Switching language keeps what was typed but not sent yet (static/js/keep-typed.js)."""
from __future__ import annotations


def test_the_referral_form_keeps_what_was_typed_across_a_language_switch(page):
    """Name, phone, a description and the ticks were lost with the language link (language review)."""
    page.goto("/etre-recontacte")
    page.get_by_label("Nom ou prénom").fill("Amina")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.locator("textarea[name=description]").fill("Mon propriétaire veut que je parte.")
    page.locator("input[name=structures]").first.check()
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url("**/etre-recontacte")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("input[name=contact_name]").input_value() == "Amina"
    assert page.locator("input[name=contact_phone]").input_value() == "06 12 34 56 78"
    assert page.locator("textarea[name=description]").input_value() == "Mon propriétaire veut que je parte."
    assert page.locator("input[name=structures]").first.is_checked()
    # Put back once, then forgotten: a reload shows the server's form.
    page.reload()
    assert page.locator("input[name=contact_name]").input_value() == ""
    assert page.problems.all() == []


def test_an_answer_refused_by_the_questionnaire_survives_the_switch(page):
    page.goto("/questionnaire/locataire/situation")
    page.locator("input[name=stage][value=arrears]").check()
    page.get_by_role("button", name="Continuer").click()
    page.locator("select[name=commune]").select_option("90010")
    page.get_by_role("button", name="Continuer").click()
    page.locator("input[name=landlord_kind][value=private]").check()
    page.get_by_role("button", name="Continuer").click()
    page.locator("input[name=debt_eur]").fill("1 200 € environ")
    page.get_by_role("button", name="Continuer").click()
    assert page.locator("input[name=debt_eur]").get_attribute("aria-invalid") == "true"
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_load_state()
    assert page.locator("input[name=debt_eur]").input_value() == "1 200 € environ"
