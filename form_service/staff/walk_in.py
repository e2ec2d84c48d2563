"""Walk-in entry: staff enter an application for a person at the desk or from a paper form.

The flows, questions and checks are the public form's (`forms/walk_in.py`); the application is
stored by the same `submit_application`, so the person gets a 报名编号 like anyone applying on
the web and can look it up. The channel, the member of staff and the paper consent are stored
with it; the entry is audited by the submission itself.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.applications import lifecycle
from form_service.applications.consent import CONSENT_VERSION
from form_service.applications.seats import seat_rule
from form_service.applications.submit import submit_application
from form_service.forms.answers import to_new_application
from form_service.forms.flows import FORMS, ApplicationForm
from form_service.forms.walk_in import limit_to, signed_on, walk_in_form
from form_service.staff import acting, bp, me, scope
from form_service.store import StoreBusy
from form_service.store.tables import applications
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today

FLOW_PATTERN = "any(training, entrepreneurship, housekeeping, jobseeker)"
ENTERED = "已录入{name}的{title},报名编号 {reference}。请把报名编号告诉申请人:凭报名编号和手机号码后四位可以查询进度。"


def _form(flow: str, formdata: object = None) -> ApplicationForm:
    cat = catalogue()
    form = walk_in_form(flow)(formdata=formdata, catalogue=cat)
    limit_to(form, catalogue=cat, scope=scope())
    return form


def _page(
    form: ApplicationForm, *, errors: list[tuple[str, str]], status: int = 200
) -> ResponseReturnValue:
    page = render_template("staff/walk_in.html", form=form, errors=errors, flows=FORMS)
    return page, status


@bp.get("/walk-in/")
def walk_in_index() -> ResponseReturnValue:
    """List the four flows a person can be entered for."""
    return render_template("staff/walk_in.html", form=None, errors=[], flows=FORMS)


@bp.route(f"/walk-in/<{FLOW_PATTERN}:flow>", methods=["GET", "POST"])
def walk_in(flow: str) -> ResponseReturnValue:
    """Show the flow's form (GET) or check and store it (POST), all answers kept on errors."""
    if request.method == "GET":
        form = _form(flow)
        form.idempotency_key.data = uuid.uuid4().hex
        form.channel.data = "窗口"
        return _page(form, errors=[])
    form = _form(flow, request.form)
    if not form.validate():
        errors = [(f.anchor(), str(f.errors[0])) for f in form.answer_fields() if f.errors]
        return _page(form, errors=errors, status=400)
    cat = catalogue()
    now = datetime.now(UTC)
    new = to_new_application(form, catalogue=cat, consent_version=CONSENT_VERSION, now=now)
    new = replace(
        new,
        channel=form.channel.value,
        entered_by=me().username,
        paper_consent_on=signed_on(form.consent_signed_on.value or ""),
        paper_consent_kept=form.consent_kept.value,
        fair_id=form.fair_at.value if form.channel.value == "招聘会现场" else new.fair_id,
    )
    course = form.chosen_course()
    rule = seat_rule(course, day=today()) if course is not None else None
    try:
        done = submit_application(store(), application=new, cipher=services.cipher(), seat_rule=rule,
                                  now=now, by=acting())  # fmt: skip
    except (sa.exc.SQLAlchemyError, StoreBusy):
        return _page(
            form, errors=[("", "系统繁忙,这份申请还没有保存,请稍后再点一次“保存”。")], status=503
        )
    if done.kind == "duplicate":
        message = f"此人已经申请过这一项,报名编号 {done.reference},不用再录入。"
        return _page(form, errors=[("id_number", message)], status=409)
    if done.kind == "conflict":
        return _page(form, errors=[("", "这张表已经保存过了,请重新打开录入页面。")], status=422)
    with store().read() as conn:
        app_id = conn.execute(
            sa.select(applications.c.id).where(applications.c.reference == done.reference)
        ).scalar_one()
    title = lifecycle.FLOW_TITLES[flow] + ("(已登记候补)" if done.waitlisted else "")
    flash(ENTERED.format(name=new.name, title=title, reference=done.reference))
    return redirect(url_for("staff.detail", application_id=app_id), 303)
