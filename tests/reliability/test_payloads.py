"""Promise 6: staff text cannot put scripts on the public site, and exports cannot run formulas.

One list (payloads.py) goes both ways. Through the build: every payload as the title, job,
description and details of a course and as the name, address and contact of a training base;
the built pages carry no script, event handler or script URL of ours (the checks of
tests/support/site.py), and the open-data CSV files defuse every formula. Through the
console: every payload typed by staff as an employer; what the console takes appears escaped
on the page and inert in the real-name register, CSV and XLSX, on SQLite and PostgreSQL; what
it refuses (invisible characters) is refused with a Chinese message and stored nowhere.
"""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.reports.register import FIELDS
from form_service.store.tables import outcomes
from form_service.web import services
from site_builder.catalog import Catalogue, load_catalogue
from tests.support.applications import apply
from tests.support.apps import make_app
from tests.support.content import write_yaml
from tests.support.payloads import INVISIBLE, PAYLOADS, TRIGGERS
from tests.support.people import id_number, person_name
from tests.support.scan import Document, read_all
from tests.support.settings import REAL_CONTENT
from tests.support.site import build, foreign_scripts, live_markup
from tests.support.staff import Staff, add_accounts, text_of

EMPLOYER = FIELDS.index("就业单位")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(TRIGGERS) else text


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalogue]:
    """The real content plus a course and a base per payload, built as `portal build` builds."""
    root = tmp_path_factory.mktemp("payload-site")
    content = root / "content"
    shutil.copytree(REAL_CONTENT, content)
    base = next(iter(load_catalogue(REAL_CONTENT).bases.values()))
    for n, payload in enumerate(PAYLOADS, start=1):
        write_yaml(content / f"courses/p{n:02d}.yaml", {
            "id": f"p{n:02d}", "title": payload, "kind": "skills", "occupation": payload,
            "level": "五级", "base": f"pb{n:02d}", "unit": base.unit, "start_date": "2011-08-01",
            "end_date": "2011-09-30", "apply_by": "2011-07-20", "capacity": "20", "hours": "80",
            "fee": "800", "subsidy": payload, "schedule": payload, "eligibility": payload,
            "certificate": payload, "description": payload})  # fmt: skip
        write_yaml(content / f"bases/pb{n:02d}.yaml", {
            "id": f"pb{n:02d}", "name": payload, "unit": base.unit, "address": payload,
            "phone": "65124362", "contact": payload, "transport": payload,
            "description": payload})  # fmt: skip
    catalogue = build(content, root / "site")
    return root / "site", catalogue


@pytest.fixture(scope="module")
def payload_pages(payload_site: tuple[Path, Catalogue]) -> dict[str, Document]:
    return read_all(payload_site[0])


@pytest.mark.slow
def test_the_built_site_runs_nothing_staff_typed(payload_pages: dict[str, Document]) -> None:
    assert {f"/courses/p{n:02d}/" for n in range(1, len(PAYLOADS) + 1)} <= set(payload_pages)
    assert foreign_scripts(payload_pages) == []
    assert live_markup(payload_pages) == []


@pytest.mark.slow
def test_open_data_files_run_no_formula(payload_site: tuple[Path, Catalogue]) -> None:
    site, catalogue = payload_site
    for name, records, column in (("catalog.csv", catalogue.courses, "课程名称"),
                                  ("bases.csv", catalogue.bases, "名称")):  # fmt: skip
        text = (site / name).read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert [cell for row in rows for cell in row.values() if cell.startswith(TRIGGERS)] == []
        shown = {row["编号"]: row[column] for row in rows}
        ours = [key for key in records if key.startswith("p")]
        assert len(ours) == len(PAYLOADS)
        assert {key: shown[key] for key in ours} == {
            key: _inert(getattr(records[key], "title", None) or records[key].name) for key in ours
        }


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path)
    add_accounts(app, {"shizong": None})
    yield app
    services.store(app).dispose()


def test_exports_run_no_formula_and_pages_show_text(app: Flask) -> None:
    store, cipher = services.store(app), services.cipher(app)
    staff = Staff(app.test_client())
    assert staff.login("shizong").status_code == 302
    taken: dict[str, str] = {}
    refused = []
    for n, payload in enumerate(PAYLOADS):
        name = person_name(n)
        application = apply(store, cipher, flow="jobseeker", unit_id="yangpu", name=name,
                            person_id=id_number("310110", "19800725", 200 + n))  # fmt: skip
        form = {"kind": "employment", "employer": payload, "happened_on": "2011-07-01",
                "found_via": "self_found", "contract_term": "fixed", "contract_months": "12",
                "expected": "已提交"}  # fmt: skip
        response = staff.post(f"/staff/applications/{application}/outcome", form)
        if response.status_code == 302:
            taken[name] = unicodedata.normalize("NFC", payload).strip()
            page = staff.get(f"/staff/applications/{application}")
            assert taken[name] in text_of(page)  # shown as text …
            assert "<" not in taken[name] or taken[name] not in page.get_data(as_text=True)
        else:
            page = response.get_data(as_text=True)
            assert response.status_code == 400
            assert "就业单位(雇主)中有看不见的字符或控制字符,请删除后重新输入" in page
            refused.append(payload)
            taken[name] = ""  # the person is in the register, with no employer
    assert refused == INVISIBLE
    with store.read() as conn:
        employers = set(conn.execute(sa.select(outcomes.c.employer)).scalars())
    assert employers == set(taken.values()) - {""}

    register = {"format": "csv", "kind": "jobseeker", "unit": ""}
    text = staff.post("/staff/register", register).get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert {row[0]: row[EMPLOYER] for row in rows} == {n: _inert(v) for n, v in taken.items()}
    assert [cell for row in rows for cell in row if cell.startswith(TRIGGERS)] == []

    data = staff.post("/staff/register", {**register, "format": "xlsx"}).get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    by_name = {row[0].value: row[EMPLOYER] for row in sheet.iter_rows(min_row=2)}
    assert {n: (c.value, c.data_type, c.quotePrefix) for n, c in by_name.items()} == {
        n: (v, "s", v.startswith(TRIGGERS)) if v else (None, "n", False) for n, v in taken.items()
    }
