"""The register is written row by row to a temporary file and streamed to the browser: its length
is announced, its bytes are the ones the audit record hashes, its rows are every participant."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
import sqlalchemy as sa

from form_service.accounts.audit import Actor
from form_service.applications import demo_data
from form_service.applications import lifecycle as lc
from form_service.reports import register
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import applications, audit_log
from site_builder.catalog import Catalogue
from tests.support.staff import Staff


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_city_register_is_streamed_and_its_audit_names_these_bytes(
    admin: Staff, store: Store, cipher: IdentityCipher, cat: Catalogue, fmt: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("PORTAL_TODAY", "2012-03-01")
    demo_data.fill(store, catalogue=cat, cipher=cipher, count=300, seed=7, by=Actor("测试准备"))
    with store.read() as conn:
        expected = list(register.register_rows(conn, cipher=cipher, catalogue=cat, scope=None))

    response = admin.client.post("/staff/register", data={"csrf_token": admin.token, "format": fmt, "kind": "all", "unit": ""})  # fmt: skip

    assert response.status_code == 200 and response.is_streamed
    body = response.get_data()
    response.close()
    assert response.headers["Content-Length"] == str(len(body))
    with store.read() as conn:
        detail = conn.execute(sa.select(audit_log.c.detail).where(audit_log.c.action == "export")).scalar_one()  # fmt: skip
    assert (detail["rows"], detail["sha256"]) == (len(expected), hashlib.sha256(body).hexdigest())
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(body))["实名制台账"]
        names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert names == [row[0] for row in expected]
    else:
        lines = body.decode("utf-8-sig").splitlines()
        assert len(lines) == len(expected) + 1 and lines[0] == ",".join(register.FIELDS)


@pytest.mark.parametrize("kind", sorted(register.KINDS))
def test_each_kind_of_register_holds_exactly_its_participants(
    store: Store, cipher: IdentityCipher, cat: Catalogue, kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The database chooses the rows now: it must choose what the lifecycle's rules say."""
    monkeypatch.setenv("PORTAL_TODAY", "2012-03-01")
    demo_data.fill(store, catalogue=cat, cipher=cipher, count=400, seed=11, by=Actor("测试准备"))
    with store.read() as conn:
        stored = conn.execute(
            sa.select(applications.c.reference, applications.c.flow, applications.c.course_id,
                      applications.c.state)
        ).all()  # fmt: skip
        rows = list(register.register_rows(conn, cipher=cipher, catalogue=cat,
                                           scope=None, kind=kind))  # fmt: skip
    wanted = set()
    for reference, flow, course_id, state in stored:
        track = lc.track_of(flow=flow, course_id=course_id, catalogue=cat)
        if kind in ("all", track) and register.participating(track=track, state=state):
            wanted.add(reference)
    column = register.FIELDS.index("报名编号")
    got = {ref for row in rows for ref in str(row[column]).split("、")}
    assert got == wanted and wanted
