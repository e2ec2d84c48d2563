"""The elderly-friendly mode (适老化): a visible switch at the top of every page, larger text and
higher contrast, kept across the static site and the forms (cookie `portal_large=1`, path `/`),
with JavaScript (in place) and without it (through /settings/large-text). No pop-ups anywhere:
every session checks that no dialog or window opened (tests/browser/conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from form_service import create_app
from form_service.web import large_text
from tests.support.browser import Session
from tests.support.browser_actions import tap
from tests.support.settings import ID_KEY, REAL_CONTENT, SECRET_KEY

FORM = "/apply/training?course=c02-jisuanji-siji"
ON, OFF = "大字模式", "退出大字模式"


def _large(session: Session) -> bool:
    return bool(
        session.page.evaluate("document.documentElement.classList.contains('portal-large')")
    )


def _cookie(session: Session) -> dict[str, Any] | None:
    found = [c for c in session.context.cookies() if c["name"] == large_text.COOKIE]
    return found[0] if found else None


def _text_size(session: Session, selector: str) -> float:
    return float(
        session.page.evaluate(
            f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)"
        )
    )


def _switch(session: Session, label: str) -> Any:
    link = session.page.get_by_role("link", name=label, exact=True)
    assert link.is_visible()
    box = link.bounding_box()
    assert box is not None and box["y"] < 120, "the switch sits at the top of the page"
    return link


@pytest.mark.browser
def test_the_switch_works_in_place_and_follows_the_person(open_session: Any) -> None:
    session = open_session("phone")
    page = session.page
    session.go("/")
    normal = _text_size(session, ".md-typeset")
    session.shot(page, "standard")
    _switch(session, ON).tap()
    assert _large(session) and session.path() == "/"  # switched without leaving the page
    assert _text_size(session, ".md-typeset") >= normal * 1.3
    cookie = _cookie(session)
    assert cookie is not None and (cookie["value"], cookie["path"]) == ("1", "/")
    assert _switch(session, OFF).evaluate("el => el === document.activeElement")
    session.shot(page, "large")

    session.go("/courses/c02-jisuanji-siji/")
    assert _large(session)
    session.shot(page, "course-large")
    response = session.go(FORM)
    assert response is not None and 'class="portal-large"' in response.text()  # the server's
    assert _text_size(session, ".input") >= 22
    session.shot(page, "form-large")

    _switch(session, OFF).tap()
    assert not _large(session) and _cookie(session) is None
    session.go("/")
    assert not _large(session)
    session.shot(page, "standard-again")


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_switch_works_without_javascript(open_session: Any, device: str) -> None:
    session = open_session(device, javascript=False)
    page = session.page
    session.go("/courses/")
    tap(session, _switch(session, ON))
    assert session.path() == "/courses/"  # back where the person was
    assert _large(session)  # marked by the server: no script ran
    session.shot(page, "catalogue-large")
    session.go(FORM)
    assert _large(session)
    session.shot(page, "form-large")
    tap(session, _switch(session, OFF))
    assert session.path() == FORM
    assert not _large(session) and _cookie(session) is None
    session.go("/")
    assert not _large(session)
    session.shot(page, "home-standard")


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app(
        {
            "PORTAL_CONTENT_DIR": str(REAL_CONTENT),
            "PORTAL_SITE_DIR": str(tmp_path / "site"),
            "PORTAL_DATA_DIR": str(tmp_path / "data"),
            "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}",
            "SECRET_KEY": SECRET_KEY,
            "PORTAL_ID_KEY": ID_KEY,
        }
    )


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [
        ("/courses/", "/courses/"),
        ("/apply/training?course=c02-jisuanji-siji", "/apply/training?course=c02-jisuanji-siji"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/courses/\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
    ],
)
def test_the_switch_only_goes_back_to_this_site(app: Flask, asked: str, sent_to: str) -> None:
    response = app.test_client().get(
        "/settings/large-text", query_string={"on": "1", "next": asked}
    )
    assert (response.status_code, response.headers["Location"]) == (303, sent_to)


def test_the_switch_sets_and_clears_one_cookie_for_the_whole_site(app: Flask) -> None:
    client = app.test_client()
    on = client.get("/settings/large-text?on=1&next=/")
    [header] = on.headers.getlist("Set-Cookie")
    attributes = [part.strip() for part in header.split(";")]
    assert attributes[0] == "portal_large=1"
    assert {"Max-Age=31536000", "Path=/", "SameSite=Lax"} <= set(attributes)
    assert "HttpOnly" not in attributes  # the site's script reads it too
    assert on.headers["Cache-Control"] == "no-store"
    page = client.get("/apply/jobseeker")
    assert '<html lang="zh-CN" class="portal-large">' in page.get_data(as_text=True)
    client.get("/settings/large-text?on=0&next=/")
    assert client.get_cookie(large_text.COOKIE) is None
    page = client.get("/apply/jobseeker")
    assert '<html lang="zh-CN">' in page.get_data(as_text=True)


def test_built_pages_are_marked_for_the_server_to_send() -> None:
    page = '<!doctype html>\n<html lang="zh" class="no-js">\n<head>'
    assert large_text.mark_page(page) == (
        '<!doctype html>\n<html lang="zh" class="portal-large no-js">\n<head>'
    )
    assert large_text.mark_page("<html>") == '<html class="portal-large">'
