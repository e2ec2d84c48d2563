"""Turn record values into safe Markdown text: escaping, dates, money and telephone links."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from markupsafe import Markup

WEEKDAYS = "一二三四五六日"

# Characters that start Markdown syntax anywhere in a line, all of them escapable in
# Python-Markdown (`|` through the tables extension). `<`, `>` and `&` are handled by the HTML
# escaping Jinja applies after this step.
_INLINE = re.compile(r"([\\`*_{}\[\]|#!])")
# Syntax that only means something at the start of a line: list items.
_LEADING = re.compile(r"^(?:([-+])|(\d+)([.)]))")


@lru_cache(maxsize=65536)  # the same names and places recur on many pages
def markdown_text(value: str) -> str:
    """Escape `value` so Markdown shows it literally (HTML escaping comes after, from Jinja)."""
    one_line = " ".join(value.split())
    escaped = _INLINE.sub(r"\\\1", one_line)
    return _LEADING.sub(_escape_leading, escaped)


def _escape_leading(match: re.Match[str]) -> str:
    """`- x` gets a backslash before the mark, `1. x` between the number and its dot."""
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def finalize(value: object) -> object:
    """Jinja `finalize`: every plain string printed into a page is Markdown-escaped first."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return markdown_text(value)
    return value


def zh_date(day: date, *, weekday: bool = False) -> str:
    """Return `2011年7月4日`, optionally with `(星期一)`."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}(星期{WEEKDAYS[day.weekday()]})" if weekday else text


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def money(amount: int) -> str:
    """Return `免费` for 0 and `1,500 元` otherwise."""
    return "免费" if amount == 0 else f"{amount:,} 元"


def tel_href(phone: str) -> str:
    """Return a `tel:` URL a phone can dial: Shanghai numbers get 021, extensions a pause."""
    number, extension = phone.replace(" ", ""), ""
    if _is_extension(number):
        number, _, extension = number.rpartition("-")
    digits = re.sub(r"\D", "", number)
    if len(digits) == 8:
        digits = "021" + digits
    return f"tel:{digits},{extension}" if extension else f"tel:{digits}"


def _is_extension(phone: str) -> bool:
    """Tell `63211939-3153` (switchboard and extension) from `021-63211939` (area code)."""
    head, sep, tail = phone.rpartition("-")
    return bool(sep) and len(re.sub(r"\D", "", head)) >= 7 and len(tail) <= 5


def plain_text(value: str) -> str:
    """Collapse whitespace: for JSON-LD, calendars and CSV, where Markdown means nothing."""
    return " ".join(value.split())
