"""Staff who sign in and use the console through a test client (with real CSRF tokens)."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from form_service.accounts import users
from form_service.accounts.audit import Actor
from form_service.web import services

# Who creates the accounts a test starts from, as the audit log names them.
SETUP = Actor("测试准备")

PASSWORD = "sh-union-2011 skills!"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_accounts(app: Flask, made: dict[str, str | None]) -> None:
    """Create accounts by username: staff of the unit given, or (None) a city admin; all with
    the password PASSWORD."""
    with services.store(app).write() as conn:
        for username, unit in made.items():
            users.add_staff(conn, username=username, role="unit" if unit else "admin", unit_id=unit,
                            password=PASSWORD, catalogue=services.catalogue(app), by=SETUP)  # fmt: skip


def text_of(response: TestResponse) -> str:
    """Return the visible text of a page, tags removed and whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _read(response: TestResponse) -> TestResponse:
    """Read the whole body (files are streamed) and close the response."""
    response.get_data()
    response.close()
    return response


class Staff:
    """A member of staff using the console through a browser-like client."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def _token_from(self, response: TestResponse) -> str:
        found = _TOKEN.search(response.get_data(as_text=True))
        assert found, "page has no CSRF token"
        return found.group(1)

    def login(self, username: str, password: str = PASSWORD, **extra: str) -> TestResponse:
        page = self.client.get("/staff/login")
        data = {
            "username": username,
            "password": password,
            "csrf_token": self._token_from(page),
            **extra,
        }
        response = self.client.post("/staff/login", data=data)
        # Signed in, unless the password only led to the code or first-enrolment step.
        if response.status_code == 302 and not response.location.startswith("/staff/login"):
            self.token = self._token_from(self.client.get("/staff/"))
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return _read(self.client.get(path, **kwargs))

    def post(self, path: str, data: dict[str, Any] | None = None) -> TestResponse:
        return _read(self.client.post(path, data={"csrf_token": self.token, **(data or {})}))

    def logout(self) -> TestResponse:
        return self.post("/staff/logout")
