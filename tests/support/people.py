"""Synthetic people: valid ID numbers that belong to nobody, and names and phones per number."""

from __future__ import annotations

from datetime import date, timedelta

from form_service.applications.identity import check_character

DIGITS = "零壹贰叁肆伍陆柒捌玖"


def id_number(prefix: str = "341221", born: str = "19850312", sequence: int = 1) -> str:
    """Return a valid 18-character ID number (synthetic) for a 6-digit prefix and YYYYMMDD."""
    body = f"{prefix}{born}{sequence % 1000:03d}"
    return body + check_character(body)


def numbered_id(n: int) -> str:
    """A distinct valid ID number for person `n` of a load (born on a day that moves with `n`)."""
    born = date(1960, 1, 1) + timedelta(days=n // 900)
    return id_number("310104", f"{born:%Y%m%d}", n % 900 + 100)


def person_name(n: int) -> str:
    """A valid, distinct Chinese name for person `n` (written with the formal numerals)."""
    return "测试" + "".join(DIGITS[int(d)] for d in str(n))


def person_phone(n: int) -> str:
    return f"139{n % 10**8:08d}"
