"""List, edit, create and withdraw listings: one form per record, generated from the field table."""

from __future__ import annotations

from typing import Any

import markdown
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from form_service.content import drafts, permissions, saves
from form_service.staff import bp, me
from form_service.staff.content import common
from form_service.web.services import catalogue
from site_builder.catalog import Catalogue, today
from site_builder.catalog import vocabulary as v
from site_builder.editing import changes, documents, formfields
from site_builder.editing import collections as c
from site_builder.editing.collections import Collection, Entry
from site_builder.render import sanitize

PER_PAGE = 100
UNPUBLISHED = "未发布"


def _state(collection: Collection, record_id: str, cat: Catalogue | None) -> str:
    """Return a record's state in a catalogue (the draft or the published one)."""
    if cat is None:
        return "—"
    day = today()
    if collection is c.COURSES:
        course = cat.courses.get(record_id)
        return course.state_on(day) if course else UNPUBLISHED
    if collection is c.JOB_FAIRS:
        fair = cat.job_fairs.get(record_id)
        if fair is None:
            return UNPUBLISHED
        return v.WITHDRAWN if fair.withdrawn else "即将举办" if fair.date >= day else "已举办"
    if collection is c.BASES:
        base = cat.bases.get(record_id)
        return UNPUBLISHED if base is None else v.WITHDRAWN if base.withdrawn else "在用"
    return ""


@bp.get("/content/")
def content_index() -> ResponseReturnValue:
    """List the records of one collection this person may edit, filterable by unit and state."""
    shown = permissions.collections_for(me(), catalogue())
    collection = common.collection_named(request.args.get("collection", "courses"))
    draft, problems = drafts.draft(common.content_dir())
    live = catalogue()
    entries = [
        e for e in c.index(common.content_dir(), collection) if permissions.may_edit(me(), live, e)
    ]
    rows: list[dict[str, Any]] = [
        {
            "entry": e,
            "state": _state(collection, e.id, draft),
            "live": _state(collection, e.id, live),
            "public": common.public_path(collection, e.id),
        }
        for e in entries
    ]
    units = sorted({e.unit for e in entries if e.unit})
    states = sorted({r["state"] for r in rows})
    unit, state = request.args.get("unit", ""), request.args.get("state", "")
    rows = [r for r in rows if (not unit or r["entry"].unit == unit)]
    rows = [r for r in rows if (not state or r["state"] == state)]
    page = (
        max(1, int(request.args.get("page", "1"))) if request.args.get("page", "1").isdigit() else 1
    )
    names = {u.id: u.label for u in live.units.values()}
    return render_template(
        "staff/content/index.html",
        collections=shown,
        collection=collection,
        rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // PER_PAGE)),
        units=units,
        states=states,
        unit=unit,
        state=state,
        names=names,
        problems=problems,
    )


def _form_page(
    collection: Collection,
    entry: Entry | None,
    inputs: list[formfields.FormField],
    values: dict[str, Any],
    *,
    version: str = "",
    prepared: changes.Prepared | None = None,
    status: int = 200,
    copied_from: str = "",
) -> ResponseReturnValue:
    previews = {}
    if request.method == "POST" and request.form.get("action") == "preview":
        previews = {i.key: _preview(str(values.get(i.key) or "")) for i in inputs
                    if i.kind == "markdown"}  # fmt: skip
    page = render_template(
        "staff/content/edit.html",
        collection=collection,
        entry=entry,
        inputs=inputs,
        values=values,
        version=version,
        prepared=prepared,
        on_fields=prepared.checked.on_fields if prepared else {},
        previews=previews,
        public=common.public_path(collection, entry.id) if entry else None,
        copied_from=copied_from,
        roles=v.ORGANISER_ROLES,
    )
    return page, status


def _preview(text: str) -> Markup:
    """Render staff Markdown as the site does, through the same allow-list (never raw)."""
    html = markdown.markdown(
        text, extensions=["tables", "def_list", "site_builder.render.sanitize"]
    )
    return Markup(sanitize.clean(html))


