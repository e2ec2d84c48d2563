"""概况 and the work lists: where the unit stands against its targets, and what it still owes.

Both read the 统计表's own counts (`reports/work_lists.py`), so the bars, the work list and the
return say the same; the dates ahead are the notice's cut-offs and due dates.
"""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from form_service.applications import queries as review
from form_service.reports import work_lists
from form_service.staff import bp, me, scope
from form_service.staff import forms as f
from form_service.web.services import catalogue, store
from site_builder.catalog import today


@bp.route("/")
def home() -> ResponseReturnValue:
    """概况: progress against the four targets as bars, and the days to the next cut-off."""
    with store().read() as conn:
        progress = work_lists.progress(
            conn, catalogue=catalogue(), unit_id=me().unit_id, on=today()
        )
        lines = work_lists.work_lines(conn, catalogue=catalogue(), scope=scope(), on=today())
        demo = review.has_demo(conn, scope=scope())
    return render_template(
        "staff/home.html", progress=progress, owed=work_lists.total(lines),
        days=work_lists.WAITING_DAYS, demo=demo,
    )  # fmt: skip


@bp.get("/work")
def work_list() -> ResponseReturnValue:
    """The work list: waiting too long, finished without a result, not yet entered, per course."""
    errors: f.Errors = []
    days = f.count(request.args, "days", "天数", errors, high=365, required=False)
    days = work_lists.WAITING_DAYS if days is None else days
    with store().read() as conn:
        progress = work_lists.progress(
            conn, catalogue=catalogue(), unit_id=me().unit_id, on=today()
        )
        lines = work_lists.work_lines(conn, catalogue=catalogue(), scope=scope(),
                                      on=today(), waiting_days=days)  # fmt: skip
    page = render_template(
        "staff/work_lists.html", progress=progress, lines=lines, total=work_lists.total(lines),
        days=days, errors=errors,
    )  # fmt: skip
    return page, 400 if errors else 200
