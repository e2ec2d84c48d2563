"""What a console request may touch, found from the content and the person, never the URL."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, request

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.content import permissions
from form_service.content.saves import Desk, Who
from form_service.staff import client_ip, me
from form_service.web.services import catalogue, store
from site_builder.editing import collections as c
from site_builder.editing.collections import Collection, Entry
from site_builder.editing.formfields import FormField

PUBLIC_PATHS = {"courses": "/courses/{}/", "bases": "/bases/{}/", "job_fairs": "/job-fairs/{}/"}


def content_dir() -> Path:
    return Path(current_app.config["PORTAL_CONTENT_DIR"])


def site_dir() -> Path:
    return Path(current_app.config["PORTAL_SITE_DIR"])


def who() -> Who:
    return Who(me().username, me().unit_id, client_ip())


def denied(target: str) -> None:
    """Audit a request for something this person may not touch, then answer 404."""
    with store().write() as conn:
        audit.record(conn, by=Actor(me().username, client_ip()), action="denied", unit_id=me().unit_id, target=target[:120])  # fmt: skip
    abort(404)


def collection_named(name: str) -> Collection:
    """Return a collection this person works with, or 404."""
    found = c.ALL.get(name)
    if found is None or found not in permissions.collections_for(me(), catalogue()):
        denied(request.path)
    assert found is not None
    return found


def entry_of(collection: Collection, record_id: str) -> Entry:
    """Return a record this person may edit, or 404 (audited) — the same for absent and foreign."""
    entry = c.find(content_dir(), collection, record_id)
    if entry is None or not permissions.may_edit(me(), catalogue(), entry):
        denied(request.path)
    assert entry is not None
    return entry


def references() -> dict[str, tuple[tuple[str, str], ...]]:
    """Return the choices for keys naming other records: this person's units, every base."""
    folder = content_dir()
    units = c.index(folder, c.UNITS)
    return {
        "units": permissions.unit_choices(me(), catalogue(), units),
        "bases": tuple((e.id, f"{e.title}({e.id})") for e in c.index(folder, c.BASES)),
    }


def inputs(collection: Collection, *, new: bool) -> list[FormField]:
    return permissions.inputs_for(me(), collection, references=references(), new=new)


def allowed() -> frozenset[str] | None:
    return permissions.allowed_units(me(), catalogue())


def desk(collection: Collection) -> Desk:
    """Return where and as whom this request saves `collection`."""
    return Desk(store(), content_dir(), collection, allowed(), who())


def public_path(collection: Collection, record_id: str) -> str | None:
    pattern = PUBLIC_PATHS.get(collection.name)
    return pattern.format(record_id) if pattern else None
