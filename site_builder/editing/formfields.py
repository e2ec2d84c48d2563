"""The console's form, generated from the field table: one input per YAML key, named by the key.

Lists are repeatable inputs, dates are dates, closed value lists are choices, long text is
Markdown. Values travel as text; `apply` writes only the keys whose value really changed, in the
YAML type a person would have typed (`capacity: 45`, `start_date: 2011-07-11`), so the rest of
the file stays byte for byte as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

from site_builder.catalog import fields as f
from site_builder.catalog import schema
from site_builder.catalog import vocabulary as v
from site_builder.catalog.fields import Field

# Keys that name another record: offered as a choice of the records that exist.
REFERENCES = {"unit": "units", "base": "bases", "merged_into": "units"}
# Kept out of the generic form: withdrawing has its own action, with a reason.
NOT_IN_FORM = frozenset({"withdrawn"})
Value = str | list[str] | dict[str, list[str]] | None


@dataclass(frozen=True)
class FormField:
    """One input of the form: the YAML key is its name."""

    key: str
    label: str
    kind: str  # text | number | date | time | checkbox | markdown | choice | checkboxes | list | organisers
    required: bool
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def repeatable(self) -> bool:
        return self.kind in ("list", "checkboxes", "organisers")


def _labels(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    named = {**v.KINDS, **v.LEVELS, **v.UNIT_TYPES, **v.TARGET_SOURCES}
    return tuple((value, named.get(value, value)) for value in values)


def kind_of(field: Field) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Return the input kind for a field's parser, and its choices."""
    parse = field.parse
    simple = {
        f.iso_date: "date",
        f.clock_time: "time",
        f.integer: "number",
        f.positive_integer: "number",
        f.boolean: "checkbox",
        f.long_text: "markdown",
    }
    if parse in simple:
        return simple[parse], ()
    if parse is schema._organisers:
        return "organisers", ()
    if hasattr(parse, "choices"):
        return "choice", _labels(parse.choices)
    item = getattr(parse, "item", None)
    if item is not None:
        if hasattr(item, "choices"):
            return "checkboxes", _labels(item.choices)
        return "list", ()
    return "text", ()


def form_fields(
    fields: tuple[Field, ...], *, references: Mapping[str, tuple[tuple[str, str], ...]]
) -> list[FormField]:
    """Return the form's inputs in field-table order; `references` lists the choices of refs."""
    made = []
    for field in fields:
        if field.key in NOT_IN_FORM:
            continue
        kind, choices = kind_of(field)
        if field.key in REFERENCES and REFERENCES[field.key] in references:
            kind, choices = "choice", references[REFERENCES[field.key]]
        made.append(FormField(field.key, field.label, kind, field.required, choices))
    return made


def as_text(value: Any) -> Value:
    """Return a YAML value (round-trip or plain) as the form shows it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _as_list(item) for k, item in value.items()}
    if isinstance(value, list):
        return [str(as_text(item)) for item in value]
    return str(value).strip()


def _as_list(value: Any) -> list[str]:
    shown = as_text(value)
    if shown is None:
        return []
    return shown if isinstance(shown, list) else [str(shown)]


def values_of(record: Mapping[str, Any], inputs: list[FormField]) -> dict[str, Value]:
    """Return what the form shows for a record (round-trip mapping or plain values)."""
    shown: dict[str, Value] = {}
    for field in inputs:
        value = as_text(record.get(field.key))
        if field.kind in ("list", "checkboxes") and isinstance(value, str):
            value = [value]  # a single item may be written without a list
        shown[field.key] = value
    return shown


def submitted(form: Any, inputs: list[FormField]) -> dict[str, Value]:
    """Read the posted inputs (a werkzeug MultiDict) into form values, blanks dropped from lists."""
    values: dict[str, Value] = {}
    for field in inputs:
        if field.kind in ("list", "checkboxes"):
            values[field.key] = [s.strip() for s in form.getlist(field.key) if s.strip()]
        elif field.kind == "organisers":
            values[field.key] = {
                role: [s.strip() for s in form.getlist(f"{field.key}.{role}") if s.strip()]
                for role in v.ORGANISER_ROLES
            }
        elif field.kind == "checkbox":
            values[field.key] = "true" if form.get(field.key) else "false"
        else:
            text = str(form.get(field.key, "")).replace("\r\n", "\n").replace("\r", "\n")
            values[field.key] = text.strip()
    return values


def _empty(value: Value) -> bool:
    if isinstance(value, dict):
        return not any(value.values())
    return not value


def _same(old: Any, new: Value, kind: str) -> bool:
    shown = as_text(old)
    if kind == "checkbox" and shown is None:
        return new == "false"
    if kind in ("list", "checkboxes") and isinstance(shown, str):
        shown = [shown]
    if kind == "organisers" and isinstance(shown, dict):
        shown = {role: names for role, names in shown.items() if names}
        new = {role: names for role, names in (new or {}).items() if names}  # type: ignore[union-attr]
    if _empty(shown) and _empty(new):
        return True
    if kind == "checkboxes" and isinstance(shown, list) and isinstance(new, list):
        return sorted(shown) == sorted(new)  # ticked boxes come back in the vocabulary's order
    return shown == new


def _typed(new: Value, kind: str, old: Any) -> Any:
    """Return the YAML value to write for a changed input, in the type a person would type."""
    if isinstance(new, dict):
        made = CommentedMap()
        for role, names in new.items():
            if names:
                made[role] = names[0] if len(names) == 1 else _flow(list(names))
        return made
    if isinstance(new, list):
        if kind == "checkboxes" and isinstance(old, list):
            kept = [str(item) for item in old if str(item) in new]
            new = kept + [item for item in new if item not in kept]  # the file's order first
        seq = CommentedSeq(new)
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    text = str(new)
    if kind == "number" and re.fullmatch(r"\d{1,9}", text):
        return int(text)
    if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text  # written as typed: the check names the field
    if kind == "checkbox":
        return text == "true"
    if "\n" in text:
        return LiteralScalarString(text + "\n")
    if isinstance(old, ScalarString) and type(old) is not LiteralScalarString:
        return type(old)(text)  # keep the quotes the file used (e.g. "09:00", "56650000")
    return text


def _flow(names: list[str]) -> CommentedSeq:
    seq = CommentedSeq(names)
    seq.fa.set_flow_style()
    return seq


def apply(
    record: CommentedMap, inputs: list[FormField], values: Mapping[str, Value], *, order: list[str]
) -> list[str]:
    """Write changed values into a round-trip record; return the keys changed, in form order."""
    changed = []
    for field in inputs:
        if field.key not in values:
            continue
        new, old = values[field.key], record.get(field.key)
        if _same(old, new, field.kind):
            continue
        changed.append(field.key)
        if _empty(new):
            if field.required:
                record[field.key] = None  # the check then says the key cannot be empty
            elif field.key in record:
                del record[field.key]
            continue
        typed = _typed(new, field.kind, old)
        if field.key in record:
            record[field.key] = typed
        else:
            record.insert(_position(record, field.key, order), field.key, typed)
    return changed


def _position(record: CommentedMap, key: str, order: list[str]) -> int:
    """Return where a new key goes: after the keys that come before it in the field table."""
    before = set(order[: order.index(key)]) if key in order else set(order)
    keys = list(record.keys())
    last = max((i for i, k in enumerate(keys) if k in before), default=-1)
    return last + 1
