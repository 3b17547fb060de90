"""Shared builders for the triage tests: real rule files, real directory."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from webapp.triage.rules import load_rules
from webapp.triage.situation import Situation

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
RULES = load_rules(CONTENT)
TODAY = dt.date(2026, 5, 4)


def communes() -> list[dict]:
    return json.loads((CONTENT / "communes" / "communes-90.json").read_text(encoding="utf-8"))["communes"]


def directory():
    """The real directory (webapp.directory) read from the real content files."""
    from webapp.directory import get_directory
    return get_directory(CONTENT)


def situation(**kw) -> Situation:
    kw.setdefault("role", "tenant")
    kw.setdefault("today", TODAY)
    for key, value in list(kw.items()):
        if key.endswith("_date") and isinstance(value, str):
            kw[key] = dt.date.fromisoformat(value)
    return Situation(**kw)
