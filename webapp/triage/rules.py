"""Load the rule parameters and texts of content/rules/ (YAML).

The law changes faster than code: every delay, threshold, date and text the
triage uses is read from these files, each with its source.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULE_FILES = ("procedure.yaml", "aids.yaml")
TEXT_FILE = "texts.yaml"
# Which content page explains each orientation, deadline and next step.
PAGES_FILE = "pages.yaml"
LANGS = ("fr", "en")


@dataclass(frozen=True)
class Duration:
    days: int = 0
    weeks: int = 0
    months: int = 0

    @classmethod
    def parse(cls, raw: dict, where: str) -> "Duration":
        if not isinstance(raw, dict) or len(raw) != 1 or not set(raw) <= {"days", "weeks", "months"}:
            raise RuleError(f"{where}: a duration is one of {{days|weeks|months: n}}, got {raw!r}")
        (unit, n), = raw.items()
        if not isinstance(n, int) or n < 0:
            raise RuleError(f"{where}: duration must be a non-negative integer, got {n!r}")
        return cls(**{unit: n})


class RuleError(ValueError):
    """The rule data is malformed; raised at load time, never per request."""


class Rules:
    """Rule parameters and texts, read once and validated."""

    def __init__(self, params: dict[str, Any], texts: dict[str, Any]):
        self.params = params
        self.texts = texts
        self._durations: dict[tuple[str, str], Duration] = {}
        self._check()

    # Parameters ---------------------------------------------------------
    def duration(self, key: str, field: str = "period") -> Duration:
        # Parsed once: the engine asks for the same few durations on every evaluation.
        cached = self._durations.get((key, field))
        if cached is None:
            cached = self._durations[(key, field)] = Duration.parse(self.params[key][field], f"{key}.{field}")
        return cached

    def param(self, key: str) -> dict:
        return self.params[key]

    def sources(self, key: str) -> list[dict]:
        node = self.params[key]
        return list(node.get("sources") or [])

    @property
    def lease_cutoff(self) -> dt.date:
        return self.params["commandement_payment_period"]["cutoff_date"]

    @property
    def police_phone(self) -> str:
        # The one number kept in the rule data: the national helplines' numbers
        # are read from the directory (see engine.HELPLINE_ENTRIES).
        return self.params["police_emergency"]["phone"]

    # Texts --------------------------------------------------------------
    def text(self, section: str, key: str, lang: str, **values: Any) -> str:
        entry = self.texts[section][key]
        return entry[lang].format(**values)

    def page(self, section: str, role: str | None, key: str) -> str | None:
        """URL of the content page explaining `key`, or None when there is none."""
        table = self.texts.get("pages", {}).get(section, {})
        slug = table.get(role, {}).get(key) if role else table.get(key)
        return f"/infos/{slug}" if slug else None

    def format_duration(self, d: Duration, lang: str) -> str:
        units = self.texts["units"][lang]
        # Whole years read better to a household ("1 an", not "12 mois").
        years, months = (d.months // 12, 0) if d.months and d.months % 12 == 0 else (0, d.months)
        for unit, n in (("year", years), ("month", months), ("week", d.weeks), ("day", d.days)):
            if n:
                singular, plural = units[unit]
                return f"{n} {singular if n == 1 else plural}"
        return f"0 {units['day'][1]}"

    def format_date(self, day: dt.date, lang: str) -> str:
        month = self.texts["months"][lang][day.month - 1]
        if lang == "fr":
            return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
        return f"{day.day} {month} {day.year}"

    def format_month_year(self, day: dt.date, lang: str) -> str:
        """"juillet 2023": a date known only to the month."""
        return f"{self.texts['months'][lang][day.month - 1]} {day.year}"

    def format_day_month(self, month: int, day: int, lang: str) -> str:
        name = self.texts["months"][lang][month - 1]
        if lang == "fr":
            return f"{'1er' if day == 1 else day} {name}"
        return f"{day} {name}"

    def _check(self) -> None:
        for key, node in self.params.items():
            if not isinstance(node, dict):
                raise RuleError(f"{key}: expected a mapping")
            if "status" not in node:
                raise RuleError(f"{key}: every parameter states its status")
            if key != "police_emergency" and _has_key(node, "phone"):
                # A number written here would drift from the directory's, which staff correct.
                raise RuleError(f"{key}: phone numbers belong to the directory (content/structures/)")
        police = self.params.get("police_emergency") or {}
        if not isinstance(police.get("phone"), str) or not police["phone"].strip():
            raise RuleError("police_emergency.phone must be a non-empty string")
        for section in ("reasons", "deadlines", "next_steps", "action_plan", "calls"):
            for key, entry in self.texts[section].items():
                missing = [lang for lang in LANGS if not entry.get(lang)]
                if missing:
                    raise RuleError(f"texts {section}.{key}: missing {missing}")
        if not isinstance(self.lease_cutoff, dt.date):
            raise RuleError("commandement_payment_period.cutoff_date must be a date")
        for key, field in (("commandement_payment_period", "on_or_after_cutoff"),
                           ("commandement_payment_period", "before_cutoff"),
                           ("appeal_period", "period"),
                           ("appeal_period", "refere_period"),
                           ("wait_after_commandement_de_quitter", "period"),
                           ("guarantor_notice", "period"),
                           ("visale", "notice_after_first_unpaid"),
                           ("visale", "max_covered_rent"),
                           ("caf_report", "period"),
                           ("banque_de_france", "expulsion_suspension_max")):
            self.duration(key, field)
        node = self.params["commandement_payment_period"]
        for choice in ("when_lease_date_unknown", "when_lease_before_cutoff"):
            for side in ("tenant", "landlord"):
                if (node.get(choice) or {}).get(side) not in ("on_or_after_cutoff", "before_cutoff"):
                    raise RuleError(f"commandement_payment_period.{choice}.{side} must name one of its periods")


def _has_key(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        return key in node or any(_has_key(v, key) for v in node.values())
    if isinstance(node, list):
        return any(_has_key(v, key) for v in node)
    return False


def load_rules(content_dir: str | Path) -> Rules:
    """Read and validate the rule files under content_dir/rules (cached per path)."""
    return _load(str(Path(content_dir).resolve()))


@lru_cache(maxsize=8)
def _load(content_dir: str) -> Rules:
    base = Path(content_dir) / "rules"
    params: dict[str, Any] = {}
    for name in RULE_FILES:
        with open(base / name, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        overlap = set(params) & set(data)
        if overlap:
            raise RuleError(f"{name}: parameters defined twice: {sorted(overlap)}")
        params.update(data)
    with open(base / TEXT_FILE, encoding="utf-8") as fh:
        texts = yaml.safe_load(fh)
    pages_path = base / PAGES_FILE
    if pages_path.exists():
        with open(pages_path, encoding="utf-8") as fh:
            texts["pages"] = yaml.safe_load(fh) or {}
    return Rules(params, texts)
