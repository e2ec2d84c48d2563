"""Bulk steps from the list: the ticked applications, or every one the filters show.

One call into `applications.bulk.take_bulk_step` in one write transaction; the page then says
how many were done and lists each one left unchanged with the reason. Works without JavaScript:
ticking boxes is plain HTML, and “every one the filters show” is a radio choice.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.applications import bulk
from form_service.applications import queries as review
from form_service.staff import acting, bp, me, scope
from form_service.staff import forms as f
from form_service.staff.review import list_filters
from form_service.web.services import catalogue, store
from site_builder.catalog import today


@bp.context_processor
def _bulk_form() -> dict[str, Any]:
    # The list page shows the bulk form: its steps and the default date.
    return {"bulk_steps": bulk.STEPS, "bulk_today": today()}


@bp.post("/applications/bulk")
def bulk_step() -> ResponseReturnValue:
    """Take one step on the chosen applications; list those it does not apply to, and why."""
    errors: f.Errors = []
    filters, shown = list_filters(request.form, errors)
    step = f.choice(request.form, "step", "批量办理的事项", errors, allowed=bulk.STEPS)
    on = f.day(request.form, "on", "日期", errors, latest=today())
    every = request.form.get("which") == "all"
    chosen = [int(v) for v in request.form.getlist("ids") if v.isdigit()][: bulk.MAX_AT_ONCE]
    if not every and not chosen:
        errors.append(("ids", "请先勾选要办理的申请,或选择“筛选出的全部申请”"))
    kept: dict[str, Any] = {k: v for k, v in shown.items() if v}
    back = url_for("staff.applications", **kept)
    if errors or on is None:
        page = render_template("staff/bulk_result.html", result=None, errors=errors, back=back)
        return page, 400
    with store().write() as conn:
        if every:
            chosen = review.matching_ids(
                conn, scope=scope(), filters=filters, limit=bulk.MAX_AT_ONCE
            )
        result = bulk.take_bulk_step(
            conn,
            application_ids=chosen,
            scope=scope(),
            unit_id=me().unit_id,
            step=step,
            on=on,
            catalogue=catalogue(),
            by=acting(),
        )
    return render_template("staff/bulk_result.html", result=result, errors=[], back=back, on=on)
