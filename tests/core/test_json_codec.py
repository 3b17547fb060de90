"""The chat's JSON codec gives the JSON json.dumps(..., default=str) gave (webapp/json_codec.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json

from markupsafe import Markup

from webapp import json_codec


@dataclasses.dataclass
class Point:
    x: int


def test_same_values_as_the_standard_library_with_default_str():
    value = {
        "text": "Trêve hivernale : « du 1er novembre au 31 mars »",
        "when": dt.datetime(2026, 11, 23, 16, 5, tzinfo=dt.timezone.utc),
        "day": dt.date(2026, 11, 23),
        "amount": decimal.Decimal("1800.50"),
        "point": Point(1),
        "html": Markup("<b>ok</b>"),
        3: ["int keys become strings"],
        "sent": [1795449600.123456, 0.1],
        "nested": {"none": None, "yes": True},
    }
    ours = json_codec.dumps(value)
    assert isinstance(ours, str) and json_codec.dumps_bytes(value) == ours.encode()
    assert json.loads(ours) == json.loads(json.dumps(value, default=str))
    # Datetimes keep the standard library's text (a space, not a "T").
    assert json.loads(ours)["when"] == "2026-11-23 16:05:00+00:00"


def test_loads_reads_text_and_bytes_and_rejects_what_is_not_json():
    assert json_codec.loads('{"a": [1, "é"]}') == json_codec.loads('{"a": [1, "é"]}'.encode()) == {"a": [1, "é"]}
    try:
        json_codec.loads(b"<html>")
    except ValueError:
        pass
    else:
        raise AssertionError("not JSON must raise ValueError, as json.loads does")
