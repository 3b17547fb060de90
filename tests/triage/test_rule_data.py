"""The rule files themselves: every parameter sourced, every text in both languages."""
import re
import string

import pytest
import yaml

from tests.triage.triage_helpers import CONTENT, RULES
from webapp.triage.rules import RuleError, Rules

# The police's 17 (issue 4) is the one parameter without a source: the domain
# brief gives none, and none is invented (its status says so).
UNSOURCED = {"police_emergency"}
PARAMS = {k: v for k, v in RULES.params.items() if k not in UNSOURCED}


@pytest.mark.parametrize("key", sorted(PARAMS))
def test_every_parameter_has_a_status_and_a_source(key):
    node = PARAMS[key]
    assert node["status"]
    assert node.get("sources"), f"{key} has no source"
    for source in node["sources"]:
        assert re.match(r"^https?://\S+$", source["url"]) and source["title"]


def test_fsl_scale_is_marked_indicative_and_uncertain():
    scale = RULES.param("fsl_income_scale")
    assert scale["indicative"] is True and "UNCERTAIN" in scale["status"]
    assert scale["monthly_ceiling_eur"] == 1520 and scale["year"] == 2020


def test_the_2023_cut_off_and_both_periods_come_from_the_data():
    node = RULES.param("commandement_payment_period")
    assert node["cutoff_date"].isoformat() == "2023-07-29"
    assert node["on_or_after_cutoff"] == {"weeks": 6} and node["before_cutoff"] == {"months": 2}


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("section", ["reasons", "deadlines", "next_steps", "action_plan"])
def test_texts_exist_in_french_and_english_with_the_same_placeholders(section):
    for key, entry in RULES.texts[section].items():
        assert entry["fr"].strip() and entry["en"].strip(), key
        assert _fields(entry["fr"]) == _fields(entry["en"]), key


def test_a_malformed_duration_is_refused_at_load_time():
    params = yaml.safe_load((CONTENT / "rules" / "procedure.yaml").read_text(encoding="utf-8"))
    params.update(yaml.safe_load((CONTENT / "rules" / "aids.yaml").read_text(encoding="utf-8")))
    texts = yaml.safe_load((CONTENT / "rules" / "texts.yaml").read_text(encoding="utf-8"))
    params["appeal_period"]["period"] = {"fortnights": 2}
    with pytest.raises(RuleError):
        Rules(params, texts)


def test_a_text_missing_its_english_is_refused_at_load_time():
    params = {**RULES.params}
    texts = yaml.safe_load((CONTENT / "rules" / "texts.yaml").read_text(encoding="utf-8"))
    del texts["reasons"]["dalo"]["en"]
    with pytest.raises(RuleError):
        Rules(params, texts)
