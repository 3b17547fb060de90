"""The landlord's plan comes from the triage engine: per landlord kind and stage, as of a given day."""
import datetime as dt
from decimal import Decimal

import pytest

from tests.triage.triage_helpers import RULES, directory
from webapp.landlord.answers import plan, triage_request
from webapp.triage.situation import FIELD_NAMES

DIRECTORY = directory()
TODAY = dt.date(2026, 5, 4)


def answers(**kw):
    base = {"landlord_entity": "individual", "commune": "90010", "commune_name": "Belfort",
            "lease_date": dt.date(2022, 9, 1), "rent": Decimal("600"), "charges": Decimal("50"),
            "debt": Decimal("1300"), "months_unpaid": 2, "housing_benefit": "paid_to_tenant",
            "has_guarantor": True, "has_gli": False, "has_visale": False, "tenant_contact": "letter",
            "stage": "arrears"}
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def run(today=TODAY, lang="fr", **kw):
    result, errors = plan(triage_request(answers(**kw), lang), RULES, DIRECTORY, today, lang)
    assert errors == []
    return {s["kind"]: s for s in result.action_plan}, result


def test_triage_request_has_the_api_shape_and_leaves_unknowns_out():
    body = triage_request(answers(housing_benefit="unknown", lease_date=None, stage="commandement_de_payer",
                                  commandement_date=dt.date(2026, 4, 20)), "en")
    assert set(body) <= set(FIELD_NAMES)
    assert body == {"role": "landlord", "landlord_kind": "private", "lang": "en", "landlord_entity": "individual",
                    "commune": "90010", "stage": "commandement_de_payer", "debt_eur": 1300.0,
                    "rent_eur": 650.0, "has_guarantor": True, "has_visale": False,
                    "commandement_date": "2026-04-20"}


def test_triage_request_is_accepted_by_the_real_api(client):
    body = triage_request(answers(stage="assignation", commandement_date=dt.date(2026, 1, 31),
                                  hearing_date=dt.date(2026, 9, 14)), "fr")
    response = client.post("/api/triage", json=body)
    assert response.status_code == 200, response.get_json()
    kinds = [s["kind"] for s in response.get_json()["action_plan"]]
    assert "prefect_notice" in kinds and "hearing" in kinds


@pytest.mark.parametrize("entity, ccapex", [("individual", False), ("family_sci", False), ("legal_person", True)])
def test_only_legal_persons_get_the_ccapex_referral_before_the_assignation(entity, ccapex):
    steps, _ = run(landlord_entity=entity, stage="commandement_de_payer", commandement_date=dt.date(2026, 4, 20))
    assert ("ccapex_referral" in steps) is ccapex
    if ccapex:
        # 2 months before the day after the end of the 2-month period (21 June).
        assert steps["ccapex_referral"]["date"] == "2026-04-21"
        assert "24 II" in steps["ccapex_referral"]["legal_basis"]


@pytest.mark.parametrize("entity", ["individual", "family_sci", "legal_person"])
def test_every_kind_gets_contact_truce_and_the_self_help_warning(entity):
    steps, result = run(landlord_entity=entity)
    order = [s["kind"] for s in result.action_plan]
    assert order[0] == "contact_tenant" and order[-1] == "no_self_help"
    assert steps["contact_tenant"]["date"] == TODAY.isoformat()
    assert steps["winter_truce"]["date"] == "2026-11-01"
    assert "226-4-2" in steps["no_self_help"]["legal_basis"]
    assert [s["order"] for s in result.action_plan] == list(range(1, len(order) + 1))


@pytest.mark.parametrize("lease, deadline", [
    (dt.date(2023, 7, 28), "2026-03-31"),   # signed before 29 July 2023: 2 months (31 Jan → 31 Mar)
    (dt.date(2023, 7, 29), "2026-03-14"),   # on the day: 6 weeks
    (dt.date(2024, 2, 29), "2026-03-14"),
    # Unknown: the long period, the landlord's safe side (an assignation
    # served before the period ends is inadmissible, brief §1.1 row 4).
    (None, "2026-03-31"),
])
def test_payment_deadline_depends_on_the_lease_date(lease, deadline):
    steps, _ = run(lease_date=lease, stage="commandement_de_payer", commandement_date=dt.date(2026, 1, 31))
    assert steps["payment_deadline"]["date"] == deadline


def test_unknown_lease_date_gives_the_landlord_the_longer_period_and_says_why():
    steps, result = run(lease_date=None, landlord_entity="legal_person", stage="commandement_de_payer",
                        commandement_date=dt.date(2026, 11, 2), today=dt.date(2026, 11, 3))
    label = steps["payment_deadline"]["label"]
    assert steps["payment_deadline"]["date"] == "2027-01-02"
    assert "le délai le plus long" in label and "6 semaines" in label and "irrecevable" in label
    # The CCAPEX referral, 2 months before the earliest assignation (3 January), follows.
    assert steps["ccapex_referral"]["date"] == "2026-11-03"
    # The API's deadline for a landlord reads the same way, and the tenant's does not.
    [pay] = [d for d in result.deadlines if d["kind"] == "payment_deadline"]
    assert pay["date"] == "2027-01-02" and "le délai le plus long" in pay["label"]