@bp.route("/content/<collection_name>/new", methods=["GET", "POST"])
def content_new(collection_name: str) -> ResponseReturnValue:
    """Show an empty form (or a copy of `?from=<id>`); create the record when it passes the check."""
    collection = common.collection_named(collection_name)
    if not collection.creatable:
        common.denied(request.path)
    inputs = common.inputs(collection, new=True)
    if request.method == "GET":
        source = request.args.get("from", "")
        values: dict[str, Any] = {}
        if source:
            entry = common.entry_of(collection, source)
            record = c.record_in(
                documents.Document(entry.path.read_text(encoding="utf-8")).data,
                collection,
                entry.position,
            )
            values = formfields.values_of(record, inputs)
            values[collection.id_key] = ""
        return _form_page(collection, None, inputs, values, copied_from=source)
    values = formfields.submitted(request.form, inputs)
    if request.form.get("action") == "preview":
        return _form_page(collection, None, inputs, values)
    prepared, _ = saves.save_new(common.desk(collection), values=values, inputs=inputs)
    if prepared.outcome != changes.READY:
        return _form_page(collection, None, inputs, values, prepared=prepared, status=400)
    flash(f"已新增{collection.one} {prepared.record_id}(草稿,发布网站后公开)。")
    return redirect(url_for("staff.content_edit", collection_name=collection.name,
                            record_id=prepared.record_id))  # fmt: skip


@bp.route("/content/<collection_name>/<record_id>", methods=["GET", "POST"])
def content_edit(collection_name: str, record_id: str) -> ResponseReturnValue:
    """Show a record's form; save it when it is current, in scope and passes the check."""
    collection = common.collection_named(collection_name)
    entry = common.entry_of(collection, record_id)
    inputs = common.inputs(collection, new=False)
    data = entry.path.read_bytes()
    if request.method == "GET":
        record = c.record_in(
            documents.Document(data.decode("utf-8")).data, collection, entry.position
        )
        values = formfields.values_of(record, inputs)
        return _form_page(collection, entry, inputs, values, version=documents.version_of(data))
    values = formfields.submitted(request.form, inputs)
    version = request.form.get("version", "")
    if request.form.get("action") == "preview":
        return _form_page(collection, entry, inputs, values, version=version)
    prepared, _ = saves.save_edit(common.desk(collection), record_id=entry.id, values=values,
                                  version=version, inputs=inputs)  # fmt: skip
    if prepared.outcome == changes.MISSING:
        abort(404)
    if prepared.outcome == changes.STALE:
        # Keep what they typed; carry the new version so saving again is a deliberate choice.
        return _form_page(collection, entry, inputs, values, version=prepared.version,
                          prepared=prepared, status=409)  # fmt: skip
    if prepared.outcome == changes.REFUSED:
        return _form_page(collection, entry, inputs, values, version=version,
                          prepared=prepared, status=400)  # fmt: skip
    if prepared.outcome == changes.UNCHANGED:
        flash("没有改动,文件未变。")
    else:
        labels = {i.key: i.label for i in inputs}
        flash(
            "已保存(草稿,发布网站后公开):" + "、".join(labels.get(k, k) for k in prepared.changed)
        )
    return redirect(url_for("staff.content_edit", collection_name=collection.name,
                            record_id=entry.id))  # fmt: skip


@bp.post("/content/<collection_name>/<record_id>/withdraw")
def content_withdraw(collection_name: str, record_id: str) -> ResponseReturnValue:
    """Take a listing down with a reason (the record stays, marked 撤下)."""
    collection = common.collection_named(collection_name)
    if collection not in c.LISTINGS:
        common.denied(request.path)
    entry = common.entry_of(collection, record_id)
    prepared, _ = saves.withdraw(common.desk(collection), record_id=entry.id,
                                 reason=request.form.get("reason", ""),
                                 version=request.form.get("version", ""))  # fmt: skip
    if prepared.outcome == changes.READY:
        flash(f"已撤下{collection.one} {entry.id}(发布网站后生效)。")
    elif prepared.outcome == changes.STALE:
        flash("文件在你打开之后被别人改过,没有撤下。请看最新内容后再操作。")
    else:
        flash("没有撤下:" + ";".join(prepared.checked.messages() or ["内容没有变化"]))
    return redirect(url_for("staff.content_edit", collection_name=collection.name,
                            record_id=entry.id))  # fmt: skip
