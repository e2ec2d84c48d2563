"""Exactly once: retries, double clicks, duplicates, seats and the waiting list, routing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service import messages as m
from form_service.store import Store
from form_service.store.tables import application_events, applications
from form_service.web import services
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers, element_text, text_of

ROW = ("reference", "flow", "course_id", "unit_id", "state", "waitlisted", "name")


def rows(store: Store) -> list[dict]:
    """The stored applications, oldest first: the columns a test compares."""
    query = sa.select(*(applications.c[name] for name in ROW)).order_by(applications.c.id)
    with store.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def test_submitting_the_same_form_again_gives_the_same_reference(
    applicant: Applicant, form_store: Store
) -> None:
    opened = applicant.open("training")
    first = applicant.submit("training", answers("training"), opened=opened)
    again = applicant.submit("training", answers("training"), opened=opened)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    reference = element_text(
        applicant.client.get(first.headers["Location"]).get_data(as_text=True), "reference"
    )
    assert [r["reference"] for r in rows(form_store)] == [reference]


def test_the_same_key_with_someone_else_s_answers_is_refused(
    applicant: Applicant, form_store: Store
) -> None:
    opened = applicant.open("training")
    applicant.submit("training", answers("training"), opened=opened)
    other = answers("training", id_number="310110198007253121", name="李四")
    response = applicant.submit("training", other, opened=opened)
    assert response.status_code == 422
    assert m.Form.ALREADY_SUBMITTED in text_of(response.get_data(as_text=True))
    assert [r["name"] for r in rows(form_store)] == ["张三"]


def test_the_same_person_applying_twice_is_told_so(applicant: Applicant, form_store: Store) -> None:
    reference = applicant.apply("training")
    response = applicant.submit("training", answers("training"))  # a new form, a new key
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert element_text(page, "duplicate-message") == m.Form.DUPLICATE_WITH_REFERENCE.format(
        reference=reference
    )
    # With another phone number the reference is not given away.
    response = applicant.submit("training", answers("training", phone="13800001111"))
    assert element_text(response.get_data(as_text=True), "duplicate-message") == m.Form.DUPLICATE
    assert len(rows(form_store)) == 1
    # Another course, or another flow, is a new application.
    applicant.apply("training", course_id="c04-luwan")
    applicant.apply("jobseeker")
    assert [r["course_id"] for r in rows(form_store)] == ["c01-diangong", "c04-luwan", None]


def test_ten_concurrent_identical_posts_store_one_application(
    db_url: str, form_content: Path, tmp_path: Path
) -> None:
    # Ten taps of one form: the submit limit (one person, five a minute) is not what is tested.
    form_app = make_app(
        db_url, tmp_path, content=form_content, PORTAL_RATELIMIT_SUBMIT="100/minute"
    )
    form_store = services.store(form_app)
    try:
        client = form_app.test_client()
        opened = Applicant(client).open("training")
        body = {
            "csrf_token": opened.csrf,
            "idempotency_key": opened.key,
            **answers("training"),
            "action": "submit",
        }
        cookie = client.get_cookie("session")
        assert cookie is not None
        locations: list[str] = []
        statuses: list[int] = []

        def post() -> None:
            twin = form_app.test_client()
            twin.set_cookie("session", cookie.value)
            response = twin.post("/apply/training", data=body)
            statuses.append(response.status_code)
            locations.append(response.headers.get("Location", ""))

        threads = [threading.Thread(target=post) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [303] * 10
        assert len(set(locations)) == 1
        assert len(rows(form_store)) == 1
        with form_store.read() as conn:
            assert (
                conn.execute(
                    sa.select(sa.func.count()).select_from(application_events)
                ).scalar_one()
                == 1
            )
    finally:
        form_store.dispose()


def test_seats_then_the_waiting_list(applicant: Applicant, form_store: Store, form_client) -> None:  # type: ignore[no-untyped-def]
    people = ["310104197503122014", "310110198007253121", "34122119881105452X"]
    for number in people:
        applicant.apply("training", id_number=number)
    assert [(r["state"], r["waitlisted"]) for r in rows(form_store)] == [
        ("已提交", False),
        ("已提交", False),
        ("候补", True),
    ]
    page = form_client.get("/apply/training?course=c01-diangong").get_data(as_text=True)
    assert "本期课程已满。您仍然可以提交,我们会为您登记候补" in text_of(page)
    response = form_client.get("/api/courses/c01-diangong/availability")
    assert response.status_code == 200
    assert response.get_json() == {
        "course_id": "c01-diangong",
        "title": "课程c01-diangong",
        "capacity": 2,
        "taken": 2,
        "seats_left": 0,
        "state": "已满",
        "accepts_sign_ups": False,
        "waiting_list": 1,
        "apply_by": "2011-07-20",
        "as_of": "2011-07-01",
    }


def test_the_waitlisted_confirmation_says_so(applicant: Applicant) -> None:
    opened = applicant.open("training", course="c02-full")
    assert "状态:已满" in text_of(opened.page)
    reference = applicant.apply("training", course_id="c02-full")
    response = applicant.client.post(
        "/apply/status",
        data={"csrf_token": opened.csrf, "reference": reference, "phone_last4": "5678"},
    )
    assert element_text(response.get_data(as_text=True), "status-state") == "候补"


def test_closed_courses_take_waiting_list_sign_ups(
    applicant: Applicant, form_store: Store, form_client
) -> None:  # type: ignore[no-untyped-def]
    page = form_client.get("/apply/training?course=c03-closed").get_data(as_text=True)
    assert "本期课程已截止。您仍然可以提交,我们会为您登记候补" in text_of(page)
    applicant.apply("training", course_id="c03-closed")
    assert [(r["state"], r["waitlisted"]) for r in rows(form_store)] == [("候补", True)]


def test_availability_of_an_open_and_an_unknown_course(form_client) -> None:  # type: ignore[no-untyped-def]
    response = form_client.get("/api/courses/c04-luwan/availability")
    assert response.headers["Cache-Control"] == "public, max-age=30"
    assert response.get_json()["seats_left"] == 50
    assert response.get_json()["state"] == "报名中"
    missing = form_client.get("/api/courses/nope/availability")
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "课程不存在"}  # the id asked for is not echoed


@pytest.mark.parametrize(
    ("flow", "overrides", "unit"),
    [
        ("training", {"course_id": "c04-luwan"}, "huangpu"),  # 卢湾 merged into 黄浦
        ("training", {"course_id": "c01-diangong", "unit_id": "ind-jianshe"}, "huangpu"),
        ("housekeeping", {"course_id": "c05-jiazheng", "unit_id": "huangpu"}, "yangpu"),
        ("housekeeping", {"course_id": "", "unit_id": "huangpu"}, "huangpu"),
        ("entrepreneurship", {"course_id": "c06-syb", "unit_id": "huangpu"}, "yangpu"),
        ("entrepreneurship", {"unit_id": "ind-jianshe"}, "ind-jianshe"),
        ("jobseeker", {"unit_id": "ind-jianshe"}, "ind-jianshe"),
    ],
)
def test_applications_go_to_the_responsible_unit(
    applicant: Applicant, form_store: Store, flow: str, overrides: dict, unit: str
) -> None:
    applicant.apply(flow, **overrides)
    assert rows(form_store)[0]["unit_id"] == unit


def test_the_store_failing_shows_no_reference(applicant: Applicant, form_store: Store) -> None:
    with form_store.write() as conn:
        conn.execute(sa.text("DROP TABLE application_events"))
    response = applicant.submit("training", answers("training"))
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert m.Form.BUSY in text_of(page)
    assert 'id="reference"' not in page
    assert rows(form_store) == []


def test_concurrent_sign_ups_never_exceed_the_seats(form_app: Flask, form_store: Store) -> None:
    from form_service.applications.identity import check_character

    people = []
    for n in range(8):
        body = f"31010419800101{n + 100:03d}"
        people.append(body + check_character(body))
    prepared = []
    for number in people:
        client = form_app.test_client()
        opened = Applicant(client).open("training")
        prepared.append((client, opened, answers("training", id_number=number)))
    statuses: list[int] = []

    def post(client, opened, data) -> None:  # type: ignore[no-untyped-def]
        statuses.append(Applicant(client).submit("training", data, opened=opened).status_code)

    threads = [threading.Thread(target=post, args=item) for item in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 8
    states = sorted(r["state"] for r in rows(form_store))
    assert states == ["候补"] * 6 + ["已提交"] * 2
