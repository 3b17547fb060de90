"""Triage evaluations per second, in-process (engine only, no HTTP).

Usage: .venv/bin/python bench/triage_bench.py [seconds]

Cycles through a fixed mix of situations (every stage, both roles, every
commune) so that the figure covers the whole rule set, not one easy path.
"""
from __future__ import annotations

import datetime as dt
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.directory import get_directory  # noqa: E402
from webapp.triage.engine import evaluate  # noqa: E402
from webapp.triage.rules import load_rules  # noqa: E402
from webapp.triage.situation import STAGES, Situation  # noqa: E402


def situations(directory) -> list[Situation]:
    today = dt.date(2026, 5, 4)
    communes = [c.insee for c in directory.communes()]
    out = []
    for i, (stage, role) in enumerate(itertools.product(STAGES, ("tenant", "landlord"))):
        for j, insee in enumerate(communes):
            out.append(Situation(
                role=role, stage=stage, commune=insee, today=today, lang=("fr", "en")[j % 2],
                debt_eur=1200.0, rent_eur=600.0, monthly_income_eur=(900.0, 1600.0, None)[j % 3],
                household_size=1 + j % 4, housing_benefit=("none", "paid_to_tenant", "paid_to_landlord")[i % 3],
                private_sector_employee=bool(j % 2), other_debts=bool(i % 2),
                lease_date=(dt.date(2020, 1, 1), dt.date(2024, 1, 1), None)[j % 3],
                commandement_date=dt.date(2026, 1, 31), hearing_date=dt.date(2026, 5, 12),
                judgment_served_date=dt.date(2026, 3, 31), commandement_de_quitter_date=dt.date(2026, 2, 28),
            ))
    return out


def main(seconds: float = 3.0) -> None:
    rules = load_rules(ROOT / "content")
    directory = get_directory(ROOT / "content")
    cases = situations(directory)
    for s in cases[:50]:  # warm-up
        evaluate(s, rules, directory)
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    for s in itertools.cycle(cases):
        evaluate(s, rules, directory)
        count += 1
        if count % 500 == 0 and time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - start
    print(f"{count} triage evaluations in {elapsed:.2f} s: {count / elapsed:,.0f} evaluations/s "
          f"({len(cases)} distinct situations, {elapsed / count * 1e6:.0f} µs each)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
