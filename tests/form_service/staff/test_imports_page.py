"""The upload page: templates to download, every problem of a file listed with nothing stored,
a check that stores nothing, an import; a unit's staff only into their own unit."""

from __future__ import annotations

import io
import re

import openpyxl
import sqlalchemy as sa

from form_service.store import Store
from form_service.store.tables import applications
from tests.support.people import id_number, person_name
from tests.support.staff import Staff, text_of

HEADER = "姓名,身份证号,联系电话,户口类型,户籍地,文化程度,人员类别,就业状态,所属工会,课程编号"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("gb18030")


def _stored(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one())


def test_the_template_has_text_id_columns_drop_downs_and_instructions(yangpu: Staff) -> None:
    response = yangpu.get("/staff/imports/template/signups.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["名单", "选项", "填写说明"]
    sheet = book["名单"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["姓名", "身份证号", "联系电话"]
    assert [sheet.cell(2, i).number_format for i in (2, 3)] == ["@", "@"]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["D2:D1001"] == "选项!$A$2:$A$4"  # 户口类型
    unions = [
        row[0].value
        for row in book["选项"].iter_rows(min_row=2, min_col=6, max_col=6)
        if row[0].value
    ]
    assert unions == ["杨浦区总工会"]  # a unit's staff choose their own unit only
    assert book["填写说明"]["A1"].value == "报名名单(班级名单)填写说明"


def test_a_file_with_problems_lists_them_all_and_stores_nothing(
    yangpu: Staff, store: Store
) -> None:
    good = id_number("310110", "19800101", 11)
    data = _csv(
        f"张三,{good},13912345678,农业,外省市,初中,农民工,在岗,杨浦区总工会,c05-diangong-wuji",
        f"李四,{id_number('310110', '19800101', 12)},1391234567,农业,外省市,初中,农民工,在岗,杨浦区总工会,c05-diangong-wuji",
        f"王五,{id_number('310110', '19800101', 13)},13912345672,农业,外省市,初中,农民工,在岗,杨浦区总工会,c09-meifa-wuji",
    )  # fmt: skip
    page = yangpu.post(
        "/staff/imports/signups",
        {"file": (io.BytesIO(data), "名单.csv"), "unit": "yangpu", "action": "import"},
    )
    assert page.status_code == 400
    text = text_of(page)
    assert "名单有 2 个问题,没有导入任何内容" in text
    items = re.findall(r"<li>([^<]+)</li>", page.get_data(as_text=True))
    assert items == [
        "名单.csv 第 3 行 联系电话: 请输入 11 位手机号码,例如 139 1234 5678",
        "名单.csv 第 4 行 课程编号: 课程“美发师(五级)”由黄浦区总工会负责,不是本单位的,不能导入",
    ]
    assert _stored(store) == 0


def test_check_stores_nothing_and_import_stores_the_class(yangpu: Staff, store: Store) -> None:
    rows = [
        f"{person_name(n)},{id_number('310110', '19850312', n)},139000000{n:02d},农业,外省市,初中,农民工,在岗,,c05-diangong-wuji"
        for n in range(10, 15)
    ]  # fmt: skip
    data = _csv(*rows)
    checked = yangpu.post(
        "/staff/imports/signups",
        {"file": (io.BytesIO(data), "班级.csv"), "unit": "yangpu", "action": "check"},
    )
    assert checked.status_code == 200
    assert "班级.csv:5 行,试运行,将新增 5 项,补记 0 项,跳过已有的 0 项,未做任何修改。" in text_of(
        checked
    )
    assert _stored(store) == 0
    done = yangpu.post(
        "/staff/imports/signups",
        {"file": (io.BytesIO(data), "班级.csv"), "unit": "huangpu", "action": "import"},
    )
    assert done.status_code == 400  # another unit: refused, not quietly changed
    done = yangpu.post(
        "/staff/imports/signups",
        {"file": (io.BytesIO(data), "班级.csv"), "unit": "yangpu", "action": "import"},
    )
    assert done.status_code == 200
    assert "班级.csv:5 行,已新增 5 项,补记 0 项,跳过已有的 0 项。" in text_of(done)
    assert _stored(store) == 5
