"""The statistics return: known applications and outcomes give the exact expected table."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
from flask import Flask

from form_service.reports.spreadsheets import plain
from form_service.reports.statistics import Fact, compute_return
from form_service.reports.statistics_sheet import build_return
from form_service.store import Store
from form_service.web import services
from site_builder.catalog import Catalogue
from tests.support import scenario
from tests.support.apps import portal_command
from tests.support.staff import Staff, text_of


def _rows(app: Flask, cutoff: date, unit_id: str | None = None) -> list[list[str]]:
    store: Store = services.store(app)
    with store.read() as conn:
        result, _sheet = build_return(
            conn, catalogue=services.catalogue(app), cutoff=cutoff, unit_id=unit_id
        )
    return [[plain(cell) for cell in row.cells()] for row in result.rows]


def test_return_at_first_cutoff_is_exactly_the_expected_table(app: Flask) -> None:
    scenario.build(app)
    assert _rows(app, scenario.CUTOFF) == scenario.expected_0831()


def test_outcomes_after_the_cutoff_count_at_the_next_one(app: Flask) -> None:
    scenario.build(app)
    rows = {row[0]: row for row in _rows(app, date(2011, 11, 30))}
    yangpu, huangpu = rows["杨浦区总工会"], rows["黄浦区总工会"]
    assert (yangpu[3], yangpu[23], yangpu[-1]) == (
        "2",
        "2",
        "2",
    )  # C certified 09-05, J placed 09-01
    assert (huangpu[7], huangpu[8], huangpu[-1]) == (
        "2",
        "100.0%",
        "1",
    )  # E employed 09-10, D entered 09-02
    assert rows["普陀区总工会"][26:32] == [
        "1",
        "100",
        "1000",
        "1800",
        "240",
        "80",
    ]  # fair f05 on 09-17
    assert rows["黄浦区总工会"][26] == "1"  # f08 on 11-19, no results entered
    assert rows["全市合计"][26] == "8"


def test_a_unit_sees_only_its_own_row(app: Flask) -> None:
    scenario.build(app)
    assert _rows(app, scenario.CUTOFF, "huangpu") == [scenario.EXPECTED_0831["黄浦区总工会"]]


def test_pure_return_ignores_facts_after_the_cutoff(catalogue: Catalogue) -> None:
    facts = [
        Fact("xuhui", "skills", "p1", "certificate", date(2011, 8, 31), ("农民工",), "四级"),
        Fact("xuhui", "skills", "p2", "certificate", date(2011, 9, 1), ("农民工",), "五级"),
        Fact("xuhui", "skills", "p3", "certificate", date(2011, 8, 1), ("农民工",), "培训合格证"),
        Fact(
            "xuhui", "skills", "p1", "certificate", date(2011, 8, 2), ("农民工",), "五级"
        ),  # same person
    ]
    result = compute_return(
        catalogue=catalogue, facts=facts, fairs={}, cutoff=date(2011, 8, 31), only_unit="xuhui"
    )
    assert [plain(c) for c in result.rows[0].cells()][:5] == [
        "徐汇区总工会",
        "1850",
        "0",
        "1",
        "0.1%",
    ]


def test_stats_page_shows_bars_and_the_table(app: Flask, admin: Staff, huangpu: Staff) -> None:
    scenario.build(app)
    page = text_of(admin.get("/staff/stats?cutoff=2011-08-31"))
    assert "统计截止日期:2011年8月31日 报送日期:2011年9月6日前报市总工会培训中心" in page
    assert "黄浦区总工会 — 0.0% 0.7% 0.6% 0.1%" not in page
    assert "黄浦区总工会 0.0% 0.7% 0.6% 0.1%" in page  # the bars table: one rate per indicator
    mine = huangpu.get("/staff/stats?cutoff=2011-08-31")
    assert (
        re.findall(r'<th scope="row">([^<]+)</th>', mine.get_data(as_text=True))
        == ["黄浦区总工会"] * 2
    )
    assert "填报单位:黄浦区总工会" in text_of(mine)


def test_web_download_and_command_give_the_same_file(
    app: Flask, admin: Staff, tmp_path: Path
) -> None:
    scenario.build(app)
    web = admin.get("/staff/stats/download?cutoff=2011-08-31&format=csv")
    assert web.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert web.headers["Cache-Control"] == "no-store"
    out = tmp_path / "return.csv"
    result = portal_command(
        app, ["stats", "--cutoff", "2011-08-31", "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == web.data
    lines = web.data.decode("utf-8-sig").splitlines()
    assert lines[:4] == [
        "2011年上海工会技能培训促就业工作情况统计表" + "," * 32,
        "填报单位:上海市总工会(全市汇总)" + "," * 32,
        "统计截止日期:2011年8月31日    报送日期:2011年9月6日前报市总工会培训中心" + "," * 32,
        "计量单位:人、场、家、个" + "," * 32,
    ]
    assert lines[6:34] == [",".join(row) for row in scenario.expected_0831()]
    xlsx = portal_command(
        app,
        ["stats", "--cutoff", "2011-08-31", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")],
    )
    assert xlsx.exit_code == 0
    web_xlsx = admin.get("/staff/stats/download?cutoff=2011-08-31&format=xlsx")
    assert (tmp_path / "r.xlsx").read_bytes() == web_xlsx.data
    ws = openpyxl.load_workbook(io.BytesIO(web_xlsx.data)).active
    assert [c.value for c in ws[5]][:5] == ["填报单位", "技能培训", None, None, None]
    assert sorted(r.coord for r in ws.merged_cells.ranges) == sorted(
        [
            "A1:AG1",
            "A2:AG2",
            "A3:AG3",
            "A4:AG4",
            "B5:E5",
            "F5:J5",
            "K5:O5",
            "P5:R5",
            "S5:V5",
            "W5:Z5",
            "AA5:AF5",
        ]
    )
