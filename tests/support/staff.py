"""The people of the staff tests: staff who sign in (with real CSRF tokens), and applicants
stored through the real submission code."""

from __future__ import annotations

import html
import re
import secrets
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from form_service.applications.consent import CONSENT_VERSION
from form_service.applications.crypto import IdentityCipher
from form_service.applications.identity import check_character
from form_service.applications.submit import NewApplication, submit_application
from form_service.store import Store
from form_service.store.tables import applications

PASSWORD = "sh-union-2011 skills!"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def id_number(prefix: str, born: str, sequence: int) -> str:
    """Return a valid 18-character ID number (synthetic) for a 6-digit prefix and YYYYMMDD."""
    body = f"{prefix}{born}{sequence:03d}"
    return body + check_character(body)


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
        if response.status_code == 302:
            self.token = self._token_from(self.client.get("/staff/"))
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return _read(self.client.get(path, **kwargs))

    def post(self, path: str, data: dict[str, Any] | None = None) -> TestResponse:
        return _read(self.client.post(path, data={"csrf_token": self.token, **(data or {})}))

    def logout(self) -> TestResponse:
        return self.post("/staff/logout")


def apply(
    store: Store,
    cipher: IdentityCipher,
    *,
    flow: str,
    unit_id: str,
    person_id: str,
    name: str = "张三",
    course_id: str | None = None,
    groups: tuple[str, ...] = ("农民工",),
    phone: str = "13912345678",
    created: datetime | None = None,
    is_demo: bool = False,
) -> int:
    """Store an application through `submit_application` and return its id."""
    born = date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
    now = created or datetime(2011, 7, 1, 2, 0, tzinfo=UTC)
    new = NewApplication(
        flow=flow,
        course_id=course_id,
        unit_id=unit_id,
        name=name,
        id_number=person_id,
        birth_date=born,
        gender="男" if int(person_id[16]) % 2 else "女",
        phone=phone,
        household_place="外省市" if "农民工" in groups else "本市",
        household_type="农业" if "农民工" in groups else "非农业",
        target_groups=groups,
        education="初中",
        employment_status="在岗" if "农民工" in groups else "失业(已登记)",
        details={"home_unit": unit_id},
        consent_version=CONSENT_VERSION,
        consent_at=now,
        idempotency_key=secrets.token_hex(16),
        is_demo=is_demo,
    )
    result = submit_application(store, application=new, cipher=cipher, seat_rule=None, now=now)
    assert result.kind == "created", result
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(applications.c.id).where(applications.c.reference == result.reference)
            ).scalar_one()
        )
