"""Results imports: 200 trainees' 鉴定 certificates become outcomes that the 统计表 counts at the
cut-off their dates fall before; jobs with 无固定期限 contracts; faults named; a second run adds
nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.accounts.audit import Actor
from form_service.imports.problems import ImportRefused
from form_service.imports.results import import_results
from form_service.imports.signup_import import import_signups
from form_service.reports import register
from form_service.reports.statistics_sheet import build_return
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import applications, audit_log, outcomes
from site_builder.catalog import Catalogue
from tests.support.apps import portal_command
from tests.support.people import id_number

BY = Actor("yangpu-staff")
TODAY = date(2011, 12, 1)
SIGNUP_HEADER = (
    "姓名,身份证号,联系电话,户口类型,户籍地,文化程度,人员类别,就业状态,所属工会,课程编号,结业日期"
)
RESULT_HEADER = "身份证号,姓名,证书工种,证书等级,证书编号,发证日期"


def _person(n: int) -> tuple[str, str]:
    return (
        f"学员{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'一二三四五六七八九十'[n // 10 % 10]}{'东南西北'[n // 100]}",
        id_number("310110", "19850312", n),
    )


def _class_of_200(store: Store, cipher: IdentityCipher, cat: Catalogue) -> None:
    lines = [SIGNUP_HEADER]
    for n in range(200):
        name, number = _person(n)
        lines.append(
            f"{name},{number},139{n:08d},农业,外省市,初中,农民工,在岗,杨浦区总工会,c05-diangong-wuji,2011-08-20"
        )
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")
    import_signups(store, file="电工班.csv", data=data, catalogue=cat, cipher=cipher, unit_id="yangpu",
                   by=BY, today=TODAY)  # fmt: skip


def _results_file(tmp_path: Path) -> Path:
    lines = [RESULT_HEADER]
    for n in range(200):
        name, number = _person(n)
        issued, level = (
            ("2011-08-25", "五级")
            if n < 120
            else ("2011-09-10", "五级")
            if n < 180
            else ("2011-08-26", "专项职业能力")
        )
        lines.append(f"{number},{name},电工,{level},SH2011{n:04d},{issued}")
    path = tmp_path / "鉴定结果.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    return path


def _skills(store: Store, cat: Catalogue, cutoff: date) -> tuple[object, object]:
    with store.read() as conn:
        result, _sheet = build_return(conn, catalogue=cat, cutoff=cutoff, unit_id="yangpu")
    values = result.rows[0].values
    return values["skills_trained"], values["skills_certified"]


def test_a_results_file_turns_200_certificates_into_outcomes_counted_at_the_right_cutoff(
    app: Flask, store: Store, cipher: IdentityCipher, cat: Catalogue, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("PORTAL_TODAY", TODAY.isoformat())
    _class_of_200(store, cipher, cat)
    assert _skills(store, cat, date(2011, 8, 31)) == (200, 0)
    path = _results_file(tmp_path)

    dry = portal_command(
        app, ["import", "results", "--file", str(path), "--unit", "yangpu", "--dry-run"]
    )
    stored = portal_command(app, ["import", "results", "--file", str(path), "--unit", "yangpu"])
    again = portal_command(app, ["import", "results", "--file", str(path), "--unit", "yangpu"])

    assert dry.exit_code == stored.exit_code == again.exit_code == 0, dry.output + stored.output
    assert (
        dry.output.splitlines()[-1]
        == "鉴定结果.csv:200 行,试运行,将新增 200 项,补记 0 项,跳过已有的 0 项,未做任何修改。"
    )
    assert dry.output.splitlines()[0] == (
        "第 2 行\t学员甲一东 310***********0002\t技能培训:电工(五级)晚班\t新增\t已鉴定\t职业资格证书 2011-08-25 电工 五级 SH20110000"
    )
    assert (
        stored.output.splitlines()[-1]
        == "鉴定结果.csv:200 行,已新增 200 项,补记 0 项,跳过已有的 0 项。"
    )
    assert (
        again.output.splitlines()[-1]
        == "鉴定结果.csv:200 行,已新增 0 项,补记 0 项,跳过已有的 200 项。"
    )
    assert _skills(store, cat, date(2011, 8, 31)) == (200, 120)
    assert _skills(store, cat, date(2011, 11, 30)) == (200, 180)
    with store.read() as conn:
        states = dict(conn.execute(sa.select(applications.c.state, sa.func.count()).group_by(applications.c.state)).all())  # fmt: skip
        certificates = conn.execute(sa.select(sa.func.count()).where(outcomes.c.kind == "certificate")).scalar_one()  # fmt: skip
        actions = conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id)).scalars().all()  # fmt: skip
    assert (states, certificates) == ({"已鉴定": 200}, 200)
    assert actions == ["import_signups", "import_results", "import_results"]


def test_jobs_and_businesses_are_recorded_and_faults_name_their_rows(
    store: Store, cipher: IdentityCipher, cat: Catalogue
) -> None:
    people = [id_number("310110", "19850312", n) for n in range(1, 4)]
    signups = [SIGNUP_HEADER.replace(",结业日期", ",参加项目")]
    signups.append(
        f"张三,{people[0]},13900000001,农业,外省市,初中,农民工,在岗,杨浦区总工会,,求职登记"
    )
    signups.append(
        f"李四,{people[1]},13900000002,非农业,本市,大专,下岗失业人员,失业(已登记),杨浦区总工会,c19-syb-biyesheng,"
    )
    import_signups(store, file="a.csv", data="\n".join(signups).encode(), catalogue=cat, cipher=cipher,
                   unit_id=None, by=BY, today=TODAY)  # fmt: skip
    header = (
        "身份证号,姓名,就业单位,就业日期,劳动合同期限(月),就业途径,创业项目,开业日期,带动就业人数"
    )
    bad = [
        header,
        f"{people[0]},张三,上海某物业公司,2011-10-08,无固定期限,工会职业介绍,,,",
        f"{people[2]},王五,某公司,2011-10-08,12,招聘会,,,",
        f"{people[1]},李斯,,,,,小李快餐,2011-11-01,3",
        f"{people[1]},李四,某公司,2011-10-08,十二,工会职业介绍,,,",
    ]
    with pytest.raises(ImportRefused) as refused:
        import_results(store, file="结果.csv", data="\n".join(bad).encode(), catalogue=cat,
                       cipher=cipher, unit_id="yangpu", by=BY, today=TODAY)  # fmt: skip
    assert [str(p) for p in refused.value.problems] == [
        "结果.csv 第 3 行 身份证号: 本单位没有此人的申请,请核对身份证号,或先导入报名名单",
        "结果.csv 第 4 行 姓名: 与身份证号对应的申请不一致(申请上的姓名是 李四)",
        "结果.csv 第 5 行 劳动合同期限(月): 应为 0 到 600 之间的整数",
    ]
    good = "\n".join([header, bad[1], f"{people[1]},李四,,,,,小李快餐,2011-11-01,3"]).encode()
    made = import_results(store, file="结果.csv", data=good, catalogue=cat, cipher=cipher,
                          unit_id="yangpu", by=BY, today=TODAY)  # fmt: skip
    assert [(s.line, s.project, s.state, s.detail) for s in made.steps] == [
        (2, "求职登记", "已就业", "就业 2011-10-08 上海某物业公司 工会职业介绍 无固定期限合同"),
        (
            3,
            "创业培训:SYB 创业培训——困难职工家庭高校毕业生班",
            "在训",
            "创业(办照开业) 2011-11-01 小李快餐 带动就业3人",
        ),
    ]
    with store.read() as conn:
        jobs = conn.execute(
            sa.select(outcomes.c.employer, outcomes.c.contract_months, outcomes.c.contract_open_ended,
                      outcomes.c.found_via).where(outcomes.c.kind == "employment")
        ).all()  # fmt: skip
    assert [tuple(j) for j in jobs] == [("上海某物业公司", None, True, "union_referral")]
    assert register.contract_cell(jobs[0]) == "无固定期限"
