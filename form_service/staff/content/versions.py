"""A record's history as readable diffs, and one-click revert (a new save, checked as any)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.content import history, saves
from form_service.staff import bp
from form_service.staff.content import common
from form_service.web.services import store
from site_builder.editing import changes


@bp.get("/content/<collection_name>/<record_id>/history")
def content_history(collection_name: str, record_id: str) -> ResponseReturnValue:
    """Show every save of a record: who, when, which file and the change."""
    collection = common.collection_named(collection_name)
    entry = common.entry_of(collection, record_id)
    with store().read() as conn:
        rows = history.changes_of(conn, collection=collection.name, record_id=entry.id)
    labels = {f.key: f.label for f in collection.fields}
    shown = [{"row": row, "diff": history.diff(row.before_text, row.after_text)} for row in rows]
    return render_template(
        "staff/content/history.html",
        collection=collection,
        entry=entry,
        changes=shown,
        labels=labels,
        actions=history.ACTIONS,
    )


@bp.post("/content/<collection_name>/<record_id>/revert/<int:change_id>")
def content_revert(collection_name: str, record_id: str, change_id: int) -> ResponseReturnValue:
    """Put back what one save changed, if the catalogue stays clean."""
    collection = common.collection_named(collection_name)
    entry = common.entry_of(collection, record_id)
    with store().read() as conn:
        row = history.change(conn, change_id=change_id)
    if row is None or (row.collection, row.record_id) != (collection.name, entry.id):
        common.denied(request.path)
    assert row is not None
    try:
        prepared, _ = saves.revert(common.desk(collection), change=row,
                                   inputs=common.inputs(collection, new=False))  # fmt: skip
    except saves.NotRevertible:
        flash("新增的记录不能撤销;不再需要时请用“撤下”。")
        return redirect(url_for("staff.content_history", collection_name=collection.name,
                                record_id=entry.id))  # fmt: skip
    if prepared.outcome == changes.MISSING:
        abort(404)
    if prepared.outcome == changes.READY:
        flash(f"已撤销第 {change_id} 号修改(草稿,发布网站后公开)。")
    elif prepared.outcome == changes.UNCHANGED:
        flash("文件已经是这次修改之前的样子,无需撤销。")
    else:
        flash("不能撤销,撤销后内容会有问题:" + ";".join(prepared.checked.messages()))
    return redirect(url_for("staff.content_history", collection_name=collection.name,
                            record_id=entry.id))  # fmt: skip
