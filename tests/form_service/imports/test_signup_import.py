"""Sign-up imports: the register's own columns round-trip, faults are named row by row and stop
everything, a second run adds nothing, unit staff import only into their own unit."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.accounts.audit import Actor
from form_service.applications import demo_data
from form_service.applications.identity import check_character
from form_service.imports.problems import ImportRefused
from form_service.imports.signup_import import import_signups
from form_service.imports.template import signup_template
from form_service.reports import register
from form_service.store import Store, migrate
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import application_events, applications, audit_log, outcomes
from site_builder.catalog import Catalogue
from tests.support.apps import portal_command
from tests.support.people import id_number, person_name

BY = Actor("yangpu-staff", "127.0.0.1")
DECEMBER = date(2011, 12, 1)
NEXT_SPRING = date(2012, 3, 1)  # after every outcome the demo data makes
HEADER = "姓名,身份证号,联系电话,户口类型,户籍地,文化程度,人员类别,就业状态,所属工会,参加项目,课程编号,结业日期"


def _register_rows(store: Store, cipher: IdentityCipher, cat: Catalogue) -> list[list[object]]:
    with store.write() as conn:
        made = register.produce_register(conn, cipher=cipher, catalogue=cat, scope=None, unit_id=None,
                                         kind="all", fmt="xlsx", on=DECEMBER, by=BY)  # fmt: skip
    data = made.content
    sheet = openpyxl.load_workbook(io.BytesIO(data))["实名制台账"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _count(store: Store, table: sa.Table) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_a_register_exported_from_a_demo_store_imports_into_an_empty_store_and_back(
    store: Store, cipher: IdentityCipher, cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_TODAY", NEXT_SPRING.isoformat())
    demo_data.fill(store, catalogue=cat, cipher=cipher, count=160, seed=2011, by=BY)
    before = _register_rows(store, cipher, cat)
    assert len(before) > 60  # a header and a register worth the name
    out = io.BytesIO()
    openpyxl_book = openpyxl.Workbook()
    sheet = openpyxl_book.active
    for row in before:
        sheet.append(row)
    openpyxl_book.save(out)
    migrate.downgrade(store, revision="base")
    migrate.upgrade(store)
    assert _count(store, applications) == 0

    made = import_signups(store, file="实名制台账.xlsx", data=out.getvalue(), catalogue=cat,
                          cipher=cipher, unit_id=None, by=BY, today=NEXT_SPRING)  # fmt: skip

    assert made.counts == {"added": made.count("added"), "skipped": 0, "changed": 0}
    after = _register_rows(store, cipher, cat)
    reference = register.FIELDS.index("报名编号")
    assert [r[:reference] + r[reference + 1 :] for r in after] == [
        r[:reference] + r[reference + 1 :] for r in before
    ]
    with store.read() as conn:
        channels = set(conn.execute(sa.select(applications.c.channel, applications.c.entered_by)))
    assert channels == {("批量导入", "yangpu-staff")}


def _faulty_file(tmp_path: Path) -> Path:
    good = id_number("310110", "19800101", 11)
    rows = [
        f"张三,{good},13912345678,农业,外省市,初中,农民工,在岗,杨浦区总工会,,c05-diangong-wuji,",
        f"李四,{good[:17]}{'0' if good[17] != '0' else '1'},13912345670,农业,外省市,初中,农民工,在岗,杨浦区总工会,,c05-diangong-wuji,",
        f"王五,{id_number('310110', '19800101', 12)},1391234567,农业,外省市,初中,农民工,在岗,杨浦区总工会,,c05-diangong-wuji,",
        f"赵六,{id_number('310110', '19800101', 13)},13912345672,农业,外省市,初中,农民工,在岗,杨浦区总工会,,c99-no-such-course,",
        f"钱七,{id_number('310110', '19800101', 14)},13912345673,农业,外省市,初中,农民工,在岗,杨浦区总工会,,c05-diangong-wuji,2011-02-30",
        f"张三,{good},13912345678,农业,外省市,初中,农民工,在岗,杨浦区总工会,求职登记,,",
        f"孙八,{id_number('310110', '19800101', 15)},13912345674,农业,外省市,初中,农民工,在岗,黄浦区总工会,求职登记,,",
        f"周九,{id_number('310110', '19800101', 16)},13912345675,农业,外省市,初中,农民工,在岗,,,c09-meifa-wuji,",
    ]  # fmt: skip
    path = tmp_path / "名单.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("gb18030"))
    return path


def test_a_file_with_planted_faults_is_refused_naming_every_row_and_stores_nothing(
    app: Flask, store: Store, tmp_path: Path
) -> None:
    path = _faulty_file(tmp_path)

    result = portal_command(app, ["import", "signups", "--file", str(path), "--unit", "yangpu"])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "名单.csv 第 3 行 身份证号: 身份证号码校验位不正确,请核对后重新输入",
        "名单.csv 第 4 行 联系电话: 请输入 11 位手机号码,例如 139 1234 5678",
        "名单.csv 第 5 行 课程编号: 没有编号为“c99-no-such-course”的课程",
        "名单.csv 第 6 行 结业日期: “2011-02-30”不是有效的日期,请按 2011-08-31 的格式填写",
        "名单.csv 第 7 行 身份证号: 与第 2 行是同一个人,请合并成一行",
        "名单.csv 第 8 行 所属工会: 属于黄浦区总工会,不是本单位的,不能导入",
        "名单.csv 第 9 行 课程编号: 课程“美发师(五级)”由黄浦区总工会负责,不是本单位的,不能导入",
        "共 7 个问题,没有导入任何内容。",
    ]
    assert [_count(store, t) for t in (applications, application_events, outcomes)] == [0, 0, 0]
    with store.read() as conn:
        assert conn.execute(sa.select(audit_log.c.action)).scalars().all() == []


def class_of(cat: Catalogue, course_id: str, count: int, *, start: int = 100) -> bytes:
    """A class list filled into the downloadable template, as staff would."""
    book = openpyxl.load_workbook(io.BytesIO(signup_template(cat, unit_id="yangpu")))
    sheet = book["名单"]
    columns = [cell.value for cell in sheet[1]]
    for n in range(count):
        values = {
            "姓名": f"学员{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'一二三四五六七八九十'[n // 10 % 10]}",
            "身份证号": id_number("310110", "19850312", start + n),
            "联系电话": f"139{start + n:08d}",
            "户口类型": "农业", "户籍地": "外省市", "文化程度": "初中", "人员类别": "农民工、下岗失业人员",
            "就业状态": "失业(已登记)", "所属工会": "杨浦区总工会", "课程编号": course_id,
            "同意书签署日期": "2011-07-15", "同意书存放处": "杨浦区总工会培训科档案柜",
        }  # fmt: skip
        for index, column in enumerate(columns, start=1):
            sheet.cell(n + 2, index).value = values.get(str(column))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_same_class_list_imported_twice_adds_nothing_the_second_time(
    app: Flask, store: Store, cipher: IdentityCipher, cat: Catalogue
) -> None:
    data = class_of(cat, "c05-diangong-wuji", 40)
    dry = import_signups(store, file="电工班.xlsx", data=data, catalogue=cat, cipher=cipher,
                         unit_id="yangpu", by=BY, today=date(2011, 7, 20), dry_run=True)  # fmt: skip
    assert (dry.counts, _count(store, applications)) == (
        {"added": 40, "skipped": 0, "changed": 0},
        0,
    )
    assert (
        dry.summary()
        == "电工班.xlsx:40 行,试运行,将新增 40 项,补记 0 项,跳过已有的 0 项,未做任何修改。"
    )

    first = import_signups(store, file="电工班.xlsx", data=data, catalogue=cat, cipher=cipher,
                           unit_id="yangpu", by=BY, today=date(2011, 7, 20))  # fmt: skip
    second = import_signups(store, file="电工班.xlsx", data=data, catalogue=cat, cipher=cipher,
                            unit_id="yangpu", by=BY, today=date(2011, 7, 20))  # fmt: skip

    assert first.counts == {"added": 40, "skipped": 0, "changed": 0}
    assert second.counts == {"added": 0, "skipped": 40, "changed": 0}
    assert [_count(store, t) for t in (applications, application_events, outcomes)] == [40, 40, 40]
    with store.read() as conn:
        stored = conn.execute(
            sa.select(applications.c.state, applications.c.unit_id, applications.c.channel,
                      applications.c.paper_consent_on, applications.c.paper_consent_kept).distinct()
        ).all()  # fmt: skip
        audits = conn.execute(
            sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.unit_id, audit_log.c.detail)
            .order_by(audit_log.c.id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in stored] == [
        ("在训", "yangpu", "批量导入", date(2011, 7, 15), "杨浦区总工会培训科档案柜")
    ]
    detail = {"file": "电工班.xlsx", "sha256": first.sha256, "rows": 40}
    assert [tuple(r) for r in audits] == [
        (
            "yangpu-staff",
            "import_signups",
            "yangpu",
            detail | {"added": 40, "skipped": 0, "changed": 0},
        ),
        (
            "yangpu-staff",
            "import_signups",
            "yangpu",
            detail | {"added": 0, "skipped": 40, "changed": 0},
        ),
    ]


def test_a_second_file_with_results_of_the_same_people_records_only_what_is_new(
    store: Store, cipher: IdentityCipher, cat: Catalogue
) -> None:
    person = id_number("310110", "19850312", 7)
    row = f"张三,{person},13912345678,农业,外省市,初中,农民工,在岗,杨浦区总工会,,c05-diangong-wuji,"
    first = (HEADER + "\n" + row + "\n").encode()
    import_signups(store, file="a.csv", data=first, catalogue=cat, cipher=cipher, unit_id="yangpu",
                   by=BY, today=date(2011, 10, 1))  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        import_signups(store, file="b.csv", data=(HEADER + "\n" + row + "2011-10-02\n").encode(),
                       catalogue=cat, cipher=cipher, unit_id="yangpu", by=BY, today=date(2011, 10, 1))  # fmt: skip
    assert [str(p) for p in refused.value.problems] == [
        "b.csv 第 2 行 结业日期: 2011-10-02 晚于今天(2011-10-01)"
    ]
    again = import_signups(store, file="b.csv", data=(HEADER + "\n" + row + "2011-09-30\n").encode(),
                           catalogue=cat, cipher=cipher, unit_id="yangpu", by=BY, today=date(2011, 10, 1))  # fmt: skip
    assert [(s.line, s.project, s.action, s.state, s.detail) for s in again.steps] == [
        (2, "技能培训:电工(五级)晚班", "changed", "结业", "结业 2011-09-30")
    ]
    with store.read() as conn:
        kinds = conn.execute(sa.select(outcomes.c.kind, outcomes.c.happened_on).order_by(outcomes.c.id)).all()  # fmt: skip
    assert [tuple(k) for k in kinds] == [
        ("enrolment", date(2011, 7, 18)),
        ("completion", date(2011, 9, 30)),
    ]


def test_a_problem_after_a_thousand_stored_rows_rolls_everything_back(
    store: Store, cipher: IdentityCipher, cat: Catalogue
) -> None:
    """Rows are stored a thousand at a time as they are matched: a late problem undoes them all."""
    rows = []
    for n in range(1_200):
        body = f"3101101{960 + n // 1000}0101{n % 1000:03d}"[:17]
        number = body + check_character(body)
        rows.append(
            f"{person_name(n)},{number},139{n:08d},农业,外省市,初中,农民工,在岗,杨浦区总工会,,c05-diangong-wuji,"
        )
    late = id_number("310101", "19700101", 5)
    rows.append(f"迟到者,{late},13900009999,农业,外省市,初中,农民工,在岗,黄浦区总工会,求职登记,,")
    with pytest.raises(ImportRefused) as refused:
        import_signups(store, file="大名单.csv", data="\n".join([HEADER, *rows]).encode(), catalogue=cat,
                       cipher=cipher, unit_id="yangpu", by=BY, today=date(2011, 7, 20))  # fmt: skip
    assert [str(p) for p in refused.value.problems] == [
        "大名单.csv 第 1202 行 所属工会: 属于黄浦区总工会,不是本单位的,不能导入"
    ]
    assert [_count(store, t) for t in (applications, application_events, outcomes, audit_log)] == [
        0,
        0,
        0,
        0,
    ]
