"""The bot's fixed answers quote rule data of content/rules: they must say what the rules say.

The triage engine reads its delays and dates from content/rules; a few of the
bot's answers (bot/domain.yml) give the same facts in a sentence. When a rule
changes (the truce's days, the CAF's delay), this test names the answer to rewrite.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from webapp.triage.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "content")
RESPONSES = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))["responses"]


def answer(name: str, lang: str) -> str:
    """The text of a response in one language (the English variant has a lang condition)."""
    for variant in RESPONSES[name]:
        conditions = variant.get("condition") or []
        is_english = any(c.get("name") == "lang" and c.get("value") == "en" for c in conditions)
        if is_english == (lang == "en"):
            return variant["text"]
    raise AssertionError(f"{name} has no {lang} text")


@pytest.mark.parametrize("lang, template", [("fr", "du {start} au {end}"), ("en", "from {start} to {end}")])
def test_the_truce_answer_gives_the_rules_days(lang, template):
    truce = RULES.param("winter_truce")
    start = RULES.format_day_month(truce["start"]["month"], truce["start"]["day"], lang)
    end = RULES.format_day_month(truce["end"]["month"], truce["end"]["day"], lang)
    assert template.format(start=start, end=end) in answer("utter_treve_hivernale", lang)


@pytest.mark.parametrize("lang, template", [
    ("fr", "Il a {period} pour le faire, dès que la dette atteint {months} mois de loyer et de charges"),
    ("en", "They have {period} to do it, from when the debt reaches {months} months of rent and charges"),
])
def test_the_housing_benefit_answer_gives_the_rules_delay_and_threshold(lang, template):
    period = RULES.format_duration(RULES.duration("caf_report"), lang)
    months = RULES.param("caf_report")["constituted_at_months_of_rent"]
    assert template.format(period=period, months=months) in answer("utter_apl", lang)
