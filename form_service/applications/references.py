"""Application reference numbers: 8 characters without look-alikes, easy to read out by phone."""

from __future__ import annotations

import re
import secrets
import unicodedata

# GOV.UK Forms' alphabet: no I, O, Q, Z (look like 1, 0, O, 2) and no 0 or 1.
LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"
DIGITS = "23456789"
LENGTH = 8
_SHAPE = re.compile(rf"[{LETTERS}{DIGITS}]{{{LENGTH}}}", re.ASCII)


def new_reference() -> str:
    """Return a random reference; every third character is a digit so it never spells a word."""
    return "".join(secrets.choice(DIGITS if i % 3 == 2 else LETTERS) for i in range(LENGTH))


def normalise_reference(raw: str) -> str | None:
    """Return the reference typed by a person (any case, spaces, full width), or None."""
    value = re.sub(r"[\s\-]+", "", unicodedata.normalize("NFKC", raw or "")).upper()
    return value if _SHAPE.fullmatch(value) else None
