"""Progress look-up: the right pair shows the state and the next step, nothing personal."""

from __future__ import annotations

from pathlib import Path

from form_service import messages as m
from form_service.applications.lifecycle import NEXT_STEPS
from form_service.web import services
from tests.support import pages
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers, element_text, error_summary, text_of


def lookup(applicant: Applicant, reference: str, last4: str):  # type: ignore[no-untyped-def]
    page = applicant.client.get("/apply/status").get_data(as_text=True)
    data = {
        "csrf_token": pages.input_value(page, "csrf_token"),
        "reference": reference,
        "phone_last4": last4,
    }
    return applicant.client.post("/apply/status", data=data)


def test_the_right_pair_shows_state_and_next_step(applicant: Applicant) -> None:
    reference = applicant.apply("training")
    response = lookup(applicant, reference.lower()[:4] + " " + reference.lower()[4:], "５６７８")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert element_text(page, "status-reference") == reference
    assert element_text(page, "status-state") == "已提交"
    assert element_text(page, "status-next") == NEXT_STEPS["已提交"]
    assert "技能培训报名:课程c01-diangong" in text_of(page)
    for personal in ("张三", pages.ID_NUMBER, pages.PHONE, "5678"):
        assert personal not in page


def test_wrong_pairs_get_one_generic_answer(applicant: Applicant) -> None:
    reference = applicant.apply("training")
    answers = [
        lookup(applicant, reference, "0000"),
        lookup(applicant, "ABC2DEF3", "5678"),
        lookup(applicant, "not a reference", "5678"),
    ]
    for response in answers:
        page = response.get_data(as_text=True)
        assert response.status_code == 404
        assert error_summary(page) == [m.Status.NOT_FOUND]


def test_malformed_input_is_explained(applicant: Applicant) -> None:
    response = lookup(applicant, "", "56")
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == [
        m.Status.REFERENCE_REQUIRED,
        m.Status.LAST4_INVALID,
    ]


def test_failed_lookups_are_rate_limited(db_url: str, form_content: Path, tmp_path: Path) -> None:
    app = make_app(
        db_url, tmp_path, content=form_content, serve_site=True, PORTAL_RATELIMIT_LOOKUP="3/minute"
    )
    applicant = Applicant(app.test_client())
    reference = applicant.apply("training")
    assert lookup(applicant, reference, "5678").status_code == 200  # successes are not counted
    statuses = [lookup(applicant, "ABC2DEF3", "0000").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    blocked = lookup(applicant, reference, "5678")
    assert blocked.status_code == 429
    assert m.Form.TOO_MANY in text_of(blocked.get_data(as_text=True))
    services.store(app).dispose()


def test_submissions_are_rate_limited_but_not_the_check_step(
    db_url: str, form_content: Path, tmp_path: Path
) -> None:
    app = make_app(
        db_url, tmp_path, content=form_content, serve_site=True, PORTAL_RATELIMIT_SUBMIT="2/minute"
    )
    applicant = Applicant(app.test_client())
    applicant.apply("training")
    applicant.apply("jobseeker")
    for _ in range(3):
        assert applicant.check("housekeeping", {}).status_code == 400  # validation, not 429
    response = applicant.submit("housekeeping", answers("housekeeping"))
    assert response.status_code == 429
    assert m.Form.TOO_MANY in text_of(response.get_data(as_text=True))
    services.store(app).dispose()


def test_a_lookup_sent_without_the_sites_cookie_says_so(applicant: Applicant) -> None:
    response = applicant.client.post(
        "/apply/status", data={"csrf_token": "old", "reference": "ABC2DEF3", "phone_last4": "5678"}
    )
    assert response.status_code == 400
    assert m.Form.NO_COOKIE in text_of(response.get_data(as_text=True))
