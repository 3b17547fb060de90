"""CSV export of the inbox, safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab / carriage return) is a formula to
Excel or LibreOffice; prefixing a quote makes it plain text (OWASP CSV injection).
"""
from __future__ import annotations

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def to_csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    # A BOM so that spreadsheets read the accents as UTF-8.
    return "\ufeff" + buffer.getvalue()
