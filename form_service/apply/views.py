"""Views of the application flows: form → check answers → stored → confirmation (PRG)."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from form_service import messages
from form_service.applications import submit as queries
from form_service.applications.consent import CONSENT_VERSION
from form_service.applications.contacts import contact_of, what_applicant_is_told
from form_service.applications.seats import availability, seat_rule
from form_service.apply import bp
from form_service.forms.answers import summary, to_new_application
from form_service.forms.flows import FLOW_OF_KIND, FORMS, HONEYPOT, ApplicationForm
from form_service.store import StoreBusy
from form_service.web import services
from form_service.web.errors import csrf_message
from form_service.web.services import catalogue, store
from site_builder.catalog import today

log = logging.getLogger(__name__)
IDEMPOTENCY_KEY = re.compile(r"[0-9a-f]{32}", re.ASCII)
FLOW_PATTERN = "any(training, entrepreneurship, housekeeping, jobseeker)"


def _error_list(form: ApplicationForm) -> list[tuple[str, str]]:
    """Return (anchor, message) for the error summary, in the order of the page."""
    return [(f.anchor(), str(f.errors[0])) for f in form.answer_fields() if f.errors]


def _course_notice(form: ApplicationForm) -> dict[str, object] | None:
    course = form.chosen_course()
    if course is None:
        return None
    return availability(store(), course, day=today(), with_waiting_list=False, exact=False)


def _blank_sections(form: ApplicationForm) -> Markup:
    """Return the answer fields of an untouched form, rendered once per flow and course.

    They are the same for everyone (the catalogue is loaded once per app) and are most of the
    page's rendering time; the token, the key and the seats around them are rendered each time.
    """
    course_field = getattr(form, "course_id", None)
    key = (id(form.catalogue), form.flow, course_field.data if course_field is not None else None)
    cache = current_app.extensions.setdefault("portal.blank_sections", {})
    hit = cache.get(key)
    if hit is None or hit[0] is not form.catalogue:
        html = Markup(render_template("apply/_sections.html", form=form))
        hit = cache[key] = (form.catalogue, html)
    return hit[1]  # type: ignore[no-any-return]


def _form_page(
    form: ApplicationForm,
    *,
    status: int = 200,
    notice: str | None = None,
    refused_by_csrf: str = "",
    blank: bool = False,
) -> ResponseReturnValue:
    errors = _error_list(form)
    if refused_by_csrf:
        errors.insert(0, ("", refused_by_csrf))
    page = render_template(
        "apply/form.html",
        form=form,
        errors=errors,
        notice=notice,
        course=_course_notice(form),
        blank_sections=_blank_sections(form) if blank and not errors else None,
    )
    return page, status


def _refused(message: str, status: int) -> ResponseReturnValue:
    return render_template("apply/refused.html", message=message), status


def _unexpected_fields(form: ApplicationForm, formdata: MultiDict[str, str]) -> bool:
    """Tell whether a POST carries names this form has not, or one answer twice."""
    accepted = form.accepted_names()
    multiple = form.multiple_names()
    for name, values in formdata.lists():
        if name not in accepted or (len(values) > 1 and name not in multiple):
            return True
    return False


@bp.get("/")
def index() -> ResponseReturnValue:
    """List the four flows."""
    return render_template("apply/index.html", forms=FORMS)


@bp.route(f"/<{FLOW_PATTERN}:flow>", methods=["GET", "POST"])
def flow(flow: str) -> ResponseReturnValue:
    """Show a flow's form (GET) or take one step of it (POST: continue, edit or submit)."""
    form_class = FORMS[flow]
    if request.method == "GET":
        return _start(form_class)
    return _answer(form_class)


