"""Progress look-up: reference number plus the last 4 digits of the phone, nothing else shown."""

from __future__ import annotations

import re
import unicodedata

from flask import render_template, request
from flask.typing import ResponseReturnValue

from form_service.applications import submit as queries
from form_service.applications.contacts import what_applicant_is_told
from form_service.applications.references import normalise_reference
from form_service.messages import Status
from form_service.status import bp
from form_service.web.services import catalogue, store

LAST4 = re.compile(r"\d{4}", re.ASCII)


@bp.route("/apply/status", methods=["GET", "POST"])
def lookup() -> ResponseReturnValue:
    """Ask for the pair (GET); answer with the state or one generic 'not found' (POST)."""
    if request.method == "GET":
        return render_template("status/lookup.html", errors=[], values={})
    raw_reference = request.form.get("reference", "")
    raw_last4 = unicodedata.normalize("NFKC", request.form.get("phone_last4", "")).strip()
    values = {"reference": raw_reference, "phone_last4": raw_last4}
    errors = []
    reference = normalise_reference(raw_reference)
    if not raw_reference.strip():
        errors.append(("reference", Status.REFERENCE_REQUIRED))
    if not LAST4.fullmatch(raw_last4):
        errors.append(("phone_last4", Status.LAST4_INVALID))
    if errors:
        return render_template("status/lookup.html", errors=errors, values=values), 400
    found = None
    if reference is not None:
        with store().read() as conn:
            found = queries.progress(conn, reference=reference, phone_last4=raw_last4)
    if found is None:
        page = render_template(
            "status/lookup.html", errors=[("reference", Status.NOT_FOUND)], values=values
        )
        return page, 404
    told = what_applicant_is_told(catalogue(), found)
    return render_template("status/result.html", found=found, **told)
