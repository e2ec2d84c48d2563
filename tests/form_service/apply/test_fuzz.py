"""Arbitrary text in every field of every form: never a server error, nothing invalid stored."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from form_service.applications.identity import (
    check_character,
    has_invisible,
    parse_id_number,
    parse_name,
    parse_phone,
)
from form_service.forms import choices as c
from form_service.forms.flows import FORMS
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import applications
from form_service.web import services
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers
from tests.support.settings import ID_KEY

CIPHER = IdentityCipher(ID_KEY)
REAL_NAME = ["name", "id_number", "phone", "household_place", "household_type", "target_groups",
             "education", "employment_status", "unit_id", "consent_privacy", "consent_id_number"]  # fmt: skip
# The fields the fuzzer changes: each form's own questions and its course; all the real-name
# block on the training form, the name and phone on the job seeker's.
FIELDS = {flow: [*form.flow_fields, "course_id"] for flow, form in FORMS.items()}
FIELDS["training"] = [*REAL_NAME, "course_id", *FORMS["training"].flow_fields]
FIELDS["jobseeker"] = [*FORMS["jobseeker"].flow_fields, "name", "phone"]
ALLOWED = {
    "household_place": set(c.HOUSEHOLD_PLACES),
    "household_type": set(c.HOUSEHOLD_TYPES),
    "education": set(c.EDUCATION),
    "employment_status": set(c.EMPLOYMENT),
}


def unique_id(n: int) -> str:
    body = f"31010419750312{n % 1000:03d}"
    return body + check_character(body)


def assert_valid(row: dict) -> None:
    """Every stored value is one the form would accept as it is."""
    assert parse_name(row["name"]) == row["name"]
    number = CIPHER.decrypt(row["id_number_encrypted"])
    assert parse_id_number(number, today=date(2011, 7, 1)).number == number
    phone = CIPHER.decrypt(row["phone_encrypted"])
    assert parse_phone(phone) == phone
    for key, allowed in ALLOWED.items():
        assert row[key] in allowed
    assert set(row["target_groups"]) <= set(c.TARGETS) and row["target_groups"]
    for value in row["details"].values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                assert not has_invisible(item, allow_newlines=True)
                assert item == unicodedata.normalize("NFC", item).strip()
                assert len(item) <= 300
            else:
                assert item is None or (isinstance(item, int) and 0 <= item <= 100_000_000)


def count(app: Flask) -> int:
    with services.store(app).read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one())


def fuzz(app: Flask, flow: str, examples: int) -> None:
    applicant = Applicant(app.test_client())
    opened = applicant.open(flow)
    counter = iter(range(10_000))
    text = st.text(max_size=120) | st.sampled_from(
        ["", " ", "0", "-1", "1e9", "是", "yangpu", "张三"]
    )

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        field=st.sampled_from(FIELDS[flow]),
        value=text | st.lists(text, max_size=3),
        action=st.sampled_from(["submit", "continue"]),
    )
    def one(field: str, value: object, action: str) -> None:
        opened.key = uuid.uuid4().hex
        data = answers(flow, id_number=unique_id(next(counter)))
        data[field] = value
        before = count(app)
        response = applicant.post(flow, data, opened=opened, action=action)
        assert response.status_code < 500
        after = count(app)
        if response.status_code == 303:
            assert after == before + 1
            with services.store(app).read() as conn:
                row = (
                    conn.execute(
                        sa.select(applications).where(applications.c.idempotency_key == opened.key)
                    )
                    .mappings()
                    .one()
                )
            assert_valid(dict(row))
        else:
            assert after == before
            assert response.status_code in (200, 400, 409)

    one()


@pytest.mark.parametrize("flow", sorted(FORMS))
def test_no_input_breaks_a_form(db_url: str, form_content: Path, tmp_path: Path, flow: str) -> None:
    app = make_app(
        db_url,
        tmp_path,
        content=form_content,
        serve_site=True,
        PORTAL_RATELIMIT_SUBMIT="100000/minute",
    )
    fuzz(app, flow, examples=120 if db_url.startswith("sqlite") else 30)
    services.store(app).dispose()
