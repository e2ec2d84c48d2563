"""One-time recovery codes of a staff account's second factor, kept only as keyed hashes.

Ten codes are made at enrolment and shown once; each opens one sign-in when the phone with the
authenticator is lost. A code is 10 characters from an alphabet without look-alikes (0/o,
1/l/i), about 49 bits, shown as `xxxxx-xxxxx`; case, spaces and hyphens do not matter.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa

from form_service.store.tables import staff_recovery_codes

COUNT = 10
LENGTH = 10
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def normalise(code: str) -> str:
    """Return `code` as stored: full-width folded, lower case, without spaces or hyphens."""
    folded = unicodedata.normalize("NFKC", code).lower()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-_")


def looks_like_one(code: str) -> bool:
    """Tell whether `code` (normalised) has the shape of a recovery code."""
    return len(code) == LENGTH and set(code) <= set(ALPHABET)


def _digest(key: bytes, code: str) -> str:
    return hmac.new(key, normalise(code).encode("ascii", "replace"), hashlib.sha256).hexdigest()


def _display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def replace(conn: sa.Connection, *, user_id: int, key: bytes) -> list[str]:
    """Drop the account's codes, store `COUNT` new ones and return them (the only time shown)."""
    conn.execute(staff_recovery_codes.delete().where(staff_recovery_codes.c.user_id == user_id))
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(COUNT)]
    now = datetime.now(UTC)
    conn.execute(
        staff_recovery_codes.insert(),
        [
            {"user_id": user_id, "code_hash": _digest(key, code), "created_at": now}
            for code in codes
        ],
    )
    return [_display(code) for code in codes]


def use(conn: sa.Connection, *, user_id: int, key: bytes, code: str) -> bool:
    """Spend one unused code of the account; False when it is wrong or already used."""
    if not looks_like_one(normalise(code)):
        return False
    table = staff_recovery_codes.c
    # A conditional UPDATE: of two requests racing with one code, exactly one changes the row.
    spent = conn.execute(
        staff_recovery_codes.update()
        .where(
            table.user_id == user_id,
            table.code_hash == _digest(key, code),
            table.used_at.is_(None),
        )
        .values(used_at=datetime.now(UTC))
    )
    return spent.rowcount == 1


def left(conn: sa.Connection, *, user_id: int) -> int:
    """Return how many unused codes the account has."""
    table = staff_recovery_codes.c
    query = sa.select(sa.func.count()).where(table.user_id == user_id, table.used_at.is_(None))
    return int(conn.execute(query).scalar_one())


def forget(conn: sa.Connection, *, user_id: int) -> None:
    """Delete every code of the account (second factor reset)."""
    conn.execute(staff_recovery_codes.delete().where(staff_recovery_codes.c.user_id == user_id))