def test_a_pre_2023_lease_renewed_since_keeps_the_landlord_on_2_months():
    steps, _ = run(lease_date=dt.date(2021, 5, 1), stage="commandement_de_payer",
                   commandement_date=dt.date(2026, 8, 31), today=dt.date(2026, 9, 1))
    assert steps["payment_deadline"]["date"] == "2026-10-31"
    assert "renouvelé" in steps["payment_deadline"]["label"] and "irrecevable" in steps["payment_deadline"]["label"]


def test_month_end_commandement_clamps_to_the_end_of_february():
    steps, _ = run(lease_date=dt.date(2020, 1, 1), stage="commandement_de_payer",
                   commandement_date=dt.date(2025, 12, 31), today=dt.date(2026, 1, 5))
    assert steps["payment_deadline"]["date"] == "2026-02-28"
    assert steps["guarantor_notice"]["date"] == "2026-01-15"


def test_arrears_stage_keeps_procedure_dates_empty():
    steps, result = run(stage="arrears")
    assert steps["payment_deadline"]["date"] is None and steps["guarantor_notice"]["date"] is None
    assert result.urgency == "normal"


def test_assignation_stage_dates_the_prefect_notice_42_days_before_the_hearing():
    steps, result = run(stage="assignation", commandement_date=dt.date(2026, 1, 31), hearing_date=dt.date(2026, 6, 12))
    assert steps["prefect_notice"]["date"] == "2026-05-01"
    assert steps["hearing"]["date"] == "2026-06-12"
    assert result.urgency == "high"


def test_judgment_stage_dates_the_appeal_deadline_at_month_end():
    steps, _ = run(stage="jugement", judgment_served_date=dt.date(2026, 3, 31), today=dt.date(2026, 4, 2))
    assert steps["appeal_deadline"]["date"] == "2026-04-30"
    # The month is for a judgment: a référé order probably has 15 days (UNCERTAIN).
    assert "référé" in steps["appeal_deadline"]["label"] and "15 jours" in steps["appeal_deadline"]["label"]


@pytest.mark.parametrize("cql, earliest", [
    (dt.date(2026, 8, 30), "2026-10-31"),   # the 2 months end on 30 October: the day after, before the truce
    (dt.date(2026, 8, 31), "2027-04-01"),   # they end on 31 October: 1 November is in the truce
])
def test_commandement_de_quitter_stage_respects_the_winter_truce(cql, earliest):
    steps, _ = run(stage="commandement_de_quitter", commandement_de_quitter_date=cql, today=dt.date(2026, 9, 2))
    assert steps["earliest_eviction"]["date"] == earliest


def test_caf_step_follows_the_housing_benefit_answer():
    assert "caf_report" not in run(housing_benefit="none")[0]
    # "Je ne sais pas": the duty depends on it, so the plan says to find out (it dropped the step).
    unknown = run(housing_benefit="unknown")[0]["caf_report"]
    assert unknown["date"] is None and unknown["label"].startswith("Demandez à votre locataire s'il reçoit")
    constituted = run(housing_benefit="paid_to_landlord", debt=Decimal("1300"))[0]["caf_report"]
    assert constituted["date"] == TODAY.isoformat()          # 1300 ≥ 2 × 650
    # Below 2 × rent and charges, paid to the landlord: net of the aid it may be reached already.
    not_yet = run(housing_benefit="paid_to_landlord", debt=Decimal("1299.99"))[0]["caf_report"]
    assert not_yet["date"] is None and "aide au logement déduite" in not_yet["label"]
    to_tenant = run(housing_benefit="paid_to_tenant", debt=Decimal("1299.99"))[0]["caf_report"]
    assert "déduite" not in to_tenant["label"]


def test_no_guarantor_drops_the_guarantor_step():
    assert "guarantor_notice" not in run(has_guarantor=False)[0]
    assert "guarantor_notice" in run(has_guarantor=True)[0]


def test_visale_answer_adds_the_visale_step_after_contacting_the_tenant():
    assert triage_request(answers(has_visale=True), "fr")["has_visale"] is True
    steps, result = run(has_visale=True)
    assert [s["kind"] for s in result.action_plan][:2] == ["contact_tenant", "visale_notice"]
    assert "15 jours" in steps["visale_notice"]["label"] and steps["visale_notice"]["date"] is None
    assert "visale_notice" not in run(has_visale=False)[0]
    # A step not answered (no has_visale at all) is no "yes".
    assert "has_visale" not in triage_request(answers(has_visale=None), "fr")
    assert "visale_notice" not in run(has_visale=None)[0]


def test_a_request_that_knows_visale_prefills_the_guarantees_step():
    from webapp.landlord.prefill import raw_by_step
    assert raw_by_step({"role": "landlord", "has_visale": True, "has_guarantor": False}, None) == \
        {"garanties": {"has_guarantor": "", "has_visale": "y"}}
    assert raw_by_step({"role": "landlord", "has_visale": "oui"}, None) == {}


def test_plan_is_in_english_for_an_english_visitor():
    steps, _ = run(lang="en")
    assert steps["no_self_help"]["label"].startswith("Never evict on your own")


def test_a_lease_date_known_only_to_the_month_is_not_prefilled_as_a_day():
    from webapp.landlord.prefill import raw_by_step
    assert raw_by_step({"role": "landlord", "lease_date": "2023-07-01"}, None) == {"bail": {"lease_date": "01/07/2023"}}
    assert raw_by_step({"role": "landlord", "lease_date": "2023-07-01", "lease_date_precision": "month"}, None) == {}
