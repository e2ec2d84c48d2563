"""What the outside scan noticed: a refused form says why (not always "expired"), the
large-text cookie is Secure in production, the availability API does not echo an unknown id."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from form_service import messages as m
from form_service.web import services
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers, error_summary, input_value, text_of

LOOKUP = {"reference": "ABC2DEF3", "phone_last4": "5678"}


def _token(client: FlaskClient, path: str = "/apply/status") -> str:
    return input_value(client.get(path).get_data(as_text=True), "csrf_token") or ""


def _missing(app: Flask) -> FlaskClient:
    client = app.test_client()
    _token(client)
    return client


CASES: dict[str, tuple[Callable[[Flask], tuple[FlaskClient, str]], str]] = {
    "no token in the form": (lambda app: (_missing(app), ""), m.Form.TOKEN_MISSING),
    "another browser's token": (
        lambda app: ((c := app.test_client(), _token(c))[0], _token(app.test_client())),
        m.Form.TOKEN_FOREIGN,
    ),
    "a made-up token": (lambda app: (_missing(app), "IjEyMyI.made.up"), m.Form.TOKEN_FOREIGN),
    "no cookie at all": (
        lambda app: (app.test_client(), _token(app.test_client())),
        m.Form.NO_COOKIE,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_lookup_says_what_happened(form_app: Flask, case: str) -> None:
    prepare, message = CASES[case]
    client, token = prepare(form_app)
    data = {**LOOKUP, **({"csrf_token": token} if token else {})}
    response = client.post("/apply/status", data=data)
    assert response.status_code == 400
    shown = text_of(response.get_data(as_text=True))
    assert (message in shown, m.Form.EXPIRED in shown) == (True, False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_application_keeps_the_answers_and_says_what_happened(
    form_app: Flask, case: str
) -> None:
    prepare, message = CASES[case]
    client, token = prepare(form_app)
    # The key from a page of another browser: this one's cookie stays as the case made it.
    key = input_value(form_app.test_client().get("/apply/training").get_data(as_text=True),
                      "idempotency_key")  # fmt: skip
    data = {**answers("training"), "idempotency_key": key or "", "action": "submit"}
    response = client.post("/apply/training", data={**data, "csrf_token": token} if token else data)
    page = response.get_data(as_text=True)
    assert (response.status_code, error_summary(page)) == (400, [message])
    assert input_value(page, "name") == "张三"


def test_an_expired_page_still_says_expired(
    db_url: str, form_content: Path, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, content=form_content, WTF_CSRF_TIME_LIMIT=1)
    try:
        applicant = Applicant(app.test_client())
        opened = applicant.open("training")
        time.sleep(2.1)  # the token's own clock: one second, then it has expired
        response = applicant.submit("training", answers("training"), opened=opened)
        assert error_summary(response.get_data(as_text=True)) == [m.Form.EXPIRED]
    finally:
        services.store(app).dispose()


def _production(db_url: str, form_content: Path, tmp_path: Path) -> Flask:
    return make_app(db_url, tmp_path, content=form_content, PORTAL_ENV="production",
                    SECRET_KEY="Kx8#vQ2!mZ7@pL4$wR9^tY6&nB3*hJ5%gF1(",
                    PORTAL_ID_KEY="Qa7!Zs2@Xd9#Cf4$Vg6%Bh1^Nj8&Mk3*Lp5(",
                    RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")  # fmt: skip


def test_a_post_over_https_from_another_page_says_it_cannot_tell_where_it_came_from(
    db_url: str, form_content: Path, tmp_path: Path
) -> None:
    app = _production(db_url, form_content, tmp_path)
    try:
        client = app.test_client()
        token = _token(client, "https://localhost/apply/status")
        response = client.post(
            "https://localhost/apply/status",
            data={**LOOKUP, "csrf_token": token},
            headers={"Referer": "https://elsewhere.example/"},
        )
        assert response.status_code == 400
        assert m.Form.WRONG_ORIGIN in text_of(response.get_data(as_text=True))
    finally:
        services.store(app).dispose()


@pytest.mark.parametrize(("production", "secure"), [(True, True), (False, False)])
def test_the_large_text_cookie_is_secure_in_production(
    db_url: str, form_content: Path, tmp_path: Path, production: bool, secure: bool
) -> None:
    app = (
        _production(db_url, form_content, tmp_path)
        if production
        else make_app(db_url, tmp_path, content=form_content)
    )
    try:
        client = app.test_client()  # plain HTTP, as behind a proxy that does not say HTTPS
        for on in ("1", "0"):
            cookie = client.get(f"/settings/large-text?on={on}&next=/").headers["Set-Cookie"]
            assert ("; Secure" in cookie, cookie.startswith("portal_large=")) == (secure, True)
    finally:
        services.store(app).dispose()


def test_the_availability_api_does_not_echo_an_unknown_id(form_client: FlaskClient) -> None:
    response = form_client.get("/api/courses/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/availability")
    assert (response.status_code, response.get_json()) == (404, {"error": "课程不存在"})
    assert b"onerror" not in response.get_data()
