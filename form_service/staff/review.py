"""Review: the list with filters and search, the detail page, steps, outcomes, the full ID."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications import lifecycle, outcomes
from form_service.applications import queries as review
from form_service.applications.identity import mask_id_number, mask_phone
from form_service.applications.references import normalise_reference
from form_service.forms.answers import stored_answers
from form_service.forms.choices import TARGETS
from form_service.staff import bp, client_ip, me, scope
from form_service.staff import forms as f
from form_service.store.tables import FLOWS
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today
from site_builder.catalog.vocabulary import LEVELS

STEP_DONE = "已办理:{state}。"
RECORDED = "已记录:{kind}。"


def _unit_choices() -> list[tuple[str, str]]:
    cat = catalogue()
    units = cat.active_districts() + cat.industry_unions()
    mine = scope()
    return [(u.id, u.name) for u in units if mine is None or u.id in mine]


def list_filters(args: Any, errors: f.Errors) -> tuple[review.Filters, dict[str, str]]:
    """Read the list's filters from `args`: the filters and the values to show back."""
    cat = catalogue()
    unit = f.choice(
        args, "unit", "单位", errors, allowed=[u for u, _ in _unit_choices()], required=False
    )
    q = f.text(args, "q", "姓名或报名编号", errors, limit=50)
    reference = normalise_reference(q) or ""
    filters = review.Filters(
        flow=f.choice(args, "flow", "类别", errors, allowed=FLOWS, required=False),
        course_id=f.choice(args, "course", "课程", errors, allowed=cat.courses, required=False),
        state=f.choice(args, "state", "状态", errors, allowed=lifecycle.ALL_STATES, required=False),
        target_group=f.choice(args, "group", "人员类别", errors, allowed=TARGETS, required=False),
        unit_ids=cat.units_reporting_to(unit or None),
        created_from=f.day(args, "from", "开始日期", errors, required=False),
        created_to=f.day(args, "to", "结束日期", errors, required=False),
        name="" if reference else q,
        reference=reference,
        fair_id=f.choice(args, "fair", "招聘会", errors, allowed=cat.job_fairs, required=False),
    )
    keys = ("flow", "course", "state", "group", "unit", "from", "to", "q", "fair")
    shown = {k: args.get(k, "") for k in keys}
    return filters, shown


@bp.route("/applications")
def applications() -> ResponseReturnValue:
    """List applications of the reader's units, filtered and searched, 50 a page."""
    errors: f.Errors = []
    filters, shown = list_filters(request.args, errors)
    page = f.count(request.args, "page", "页码", errors, high=100_000, required=False) or 1
    with store().read() as conn:
        rows, total = review.list_applications(conn, scope=scope(), filters=filters, page=page)
    cipher = services.cipher()
    cat = catalogue()
    items = [
        {
            "row": row,
            "id_masked": mask_id_number(cipher.decrypt(row.id_number_encrypted)),
            "course": cat.courses.get(row.course_id or ""),
            "unit": cat.units.get(row.unit_id),
        }
        for row in rows
    ]
    return render_template(
        "staff/applications.html",
        items=items,
        total=total,
        page=page,
        per_page=review.PER_PAGE,
        shown=shown,
        errors=errors,
        flows=lifecycle.FLOW_TITLES,
        courses=sorted(cat.courses.values(), key=lambda c: c.id),
        fairs=sorted(cat.job_fairs.values(), key=lambda j: (j.date, j.id)),
        all_states=lifecycle.ALL_STATES,
        groups=TARGETS,
        units=_unit_choices(),
    )


def _load(application_id: int) -> Any:
    with store().read() as conn:
        row = review.get_application(conn, application_id=application_id, scope=scope())
    if row is None:
        abort(404)
    return row


def _track(row: Any) -> str:
    """Return the track of a loaded application, as the catalogue of today decides it."""
    return lifecycle.track_of(flow=row.flow, course_id=row.course_id, catalogue=catalogue())


def _detail(application_id: int, *, errors: f.Errors, full_id: str = "") -> ResponseReturnValue:
    row = _load(application_id)
    cat = catalogue()
    track = _track(row)
    with store().read() as conn:
        history = review.events_of(conn, application_id=row.id)
        records = outcomes.outcomes_of(conn, application_id=row.id)
    cipher = services.cipher()
    details = [
        (answer.label, answer.value)
        for answer in stored_answers(flow=row.flow, details=row.details or {}, catalogue=cat)
    ]
    page = render_template(
        "staff/detail.html",
        row=row,
        track=track,
        track_name=lifecycle.TRACKS[track],
        course=cat.courses.get(row.course_id or ""),
        fair=cat.job_fairs.get(row.fair_id or ""),
        unit=cat.units.get(row.unit_id),
        id_masked=mask_id_number(cipher.decrypt(row.id_number_encrypted)),
        full_id=full_id,
        phone_masked=mask_phone(cipher.decrypt(row.phone_encrypted)),
        details=details,
        history=history,
        records=records,
        steps=lifecycle.plain_steps(track=track, state=row.state),
        dated=lifecycle.DATED_STEPS,
        kinds=[
            k
            for k in lifecycle.RECORDABLE[track]
            if lifecycle.can_record(track=track, state=row.state, kind=k)
        ],
        kind_names=lifecycle.OUTCOME_KINDS,
        routes=outcomes.EMPLOYMENT_ROUTES,
        terms=f.CONTRACT_TERMS,
        contract_term=outcomes.contract_term,
        levels=LEVELS,
        errors=errors,
        realname=next((r.happened_on for r in records if r.kind == "realname"), None),
        can_mark=lifecycle.can_record(track=track, state=row.state, kind="realname"),
        today=today(),
        form=request.form if errors else {},
    )
    return page, 400 if errors else 200


