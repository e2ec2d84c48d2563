"""The statistics return, the real-name register and job-fair results, within the reader's scope."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from form_service.applications import outcomes
from form_service.applications import queries as review
from form_service.reports import register as exports
from form_service.reports import statistics as stats
from form_service.reports import statistics_sheet as stats_sheet
from form_service.reports.spreadsheets import ExportFile
from form_service.staff import acting, bp, me, scope
from form_service.staff import forms as f
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import JobFair, today

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8"
}
RATE_BARS = (
    ("skills_rate", "技能培训"),
    ("hk_rate", "家政培训"),
    ("ent_rate", "创业培训"),
    ("pl_rate", "职业介绍"),
)


def _download(made: ExportFile, fmt: str) -> ResponseReturnValue:
    """Stream a made file to the browser in pieces (a city register is tens of megabytes)."""
    response = send_file(made.file, mimetype=MIME[fmt], as_attachment=True, download_name=made.name)
    if made.size is not None:
        response.content_length = made.size
    return response


def _cutoff(errors: f.Errors) -> date:
    chosen = f.day(request.args, "cutoff", "统计截止日期", errors, required=False)
    return chosen or stats_sheet.default_cutoff(catalogue(), on=today())


@bp.route("/stats")
def stats_page() -> ResponseReturnValue:
    """Show the return for a cut-off with a bar of completion per unit and indicator."""
    errors: f.Errors = []
    cutoff = _cutoff(errors)
    with store().read() as conn:
        result, sheet = stats_sheet.build_return(
            conn, catalogue=catalogue(), cutoff=cutoff, unit_id=me().unit_id
        )
    return render_template(
        "staff/stats.html",
        result=result,
        sheet=sheet,
        groups=stats.GROUPS,
        columns=stats.COLUMNS,
        rates=stats.RATES,
        bars=RATE_BARS,
        goal=stats.HOUSEKEEPING_GOAL,
        cutoffs=catalogue().cutoffs,
        errors=errors,
    )


@bp.route("/stats/download")
def stats_download() -> ResponseReturnValue:
    """Download the return as XLSX or CSV (no personal data in it); audited."""
    errors: f.Errors = []
    cutoff = _cutoff(errors)
    fmt = (
        f.choice(request.args, "format", "格式", errors, allowed=exports.FORMATS, required=False)
        or "xlsx"
    )
    if errors:
        abort(400)
    with store().write() as conn:
        made = stats_sheet.produce_return(
            conn, catalogue=catalogue(), cutoff=cutoff, unit_id=me().unit_id, fmt=fmt, by=acting()
        )
    return _download(made, fmt)


def _register_units() -> list[tuple[str, str]]:
    cat = catalogue()
    if me().unit_id:
        return [(me().unit_id or "", cat.units[me().unit_id or ""].name)]
    return [(u.id, u.name) for u in cat.active_districts() + cat.industry_unions()]


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Choose (GET) and download (POST) the real-name register; every download is audited."""
    if request.method == "GET":
        return render_template(
            "staff/register.html", units=_register_units(), kinds=exports.KINDS, errors=[], form={}
        )
    errors: f.Errors = []
    # XLSX unless CSV is asked for: only XLSX keeps ID and phone numbers as text in every
    # spreadsheet; the CSV is for machine import (the page says so).
    fmt = (
        f.choice(
            request.form, "format", "文件格式", errors, allowed=exports.FORMATS, required=False
        )
        or "xlsx"
    )
    kind = f.choice(request.form, "kind", "人员范围", errors, allowed=exports.KINDS)
    allowed_units = [u for u, _ in _register_units()]
    unit_id = f.choice(
        request.form, "unit", "单位", errors, allowed=allowed_units, required=bool(me().unit_id)
    )
    if errors:
        page = render_template(
            "staff/register.html",
            units=_register_units(),
            kinds=exports.KINDS,
            errors=errors,
            form=request.form,
        )
        return page, 400
    cat = catalogue()
    unit = unit_id or None
    export_scope = cat.units_reporting_to(unit)
    with store().write() as conn:
        made = exports.produce_register(
            conn,
            cipher=services.cipher(),
            catalogue=cat,
            scope=export_scope,
            unit_id=unit,
            kind=kind,
            fmt=fmt,
            on=today(),
            by=acting(),
        )
    return _download(made, fmt)


def _fairs() -> list[JobFair]:
    cat = catalogue()
    mine = scope()
    fairs = [j for j in cat.job_fairs.values() if mine is None or j.unit in mine]
    return sorted(fairs, key=lambda j: (j.date, j.id))


@bp.route("/fairs")
def fairs() -> ResponseReturnValue:
    """List the job fairs of the reader's units with the results entered so far."""
    with store().read() as conn:
        results = outcomes.fair_results(conn)
        registered = review.count_by_fair(conn, scope=scope())
    units = {u.id: u.name for u in catalogue().units.values()}
    return render_template(
        "staff/fairs.html",
        fairs=_fairs(),
        results=results,
        registered=registered,
        units=units,
        fields=outcomes.FAIR_FIELDS,
        today=today(),
    )


@bp.route("/fairs/<fair_id>", methods=["GET", "POST"])
def fair(fair_id: str) -> ResponseReturnValue:
    """Enter or correct the results of one job fair that has taken place."""
    found = next((j for j in _fairs() if j.id == fair_id), None)
    if found is None:
        abort(404)
    with store().read() as conn:
        current = outcomes.fair_results(conn).get(fair_id)
        registered = review.count_by_fair(conn, scope=scope()).get(fair_id, 0)
    errors: f.Errors = []
    if request.method == "POST":
        if found.date > today():
            errors.append(("employers", "招聘会还没有举行,举行以后再填写结果。"))
        counts = {
            key: f.count(request.form, key, label, errors, high=1_000_000)
            for key, label in outcomes.FAIR_FIELDS.items()
        }
        if not errors:
            with store().write() as conn:
                outcomes.save_fair_result(
                    conn,
                    fair_id=fair_id,
                    unit_id=found.unit,
                    counts={k: v or 0 for k, v in counts.items()},
                    actor=me().username,
                )
            flash(f"已保存“{found.title}”的结果。")
            return redirect(url_for("staff.fairs"))
    form = (
        request.form
        if request.method == "POST"
        else {key: str(getattr(current, key)) for key in outcomes.FAIR_FIELDS}
        if current
        else {}
    )
    page = render_template(
        "staff/fair.html",
        fair=found,
        registered=registered,
        fields=outcomes.FAIR_FIELDS,
        form=form,
        errors=errors,
        today=today(),
    )
    return page, 400 if errors else 200
