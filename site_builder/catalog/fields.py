"""Leaf validators: turn one located YAML value into a typed value or a Chinese message."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from site_builder.catalog.yaml_source import Located


class FieldProblem(Exception):
    """A value that does not fit its field; `line` is where to look."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


Parser = Callable[[Located, str], Any]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Shanghai fixed line (8 digits, optional 021- and extension), another city's number, or a mobile.
PHONE = re.compile(
    r"^(?:(?:021-?)?[2-9]\d{7}(?:-\d{1,5})?|0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4})$"
)
POSTCODE = re.compile(r"^20[0-2]\d{3}$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TYPE_NAMES = {list: "列表", dict: "键值表", type(None): "空值"}


@dataclass(frozen=True)
class Field:
    """One key of a record: its Chinese label, its parser and whether staff must write it."""

    key: str
    label: str
    parse: Parser
    required: bool = True


def _text_of(raw: Located, label: str) -> str:
    if not isinstance(raw.value, str):
        kind = _TYPE_NAMES.get(type(raw.value), "其他类型")
        raise FieldProblem(raw.line, f"{label} 应为文字,而不是{kind}")
    return raw.value.strip()


def text(raw: Located, label: str) -> str:
    value = _text_of(raw, label)
    if not value:
        raise FieldProblem(raw.line, f"{label} 不能为空")
    return value


def long_text(raw: Located, label: str) -> str:
    return _text_of(raw, label)


def slug(raw: Located, label: str) -> str:
    value = _text_of(raw, label)
    if not SLUG.match(value):
        raise FieldProblem(
            raw.line, f'{label} "{value}" 只能用小写英文字母、数字和连字符(例如 c01-diangong)'
        )
    return value


def integer(raw: Located, label: str) -> int:
    value = _text_of(raw, label).replace(",", "")
    if not re.fullmatch(r"\d{1,9}", value):
        raise FieldProblem(raw.line, f'{label} "{raw.value}" 应为不小于 0 的整数')
    return int(value)


def positive_integer(raw: Located, label: str) -> int:
    value = integer(raw, label)
    if value == 0:
        raise FieldProblem(raw.line, f"{label} 应大于 0")
    return value


def iso_date(raw: Located, label: str) -> date:
    value = _text_of(raw, label)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise FieldProblem(raw.line, f'{label} "{value}" 不是有效日期') from None


def clock_time(raw: Located, label: str) -> str:
    value = _text_of(raw, label)
    if not TIME.match(value):
        raise FieldProblem(raw.line, f'{label} "{value}" 不是有效时间(应写成 09:00)')
    return value


def boolean(raw: Located, label: str) -> bool:
    value = _text_of(raw, label).lower()
    if value in ("true", "yes", "是"):
        return True
    if value in ("false", "no", "否"):
        return False
    raise FieldProblem(raw.line, f'{label} "{raw.value}" 应为 true 或 false')


def phone(raw: Located, label: str) -> str:
    value = _text_of(raw, label)
    if not PHONE.match(value.replace(" ", "")):
        raise FieldProblem(
            raw.line,
            f'{label} "{value}" 格式不对(应为 8 位上海电话如 65124362、分机如 63211939-3153,或 11 位手机号)',
        )
    return value


def postcode(raw: Located, label: str) -> str:
    value = _text_of(raw, label)
    if not POSTCODE.match(value):
        raise FieldProblem(raw.line, f'{label} "{value}" 应为 6 位上海邮政编码(如 200082)')
    return value


def one_of(choices: Collection[str]) -> Parser:
    def parse(raw: Located, label: str) -> str:
        value = _text_of(raw, label)
        if value not in choices:
            allowed = " / ".join(choices)
            raise FieldProblem(raw.line, f'{label} "{value}" 不在可选值中({allowed})')
        return value

    parse.choices = tuple(choices)  # type: ignore[attr-defined]  # the console's choices
    return parse


def list_of(item: Parser) -> Parser:
    """A YAML list; a single scalar is accepted as a list of one."""

    def parse(raw: Located, label: str) -> tuple[Any, ...]:
        items = raw.value if isinstance(raw.value, list) else [raw]
        if isinstance(raw.value, dict):
            raise FieldProblem(raw.line, f"{label} 应为列表")
        return tuple(item(element, label) for element in items)

    parse.item = item  # type: ignore[attr-defined]  # the console's repeatable input
    return parse
