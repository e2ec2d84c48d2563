"""Hundreds of honest applicants behind one address all get through; floods do not.

The limits are the defaults of the settings (docs/rate-limits.md), except where a test lowers
the ceiling per address to show it without sending thousands of applications.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from form_service import messages as m
from form_service.store import Store
from form_service.store.tables import applications
from form_service.web import services
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers, element_text, text_of
from tests.support.people import numbered_id, person_name, person_phone

FAIR_DESK = "127.0.0.1"


def _send(
    client: FlaskClient, csrf: str, n: int, *, address: str = FAIR_DESK, **overrides: str
) -> TestResponse:
    """Send person `n`'s 求职登记 in one step (the check-answers page's submit)."""
    person = {"id_number": numbered_id(n), "name": person_name(n), "phone": person_phone(n)}
    data = answers("jobseeker", **{**person, **overrides})
    body = {"csrf_token": csrf, "idempotency_key": uuid.uuid4().hex, **data, "action": "submit"}
    return client.post("/apply/jobseeker", data=body, environ_overrides={"REMOTE_ADDR": address})


def _reference(client: FlaskClient, sent: TestResponse) -> str | None:
    if sent.status_code != 303:
        return None
    return element_text(client.get(sent.headers["Location"]).get_data(as_text=True), "reference")


def _stored(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one())


def test_300_different_applicants_from_one_address_all_get_a_reference(
    app: Flask, client: FlaskClient, store: Store
) -> None:
    csrf = Applicant(client).open("jobseeker").csrf
    references = [_reference(client, _send(client, csrf, n)) for n in range(300)]
    assert None not in references
    assert len(set(references)) == 300
    assert _stored(store) == 300
    # The limiter's storage holds keyed hashes of the numbers, never a number.
    keys = " ".join(str(k) for k in _limiter_keys(app))
    assert "|no-valid-id" not in keys
    assert not any(numbered_id(n) in keys for n in range(300))


def _limiter_keys(app: Flask) -> list[str]:
    storage = app.extensions["portal.limiter"].storage
    return list(getattr(storage, "storage", {}).keys())


def test_one_person_sending_again_and_again_is_refused_after_five(
    client: FlaskClient, store: Store
) -> None:
    csrf = Applicant(client).open("jobseeker").csrf
    statuses = [_send(client, csrf, 7).status_code for _ in range(7)]
    # The first is stored, the next four are the same application (409), then the brake.
    assert statuses == [303, 409, 409, 409, 409, 429, 429]
    refused = _send(client, csrf, 7)
    assert m.Form.TOO_MANY in text_of(refused.get_data(as_text=True))
    assert _stored(store) == 1
    # Someone else at the same desk is not held up by that person.
    assert _send(client, csrf, 8).status_code == 303


def test_junk_without_a_valid_id_number_from_one_address_is_refused_after_five(
    client: FlaskClient, store: Store
) -> None:
    csrf = Applicant(client).open("jobseeker").csrf
    statuses = [
        _send(client, csrf, n, id_number=f"1234567890{n:08d}").status_code for n in range(3000)
    ]
    # Five a minute get as far as the answers' check; a run longer than a minute gets five more,
    # up to 20 an hour. The rest are refused before anything is read.
    assert statuses[:6] == [400] * 5 + [429]
    assert statuses.count(400) <= 20
    assert statuses.count(429) == 3000 - statuses.count(400)
    assert _stored(store) == 0
    assert _send(client, csrf, 1).status_code == 303  # a real applicant still gets through


def test_a_flood_of_made_up_valid_numbers_meets_the_ceiling_of_the_address(
    db_url: str, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, PORTAL_RATELIMIT_SUBMIT_ADDRESS="40/hour")
    try:
        client = app.test_client()
        csrf = Applicant(client).open("jobseeker").csrf
        statuses = [_send(client, csrf, n).status_code for n in range(60)]
        assert statuses == [303] * 40 + [429] * 20
        # Another address (another fair) is not affected by the flood.
        assert _send(client, csrf, 1000, address="10.20.30.40").status_code == 303
        assert _stored(services.store(app)) == 41
    finally:
        services.store(app).dispose()