@bp.route("/applications/<int:application_id>")
def detail(application_id: int) -> ResponseReturnValue:
    return _detail(application_id, errors=[])


@bp.route("/applications/<int:application_id>/reveal", methods=["POST"])
def reveal(application_id: int) -> ResponseReturnValue:
    """Show the full ID number once; the view is written to the audit log."""
    row = _load(application_id)
    with store().write() as conn:
        audit.record(
            conn,
            by=Actor(me().username, client_ip()),
            action="view_id",
            unit_id=row.unit_id,
            target=row.reference,
        )
    return _detail(
        application_id, errors=[], full_id=services.cipher().decrypt(row.id_number_encrypted)
    )


def _after(application_id: int, message: str) -> ResponseReturnValue:
    flash(message)
    return redirect(url_for("staff.detail", application_id=application_id))


@bp.route("/applications/<int:application_id>/step", methods=["POST"])
def step(application_id: int) -> ResponseReturnValue:
    """Move the application one step along its track (在训 and 结业 with their date)."""
    row = _load(application_id)
    track = _track(row)
    errors: f.Errors = []
    steps = lifecycle.plain_steps(track=track, state=row.state)
    to_state = f.choice(request.form, "to_state", "下一步", errors, allowed=steps)
    on = f.day(request.form, "on", "日期", errors, latest=today())
    note = f.text(request.form, "note", "备注", errors, limit=200)
    if errors or on is None:
        return _detail(application_id, errors=errors)
    done = STEP_DONE.format(state=to_state)
    return _change(row, track, outcomes.take_step, field="to_state", done=done,
                   to_state=to_state, on=on, note=note)  # fmt: skip


def _change(
    row: Any, track: str, change: Callable[..., object], *, field: str, done: str, **details: Any
) -> ResponseReturnValue:
    """Apply `change` to the application as the page showed it; a refusal is shown by `field`."""
    try:
        with store().write() as conn:
            change(
                conn,
                application_id=row.id,
                track=track,
                expected=request.form.get("expected", ""),
                actor=me().username,
                **details,
            )
    except outcomes.StepRefused as refused:
        return _detail(row.id, errors=[(field, refused.message)])
    return _after(row.id, done)


def _outcome(form: Any, kind: str, errors: f.Errors) -> outcomes.Outcome | None:
    on = f.day(form, "happened_on", "日期", errors, latest=today())
    values: dict[str, Any] = {"note": f.text(form, "note", "备注", errors, limit=200)}
    if kind == "certificate":
        values["occupation"] = f.text(
            form, "occupation", "证书工种", errors, limit=40, required=True
        )
        values["level"] = f.choice(form, "level", "证书等级", errors, allowed=LEVELS)
        values["cert_number"] = f.text(form, "cert_number", "证书编号", errors, limit=60)
    elif kind == "employment":
        values["employer"] = f.text(
            form, "employer", "就业单位(雇主)", errors, limit=100, required=True
        )
        values["found_via"] = f.choice(
            form, "found_via", "就业途径", errors, allowed=outcomes.EMPLOYMENT_ROUTES
        )
        values["contract_months"], values["open_ended"] = f.contract_term(form, errors)
    elif kind == "business":
        values["business_name"] = f.text(
            form, "business_name", "创业项目(字号)", errors, limit=100, required=True
        )
        values["jobs_created"] = f.count(form, "jobs_created", "带动就业人数", errors, high=10_000)
    elif kind == "jobs":
        values["jobs_created"] = f.count(
            form, "jobs_created", "累计带动就业人数", errors, high=10_000
        )
    if errors or on is None:
        return None
    return outcomes.Outcome(kind, on, **values)


@bp.route("/applications/<int:application_id>/outcome", methods=["POST"])
def outcome(application_id: int) -> ResponseReturnValue:
    """Record a certificate, a job, a business, jobs created, or the entry into 全总帮扶系统."""
    row = _load(application_id)
    track = _track(row)
    errors: f.Errors = []
    kind = f.choice(
        request.form, "kind", "记录内容", errors, allowed=(*lifecycle.RECORDABLE[track], "realname")
    )
    record = _outcome(request.form, kind, errors) if kind else None
    if record is None:
        return _detail(application_id, errors=errors or [("kind", "请选择记录内容")])
    done = RECORDED.format(kind=lifecycle.OUTCOME_KINDS[kind])
    return _change(row, track, outcomes.record_outcome, field="kind", done=done, outcome=record)
