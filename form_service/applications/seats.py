"""Seats of a course: the catalogue's capacity against the sign-ups in the store."""

from __future__ import annotations

from datetime import date
from typing import Any

from form_service.applications import submit as queries
from form_service.applications.submit import SeatRule
from form_service.store.engine import Store
from site_builder.catalog import Course


def seat_rule(course: Course, *, day: date) -> SeatRule:
    """Seats left beyond those counted in the content, and whether sign-up dates allow a seat."""
    return SeatRule(
        seats=max(0, course.capacity - course.seats_taken),
        open=day <= course.apply_by and day <= course.end_date and not course.withdrawn,
    )


def availability(
    store: Store,
    course: Course,
    *,
    day: date,
    with_waiting_list: bool = True,
    exact: bool = True,
) -> dict[str, Any]:
    """Return the course's seats and listing state on `day`, as the JSON API answers it.

    With `exact=False`, `taken` stops at the capacity (state and seats left are the same).
    """
    up_to = None if exact else max(0, course.capacity - course.seats_taken)
    with store.read() as conn:
        here = queries.seats_taken(conn, course_id=course.id, up_to=up_to)
        waiting = (
            queries.waiting_list_length(conn, course_id=course.id) if with_waiting_list else None
        )
    taken = course.seats_taken + here
    state = course.state_on(day, seats_taken=taken)
    return {
        "course_id": course.id,
        "title": course.title,
        "capacity": course.capacity,
        "taken": taken,
        "seats_left": max(0, course.capacity - taken),
        "state": state,
        "accepts_sign_ups": course.accepts_sign_ups_on(day, seats_taken=taken),
        "waiting_list": waiting,
        "apply_by": course.apply_by.isoformat(),
        "as_of": day.isoformat(),
    }
