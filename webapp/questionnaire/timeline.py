"""Geometry and wording of the procedure timeline drawn on the result page.

The template draws an inline SVG from this (classes only, no style
attributes) and prints the same facts as a list for screen readers and print.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

PROCEDURE = (
    ("arrears", _l("Impayé"), (_l("Impayé"),)),
    ("commandement_de_payer", _l("Commandement de payer"), (_l("Commandement"), _l("de payer"))),
    ("assignation", _l("Assignation et audience"), (_l("Assignation"), _l("et audience"))),
    ("jugement", _l("Jugement"), (_l("Jugement"),)),
    ("commandement_de_quitter", _l("Commandement de quitter les lieux"), (_l("Commandement de"), _l("quitter les lieux"))),
    ("expulsion_scheduled", _l("Expulsion"), (_l("Expulsion"),)),
)
WIDTH, LEFT, STEP_X, LINE_Y = 720, 60, 120, 110


@dataclass
class Point:
    stage: str
    name: str
    lines: tuple
    x: int
    status: str  # done | current | todo


@dataclass
class Timeline:
    points: list[Point]
    current: Point | None
    next_deadline: dict | None
    marker_x: int | None
    width: int = WIDTH
    line_y: int = LINE_Y

    @property
    def line_start(self) -> int:
        return self.points[0].x

    @property
    def line_end(self) -> int:
        return self.points[-1].x


def build(stage: str, deadlines: list[dict], today: dt.date) -> Timeline:
    order = [s for s, _, _ in PROCEDURE]
    index = order.index(stage) if stage in order else None
    points = []
    for i, (key, name, lines) in enumerate(PROCEDURE):
        status = "todo" if index is None or i > index else ("current" if i == index else "done")
        points.append(Point(key, name, lines, LEFT + i * STEP_X, status))
    upcoming = [d for d in deadlines if dt.date.fromisoformat(d["date"]) >= today]
    next_deadline = upcoming[0] if upcoming else None
    marker_x = None
    if next_deadline is not None and index is not None:
        # Between where the household stands and the following step.
        marker_x = points[index].x + (STEP_X // 2 if index < len(points) - 1 else 0)
    current = points[index] if index is not None else None
    return Timeline(points, current, next_deadline, marker_x)
