"""French phone numbers as staff type them: check, print the usual way, and build tel: links."""
from __future__ import annotations

import re

# Separators people type between digit groups.
_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]")
_INTERNATIONAL = re.compile(r"^(?:\+33|0033)0?([1-9]\d{8})$")
_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
# Short numbers: the 3xxx services (3039 point-justice, 3414 Banque de France…)
# and the 1x/11x emergency and social numbers (15, 17, 115, 119…).
_SHORT = re.compile(r"^(?:3\d{3}|1\d{1,2})$")


class InvalidPhone(ValueError):
    """Not a French number this service can print and dial."""


def normalise_phone(raw: str) -> str:
    """The number as printed in France: "03 84 36 70 00", or a short number as is ("3039").

    Raises InvalidPhone for anything else (foreign numbers, letters, wrong length).
    """
    compact = _SEPARATORS.sub("", raw or "")
    international = _INTERNATIONAL.match(compact)
    if international:
        compact = "0" + international.group(1)
    if _NATIONAL.match(compact):
        return " ".join(compact[i:i + 2] for i in range(0, 10, 2))
    if _SHORT.match(compact):
        return compact
    raise InvalidPhone(raw)