def _start(form_class: type[ApplicationForm]) -> ResponseReturnValue:
    cat = catalogue()
    form = form_class(formdata=None, catalogue=cat)
    form.idempotency_key.data = uuid.uuid4().hex
    wanted = request.args.get("course", "").strip()
    notice = None
    if wanted and form_class.course_kind is not None:
        course = cat.courses.get(wanted)
        if course is None or course.withdrawn:  # withdrawn (撤下): no longer offered
            notice = messages.Form.COURSE_UNKNOWN
        elif course.kind != form_class.course_kind:
            target = FLOW_OF_KIND[course.kind]
            return redirect(url_for("apply.flow", flow=target, course=course.id), 302)
        else:
            form.course_id.data = course.id
            form.course_id.value = course.id
    fair = request.args.get("fair", "").strip()
    if fair and hasattr(form, "fair_id"):
        if fair in cat.job_fairs:
            form.fair_id.data = fair
        else:
            notice = messages.Form.FAIR_UNKNOWN
    return _form_page(form, notice=notice, blank=True)


def _answer(form_class: type[ApplicationForm]) -> ResponseReturnValue:
    cat = catalogue()
    form = form_class(formdata=request.form, catalogue=cat)
    if _unexpected_fields(form, request.form):
        return _refused(messages.Form.REFUSED, 400)
    if not IDEMPOTENCY_KEY.fullmatch(form.idempotency_key.data or ""):
        return _refused(messages.Form.REFUSED, 400)
    action = request.form.get("action", "continue")
    if action == "edit":
        return _form_page(form)
    if not form.validate():
        return _form_page(form, status=400)
    if action != "submit":
        return render_template("apply/check.html", form=form, sections=summary(form))
    if form[HONEYPOT].data:
        # A bot filled the hidden field: say nothing useful, store nothing, show no reference.
        log.info("honeypot filled on %s", form.flow)
        return render_template("apply/received.html", title=form.title)
    return _submit(form)


def _submit(form: ApplicationForm) -> ResponseReturnValue:
    cat = catalogue()
    now = datetime.now(UTC)
    application = to_new_application(form, catalogue=cat, consent_version=CONSENT_VERSION, now=now)
    course = form.chosen_course()
    rule = seat_rule(course, day=today()) if course is not None else None
    try:
        submission = queries.submit_application(
            store(), application=application, cipher=services.cipher(), seat_rule=rule, now=now
        )
    except (sa.exc.SQLAlchemyError, StoreBusy) as exc:
        log.error("could not store a %s application: %s", form.flow, type(exc).__name__)
        return _refused(messages.Form.BUSY, 503)
    if submission.kind in ("created", "replayed"):
        token = services.confirmation_signer().dumps(submission.reference)
        return redirect(url_for("apply.submitted", token=token), 303)
    if submission.kind == "duplicate":
        message = (
            messages.Form.DUPLICATE_WITH_REFERENCE.format(reference=submission.reference)
            if submission.same_phone
            else messages.Form.DUPLICATE
        )
        page = render_template(
            "apply/duplicate.html",
            form=form,
            message=message,
            contact=contact_of(cat, application.unit_id),
        )
        return page, 409
    return _refused(messages.Form.ALREADY_SUBMITTED, 422)


@bp.get("/submitted/<token>")
def submitted(token: str) -> ResponseReturnValue:
    """Show the reference of a stored application, what happens next and whom to call."""
    try:
        reference = services.confirmation_signer().loads(token)
    except BadSignature:
        abort(404)
    with store().read() as conn:
        facts = queries.public_facts(conn, reference=str(reference))
    if facts is None:
        abort(404)
    told = what_applicant_is_told(catalogue(), facts)
    return render_template("apply/submitted.html", facts=facts, **told)


@bp.errorhandler(CSRFError)
def expired(exc: CSRFError) -> ResponseReturnValue:
    """Keep the answers whatever failed the CSRF check: show them again, saying what happened."""
    flow_name = (request.view_args or {}).get("flow")
    if request.method != "POST" or flow_name not in FORMS:
        return _refused(csrf_message(exc), 400)
    form = FORMS[flow_name](formdata=request.form, catalogue=catalogue())
    if not IDEMPOTENCY_KEY.fullmatch(form.idempotency_key.data or ""):
        form.idempotency_key.data = uuid.uuid4().hex
    return _form_page(form, status=400, refused_by_csrf=csrf_message(exc))
