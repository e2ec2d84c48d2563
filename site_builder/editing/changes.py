"""A save prepared without writing: missing, stale, refused, unchanged, or ready with new bytes.

The caller holds `documents.edit_lock`, records the change, then writes `after` with
`documents.write_atomically`. Whose records a person may touch is given as `allowed_units`
(None: every unit): a record of another unit is `missing` (the console answers 404), and moving
a record to another unit is refused on its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from site_builder.catalog.fields import SLUG
from site_builder.editing import documents, formfields
from site_builder.editing.checking import Checked, check_candidate
from site_builder.editing.collections import Collection, display_path, find, record_in
from site_builder.editing.formfields import FormField, Value

MISSING, STALE, REFUSED, UNCHANGED, READY = "missing", "stale", "refused", "unchanged", "ready"


@dataclass
class Prepared:
    """What a save would do; `after` is written only when `outcome` is READY."""

    outcome: str
    record_id: str = ""
    path: Path | None = None
    shown_path: str = ""
    before: bytes = b""
    after: bytes = b""
    changed: list[str] = field(default_factory=list)
    checked: Checked = field(default_factory=Checked)
    now: dict[str, Value] = field(default_factory=dict)  # the file's values now (when stale)
    version: str = ""  # the version of the file now


def _unit_problem(
    collection: Collection,
    inputs: list[FormField],
    values: dict[str, Value],
    allowed: frozenset[str] | None,
) -> dict[str, list[str]]:
    wanted = values.get(collection.unit_key)
    if allowed is None or collection.unit_key not in {i.key for i in inputs}:
        return {}
    if wanted in allowed:
        return {}
    label = next(i.label for i in inputs if i.key == collection.unit_key)
    return {collection.unit_key: [f"{label} 只能是你所在的工会(或已并入它的单位)"]}


def prepare_edit(
    content_dir: Path,
    *,
    collection: Collection,
    record_id: str,
    values: dict[str, Value],
    version: str,
    inputs: list[FormField],
    allowed_units: frozenset[str] | None,
) -> Prepared:
    """Prepare changing one record to `values` (only keys in `inputs` are touched)."""
    entry = find(content_dir, collection, record_id)
    if entry is None or (allowed_units is not None and entry.unit not in allowed_units):
        return Prepared(MISSING, record_id)
    before = entry.path.read_bytes()
    doc = documents.Document(before.decode("utf-8"))
    record = record_in(doc.data, collection, entry.position)
    prepared = Prepared(
        READY,
        record_id,
        entry.path,
        display_path(content_dir, entry.path),
        before,
        version=documents.version_of(before),
    )
    if version != prepared.version:
        prepared.outcome = STALE
        prepared.now = formfields.values_of(record, inputs)
        return prepared
    order = [f.key for f in collection.fields]
    prepared.changed = formfields.apply(record, inputs, values, order=order)
    text = doc.dump()
    prepared.after = text.encode("utf-8")
    prepared.checked = Checked(on_fields=_unit_problem(collection, inputs, values, allowed_units))
    if not prepared.checked.ok:
        prepared.outcome = REFUSED
        return prepared
    if prepared.after == before:
        prepared.outcome = UNCHANGED
        return prepared
    prepared.checked = check_candidate(
        content_dir,
        path=entry.path,
        text=text,
        collection=collection,
        position=entry.position,
        keys=[i.key for i in inputs],
    )
    if not prepared.checked.ok:
        prepared.outcome = REFUSED
    return prepared


def prepare_new(
    content_dir: Path,
    *,
    collection: Collection,
    values: dict[str, Value],
    inputs: list[FormField],
    allowed_units: frozenset[str] | None,
) -> Prepared:
    """Prepare a new record in its own file `content/<folder>/<id>.yaml`."""
    if not collection.creatable:
        raise ValueError(f"{collection.name} records are not created from the console")
    record_id = str(values.get(collection.id_key) or "")
    label = next(f.label for f in collection.fields if f.key == collection.id_key)
    prepared = Prepared(REFUSED, record_id)
    prepared.checked = Checked(on_fields=_unit_problem(collection, inputs, values, allowed_units))
    if not SLUG.match(record_id):
        message = f'{label} "{record_id}" 只能用小写英文字母、数字和连字符(例如 c01-diangong)'
        prepared.checked.on_fields.setdefault(collection.id_key, []).append(message)
        return prepared
    path = content_dir / collection.folder / f"{record_id}.yaml"
    prepared.path, prepared.shown_path = path, display_path(content_dir, path)
    if path.exists() or find(content_dir, collection, record_id) is not None:
        message = f'{label} "{record_id}" 已被使用,请换一个'
        prepared.checked.on_fields.setdefault(collection.id_key, []).append(message)
        return prepared
    if not prepared.checked.ok:
        return prepared
    record = CommentedMap()
    order = [f.key for f in collection.fields]
    prepared.changed = formfields.apply(record, inputs, values, order=order)
    text = documents.new_document(record)
    prepared.after = text.encode("utf-8")
    prepared.checked = check_candidate(
        content_dir, path=path, text=text, collection=collection, position=None, keys=order
    )
    prepared.outcome = READY if prepared.checked.ok else REFUSED
    return prepared
