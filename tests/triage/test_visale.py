"""The landlord's Visale step: Visale's own rule, read from content/rules, through the engine."""
import copy

import pytest

from tests.triage.triage_helpers import RULES, TODAY, directory, situation
from webapp.triage.engine import evaluate
from webapp.triage.rules import RuleError, Rules

DIRECTORY = directory()
VISALE_URLS = {
    "https://visale.fr/vos-questions/faq-bailleurs/la-gestion-des-impayes-de-loyer",
    "https://generali.fr/actu/visale-protection-loyers-impayes",
    "https://dumont-laurent.fr/garantie-visale-et-expulsion",
}


def plan(rules=RULES, lang="fr", **kw):
    kw.setdefault("role", "landlord")
    kw.setdefault("commune", "90010")
    return evaluate(situation(**kw), rules, DIRECTORY, lang).action_plan


def rules_with_visale(**changes) -> Rules:
    """The real rules, with the visale entry changed as a rule editor would change the file."""
    params = copy.deepcopy(RULES.params)
    params["visale"].update(changes)
    return Rules(params, RULES.texts)


def test_the_rule_data_holds_visales_terms_with_their_status_and_sources():
    node = RULES.param("visale")
    assert node["legal_basis"] is None and "no legal basis" in " ".join(node["description"].split()).lower()
    assert node["notice_after_first_unpaid"] == {"days": 15}
    assert node["constituted"]["fully_unpaid_months_of_rent_and_charges"] == 2
    assert "more than 1 month" in node["constituted"]["partial_rule"]
    assert node["max_covered_rent"] == {"months": 36}
    assert node["status"].startswith("CONFIRMED") and "secondary, Visale rule" in node["status"]
    assert {s["url"] for s in node["sources"]} == VISALE_URLS


@pytest.mark.parametrize("lang, needles", [
    ("fr", ["mise en demeure", "lettre recommandée", "15 jours", "premier loyer impayé", "déclarer l'impayé à Visale",
            "Action Logement vous paie", "se fait rembourser par le locataire", "commandement de payer"]),
    ("en", ["formal notice (mise en demeure)", "registered letter", "15 days", "first unpaid rent",
            "declare the arrears to Visale", "Action Logement pays you", "recovers the money from the tenant",
            "you can still have a formal demand for payment"]),
])
def test_visale_adds_an_undated_sourced_step_right_after_contacting_the_tenant(lang, needles):
    steps = plan(lang=lang, has_visale=True, housing_benefit="paid_to_landlord")
    kinds = [s["kind"] for s in steps]
    assert kinds[:3] == ["contact_tenant", "visale_notice", "caf_report"]
    [visale] = [s for s in steps if s["kind"] == "visale_notice"]
    for needle in needles:
        assert needle in visale["label"], needle
    # The questionnaire does not ask for the first unpaid rent's date: no guessed date.
    assert visale["date"] is None and visale["order"] == 2
    assert visale["legal_basis"] is None
    assert {s["url"] for s in visale["sources"]} == VISALE_URLS
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))


@pytest.mark.parametrize("has_visale", [False, None])
def test_no_visale_step_unless_the_landlord_says_the_lease_is_covered(has_visale):
    assert "visale_notice" not in {s["kind"] for s in plan(has_visale=has_visale)}


def test_a_dated_procedure_still_leaves_the_visale_step_undated():
    steps = plan(has_visale=True, stage="commandement_de_payer", commandement_date="2026-04-20",
                 lease_date="2022-01-01", today=TODAY)
    [visale] = [s for s in steps if s["kind"] == "visale_notice"]
    assert visale["date"] is None


def test_the_notice_period_comes_from_the_rule_data():
    changed = rules_with_visale(notice_after_first_unpaid={"days": 10})
    for lang, expected, old in (("fr", "dans les 10 jours", "15 jours"), ("en", "within 10 days", "15 days")):
        [visale] = [s for s in plan(changed, lang=lang, has_visale=True) if s["kind"] == "visale_notice"]
        assert expected in visale["label"] and old not in visale["label"]


def test_a_malformed_notice_period_is_refused_at_load_time():
    with pytest.raises(RuleError, match="visale.notice_after_first_unpaid"):
        rules_with_visale(notice_after_first_unpaid={"fortnights": 1})

