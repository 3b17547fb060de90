"""Builders for the landlord tests: a complete set of answers, posted step by step."""
from __future__ import annotations

PREFIX = "/questionnaire/proprietaire"

# One POST body per step, in order; overrides replace fields of a step.
DEFAULT_STEPS = [
    {"landlord_entity": "individual"},
    {"commune_query": "Belfort"},
    {"lease_date": "01/09/2022", "rent": "600", "charges": "45,50"},
    {"debt": "1234,56", "months_unpaid": "2"},
    {"housing_benefit": "paid_to_tenant"},
    {"has_guarantor": "y"},
    {"tenant_contact": "letter"},
    {"stage": "commandement_de_payer", "commandement_date": "31/01/2026"},
]


def step_bodies(**overrides) -> list[dict]:
    bodies = [dict(b) for b in DEFAULT_STEPS]
    for body in bodies:
        for key in list(body):
            if key in overrides:
                body[key] = overrides[key]
    for key, value in overrides.items():
        for body in bodies:
            if key in body:
                break
        else:
            # A field that is absent by default (e.g. hearing_date) goes to the step that owns it.
            owner = {"hearing_date": 7, "judgment_served_date": 7, "commandement_de_quitter_date": 7,
                     "has_gli": 5, "has_visale": 5, "insee": 1}[key]
            bodies[owner][key] = value
    for body in bodies:
        for key in [k for k, v in body.items() if v is None]:
            del body[key]
    return bodies


def complete(client, **overrides):
    """Answer the eight steps; returns the last response (a redirect to the plan)."""
    response = None
    for number, body in enumerate(step_bodies(**overrides), start=1):
        response = client.post(f"{PREFIX}/etape/{number}", data={**body, "action": "next"})
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:3000])
    assert response.location.endswith(f"{PREFIX}/plan")
    return response
