"""Case references: short enough to read over the phone, impossible to guess.

8 characters from 31 symbols without 0/O, 1/I/L: about 8.5e11 values, so a
guessed reference almost never exists, and nothing is shown without a staff
login anyway.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """What staff type ('abcd-efgh', 'ABCD EFGH') to the stored form."""
    return re.sub(r"[\s\-.]", "", text or "").upper()


def is_reference(text: str) -> bool:
    value = normalise(text)
    return len(value) == LENGTH and all(ch in ALPHABET for ch in value)
