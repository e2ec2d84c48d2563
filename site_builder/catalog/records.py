"""Check one YAML mapping against its field list and collect every problem in it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from site_builder.catalog.fields import Field, FieldProblem
from site_builder.catalog.model import Problem
from site_builder.catalog.yaml_source import Located


def parse_record(
    raw: Located, spec: tuple[Field, ...], *, path: str, problems: list[Problem]
) -> dict[str, Any] | None:
    """Return the typed values of a record, or None after adding its problems to `problems`."""
    values, ok = parse_fields(raw, spec, path=path, problems=problems)
    return values if ok else None


def parse_fields(
    raw: Located, spec: tuple[Field, ...], *, path: str, problems: list[Problem]
) -> tuple[dict[str, Any], bool]:
    """Return the values that parsed (even when others did not) and whether all of them did."""
    if not isinstance(raw.value, dict):
        problems.append(Problem(path, raw.line, "每一条记录应写成 键: 值 的形式"))
        return {}, False
    known = {field.key: field for field in spec}
    values: dict[str, Any] = {}
    found = len(problems)
    for key, value in raw.value.items():
        if key not in known:
            problems.append(Problem(path, value.line, unknown_key_message(key, known)))
            continue
        field = known[key]
        if value.value is None:
            if field.required:
                problems.append(Problem(path, value.line, f'"{key}"({field.label}) 不能为空'))
            continue
        try:
            values[key] = field.parse(value, field.label)
        except FieldProblem as exc:
            problems.append(Problem(path, exc.line, exc.message))
    for field in spec:
        if field.required and field.key not in raw.value:
            problems.append(Problem(path, raw.line, f'缺少必填项 "{field.key}"({field.label})'))
    return values, len(problems) == found


def unknown_key_message(key: str, known: Iterable[str]) -> str:
    return f'未知的键 "{key}"{did_you_mean(key, known)}'


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f',是不是 "{close[0]}"?' if close else ""


def key_lines(raw: Located) -> tuple[tuple[str, int], ...]:
    return tuple((key, value.line) for key, value in raw.value.items())


def records_in(raw: Located | None, *, path: str, problems: list[Problem]) -> list[Located]:
    """A file holds one record (a mapping) or a list of them."""
    if raw is None or raw.value is None:
        problems.append(Problem(path, 1, "文件是空的"))
        return []
    if isinstance(raw.value, list):
        return list(raw.value)
    return [raw]
