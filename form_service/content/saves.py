"""One console save, start to end: check, record (history and audit), write atomically, commit.

Each operation holds the content folder's edit lock while it checks and writes, so two saves of
the same file never interleave, and writes its own history row and audit record in the same
store transaction as the file write: a web view is one call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.content import gitlog, history
from form_service.store.engine import Store
from site_builder.editing import changes, documents, formfields
from site_builder.editing.changes import Prepared
from site_builder.editing.collections import Collection, find, record_in
from site_builder.editing.formfields import FormField, Value

WITHDRAW_INPUT = FormField("withdrawn", "撤下原因", "text", False)
REASON_NEEDED = "请写明撤下的原因(例如:基地停办、人数不足取消)"


@dataclass(frozen=True)
class Who:
    """The person saving: username, their unit (None: city staff) and where they are."""

    username: str
    unit_id: str | None
    ip: str = ""


def _finish(
    store: Store,
    prepared: Prepared,
    *,
    content_dir: Path,
    collection: Collection,
    who: Who,
    action: str,
    note: str = "",
) -> int | None:
    """Record and write a READY save (audit a refused one); return the history id."""
    detail = {"collection": collection.name, "outcome": prepared.outcome}
    if prepared.outcome != changes.READY:
        if prepared.outcome in (changes.REFUSED, changes.STALE):
            with store.write() as conn:
                audit.record(conn, by=Actor(who.username, who.ip), action="content_refused", unit_id=who.unit_id, target=prepared.record_id, detail=detail)  # fmt: skip
        return None
    assert prepared.path is not None
    with store.write() as conn:
        change_id = history.record_change(
            conn,
            actor=who.username,
            unit_id=who.unit_id,
            collection=collection.name,
            record_id=prepared.record_id,
            path=prepared.shown_path,
            action=action,
            changed=prepared.changed,
            before=prepared.before,
            after=prepared.after,
            before_version=documents.version_of(prepared.before) if prepared.before else "",
            after_version=documents.version_of(prepared.after),
            note=note,
        )
        audit.record(conn, by=Actor(who.username, who.ip), action=f"content_{action}"
                     if action != "edit" else "content_save", unit_id=who.unit_id, target=prepared.record_id, detail=detail | {"changed": prepared.changed, "change": change_id})  # fmt: skip
        documents.write_atomically(prepared.path, prepared.after)
    label = history.ACTIONS[action]
    gitlog.commit(content_dir, path=prepared.path, author=who.username,
                  message=f"{label} {collection.one} {prepared.record_id}"
                  + (f":{note}" if note else ""))  # fmt: skip
    return change_id


def save_edit(
    store: Store,
    *,
    content_dir: Path,
    collection: Collection,
    record_id: str,
    values: dict[str, Value],
    version: str,
    inputs: list[FormField],
    allowed_units: frozenset[str] | None,
    who: Who,
) -> tuple[Prepared, int | None]:
    """Save a changed record if it is current, in scope and keeps the catalogue clean."""
    with documents.edit_lock(content_dir):
        prepared = changes.prepare_edit(content_dir, collection=collection, record_id=record_id,
                                        values=values, version=version, inputs=inputs,
                                        allowed_units=allowed_units)  # fmt: skip
        change_id = _finish(store, prepared, content_dir=content_dir, collection=collection,
                            who=who, action="edit")  # fmt: skip
    return prepared, change_id


def save_new(
    store: Store,
    *,
    content_dir: Path,
    collection: Collection,
    values: dict[str, Value],
    inputs: list[FormField],
    allowed_units: frozenset[str] | None,
    who: Who,
) -> tuple[Prepared, int | None]:
    """Create a record in its own file if the catalogue stays clean."""
    with documents.edit_lock(content_dir):
        prepared = changes.prepare_new(content_dir, collection=collection, values=values,
                                       inputs=inputs, allowed_units=allowed_units)  # fmt: skip
        change_id = _finish(store, prepared, content_dir=content_dir, collection=collection,
                            who=who, action="new")  # fmt: skip
    return prepared, change_id


def withdraw(
    store: Store,
    *,
    content_dir: Path,
    collection: Collection,
    record_id: str,
    reason: str,
    version: str,
    allowed_units: frozenset[str] | None,
    who: Who,
) -> tuple[Prepared, int | None]:
    """Take a listing down (撤下) with a reason; the record stays in its file."""
    reason = " ".join(reason.split())
    if not reason:
        refused = Prepared(changes.REFUSED, record_id)
        refused.checked.on_fields["withdrawn"] = [REASON_NEEDED]
        return refused, None
    with documents.edit_lock(content_dir):
        prepared = changes.prepare_edit(content_dir, collection=collection, record_id=record_id,
                                        values={"withdrawn": reason}, version=version,
                                        inputs=[WITHDRAW_INPUT],
                                        allowed_units=allowed_units)  # fmt: skip
        change_id = _finish(store, prepared, content_dir=content_dir, collection=collection,
                            who=who, action="withdraw", note=reason)  # fmt: skip
    return prepared, change_id


class NotRevertible(Exception):
    """A change that cannot be undone by a save (a record's creation: withdraw it instead)."""


def revert(
    store: Store,
    *,
    content_dir: Path,
    collection: Collection,
    change: sa.Row,
    inputs: list[FormField],
    allowed_units: frozenset[str] | None,
    who: Who,
) -> tuple[Prepared, int | None]:
    """Put back the values one change replaced, as a new save checked like any other."""
    if change.action == "new":
        raise NotRevertible(change.id)
    keys = set(change.changed)
    touched = [i for i in inputs if i.key in keys]
    if "withdrawn" in keys:
        touched.append(WITHDRAW_INPUT)
    with documents.edit_lock(content_dir):
        entry = find(content_dir, collection, change.record_id)
        if entry is None:
            return Prepared(changes.MISSING, change.record_id), None
        before = documents.Document(change.before_text)
        old = record_in(before.data, collection, entry.position)
        values = formfields.values_of(old, touched)
        version = documents.version_of(entry.path.read_bytes())
        prepared = changes.prepare_edit(content_dir, collection=collection,
                                        record_id=change.record_id, values=values,
                                        version=version, inputs=touched,
                                        allowed_units=allowed_units)  # fmt: skip
        change_id = _finish(store, prepared, content_dir=content_dir, collection=collection,
                            who=who, action="revert", note=f"#{change.id}")  # fmt: skip
    return prepared, change_id
