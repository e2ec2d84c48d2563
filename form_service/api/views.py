"""JSON answers: a course's seats for the static course pages, and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from flask.typing import ResponseReturnValue

from form_service.api import bp
from form_service.applications.seats import availability
from form_service.web.services import catalogue, store
from site_builder.catalog import today


@bp.get("/api/courses/<course_id>/availability")
def course_availability(course_id: str) -> ResponseReturnValue:
    """Return seats left, the waiting list and the listing state of a course today."""
    course = catalogue().courses.get(course_id)
    if course is None:
        # The id is not echoed: whatever was put in the URL stays out of the answer.
        return jsonify({"error": "课程不存在"}), 404
    response = jsonify(availability(store(), course, day=today()))
    # Seats change with every sign-up; a short cache keeps busy course pages cheap.
    response.headers["Cache-Control"] = "public, max-age=30"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer `ok` when the store answers."""
    try:
        with store().read() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return jsonify({"status": "error", "store": "unavailable"}), 503
    return jsonify({"status": "ok", "courses": len(catalogue().courses)})
