"""Every orientation, deadline and next step of a triage answer links to a page that exists."""
import itertools

import pytest

from tests.helpers import make_test_app

STAGES = ["arrears", "commandement_de_payer", "assignation", "jugement",
          "commandement_de_quitter", "expulsion_scheduled", "illegal_eviction"]
FULL = {"commune": "90010", "commandement_date": "2026-01-31", "hearing_date": "2026-06-20",
        "judgment_served_date": "2026-04-02", "commandement_de_quitter_date": "2026-05-04",
        "housing_benefit": "paid_to_tenant", "private_sector_employee": True, "other_debts": True,
        "resumed_rent": False, "today": "2026-06-01"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_test_app(tmp_path_factory.mktemp("links")).test_client()


def _internal_links(answer):
    for o in answer["orientations"]:
        yield o["kind"], o["page"]
    for d in answer["deadlines"]:
        yield d["kind"], d["link"]
    for s in answer["next_steps"]:
        if not (s["link"] or "").startswith(("tel:", "http")):
            yield s["text"][:40], s["link"]


@pytest.mark.parametrize("role, stage, landlord_kind", [
    *itertools.product(["tenant"], STAGES, ["private", "social"]),
    *itertools.product(["landlord"], STAGES[:5], ["private"]),
])
def test_every_part_of_the_answer_links_to_an_existing_page(client, role, stage, landlord_kind):
    body = dict(FULL, role=role, stage=stage, landlord_kind=landlord_kind)
    answer = client.post("/api/triage", json=body).get_json()
    links = list(_internal_links(answer))
    assert links
    for what, link in links:
        assert link and link.startswith("/infos/"), f"{what} has no page"
        assert client.get(link).status_code == 200, f"{what} → {link}"
