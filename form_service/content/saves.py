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


@dataclass(frozen=True)
class Desk:
    """Where and as whom a save happens: the store, the content folder, the collection, the
    units this person may write for (None: every unit) and the person."""

    store: Store
    content_dir: Path
    collection: Collection
    allowed_units: frozenset[str] | None
    who: Who


def _finish(desk: Desk, prepared: Prepared, *, action: str, note: str = "") -> int | None:
    """Record and write a READY save (audit a refused one); return the history id."""
    who, collection = desk.who, desk.collection
    detail = {"collection": collection.name, "outcome": prepared.outcome}
    if prepared.outcome != changes.READY:
        if prepared.outcome in (changes.REFUSED, changes.STALE):
            with desk.store.write() as conn:
                audit.record(conn, by=Actor(who.username, who.ip), action="content_refused", unit_id=who.unit_id, target=prepared.record_id, detail=detail)  # fmt: skip
        return None
    assert prepared.path is not None
    with desk.store.write() as conn:
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
    gitlog.commit(desk.content_dir, path=prepared.path, author=who.username,
                  message=f"{label} {collection.one} {prepared.record_id}"
                  + (f":{note}" if note else ""))  # fmt: skip
    return change_id


def _edit(
    desk: Desk, *, record_id: str, values: dict[str, Value], version: str,
    inputs: list[FormField], action: str, note: str = "",
) -> tuple[Prepared, int | None]:  # fmt: skip
    """Change one record to `values` if current, in scope and clean (hold the edit lock)."""
    prepared = changes.prepare_edit(desk.content_dir, collection=desk.collection,
                                    record_id=record_id, values=values, version=version,
                                    inputs=inputs, allowed_units=desk.allowed_units)  # fmt: skip
    return prepared, _finish(desk, prepared, action=action, note=note)


def save_edit(
    desk: Desk, *, record_id: str, values: dict[str, Value], version: str, inputs: list[FormField]
) -> tuple[Prepared, int | None]:
    """Save a changed record if it is current, in scope and keeps the catalogue clean."""
    with documents.edit_lock(desk.content_dir):
        return _edit(desk, record_id=record_id, values=values, version=version, inputs=inputs,
                     action="edit")  # fmt: skip


def save_new(
    desk: Desk, *, values: dict[str, Value], inputs: list[FormField]
) -> tuple[Prepared, int | None]:
    """Create a record in its own file if the catalogue stays clean."""
    with documents.edit_lock(desk.content_dir):
        prepared = changes.prepare_new(desk.content_dir, collection=desk.collection,
                                       values=values, inputs=inputs,
                                       allowed_units=desk.allowed_units)  # fmt: skip
        return prepared, _finish(desk, prepared, action="new")


def withdraw(
    desk: Desk, *, record_id: str, reason: str, version: str
) -> tuple[Prepared, int | None]:
    """Take a listing down (撤下) with a reason; the record stays in its file."""
    reason = " ".join(reason.split())
    if not reason:
        refused = Prepared(changes.REFUSED, record_id)
        refused.checked.on_fields["withdrawn"] = [REASON_NEEDED]
        return refused, None
    with documents.edit_lock(desk.content_dir):
        return _edit(desk, record_id=record_id, values={"withdrawn": reason}, version=version,
                     inputs=[WITHDRAW_INPUT], action="withdraw", note=reason)  # fmt: skip


class NotRevertible(Exception):
    """A change that cannot be undone by a save (a record's creation: withdraw it instead)."""


def revert(desk: Desk, *, change: sa.Row, inputs: list[FormField]) -> tuple[Prepared, int | None]:
    """Put back the values one change replaced, as a new save checked like any other."""
    if change.action == "new":
        raise NotRevertible(change.id)
    keys = set(change.changed)
    touched = [i for i in inputs if i.key in keys]
    if "withdrawn" in keys:
        touched.append(WITHDRAW_INPUT)
    with documents.edit_lock(desk.content_dir):
        entry = find(desk.content_dir, desk.collection, change.record_id)
        if entry is None:
            return Prepared(changes.MISSING, change.record_id), None
        old = record_in(
            documents.Document(change.before_text).data, desk.collection, entry.position
        )
        return _edit(desk, record_id=change.record_id, values=formfields.values_of(old, touched),
                     version=documents.version_of(entry.path.read_bytes()), inputs=touched,
                     action="revert", note=f"#{change.id}")  # fmt: skip
