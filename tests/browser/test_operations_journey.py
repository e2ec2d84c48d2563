"""A district runs its part of the programme in the console, at 1280 wide, JavaScript on and off:
enters a walk-in applicant, imports a class of 40 from the template (a first try with mistakes is
refused whole), marks the class 结业 in one step, imports its 鉴定 results, and sees the 统计表
and the work list change. Screenshots of each step go to tests/artifacts/browser/<test>/."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.support.browser import Portal, Session
from tests.support.browser_actions import choose, tap
from tests.support.people import id_number, person_name
from tests.support.settings import PINNED_TODAY
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

CLASS = "c05-diangong-wuji"  # 电工(五级)晚班, run by the Yangpu district union
WALK_IN_COURSE = "c02-jisuanji-siji"
_runs = itertools.count(0)


def _filled_template(path: Path, people: list[tuple[str, str]], *, mistakes: bool) -> bytes:
    """Fill the downloaded template as staff would (two mistakes on request)."""
    book = load_workbook(path)
    sheet = book["名单"]
    columns = [str(c.value) for c in sheet[1]]
    for n, (name, number) in enumerate(people):
        row = {
            "姓名": name, "身份证号": number, "联系电话": f"1370000{n:04d}", "户口类型": "农业",
            "户籍地": "外省市", "文化程度": "初中", "人员类别": "农民工", "就业状态": "在岗",
            "所属工会": "杨浦区总工会", "课程编号": CLASS,
            "同意书签署日期": PINNED_TODAY, "同意书存放处": "杨浦区总工会培训科档案柜",
        }  # fmt: skip
        if mistakes and n == 3:
            row["身份证号"] = number[:17] + ("0" if number[17] != "0" else "1")
        if mistakes and n == 7:
            row["联系电话"] = "1370000123"
        for index, column in enumerate(columns, start=1):
            sheet.cell(n + 2, index).value = row.get(column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _results(people: list[tuple[str, str]]) -> bytes:
    lines = ["身份证号,姓名,课程编号,证书工种,证书等级,证书编号,发证日期"]
    lines += [
        f"{number},{name},{CLASS},电工,五级,SH{n:05d},{PINNED_TODAY}"
        for n, (name, number) in enumerate(people)
    ]
    return ("\n".join(lines) + "\n").encode("gb18030")


def _upload(session: Session, kind: str, name: str, data: bytes, action: str) -> None:
    page = session.page
    section = page.locator("form", has=page.locator(f"#file-{kind}"))
    section.locator(f"#file-{kind}").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    tap(session, section.get_by_role("button", name=action, exact=True))


def _nav(session: Session, name: str) -> None:
    menu = session.page.get_by_role("navigation", name="后台栏目")
    tap(session, menu.get_by_role("link", name=name, exact=True))


def _yangpu_cell(page: Any, column: str) -> str:
    headers = [
        h.strip() for h in page.locator("#return thead tr").nth(1).locator("th").all_inner_texts()
    ]
    row = page.locator("#return tbody tr", has=page.locator("th", has_text="杨浦区总工会")).first
    cells = row.locator("th, td").all_inner_texts()
    return cells[headers.index(column)].strip()


def _finished(page: Any) -> str:
    row = page.locator("#work-list tbody tr", has=page.locator("th", has_text="电工(五级)晚班"))
    return row.locator("td").nth(1).inner_text().strip() if row.count() else "0"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_district_enters_imports_finishes_a_class_and_reports(
    open_session: Any, portal: Portal, yangpu_staff: str, javascript: bool, tmp_path: Path
) -> None:
    run = next(_runs)
    people = [
        (person_name(1000 + 100 * run + n), id_number("310110", "19860101", 100 * run + n))
        for n in range(40)
    ]
    session = open_session("desktop", javascript=javascript)
    page = session.page
    session.go("/staff/login")
    page.get_by_label("用户名").fill(yangpu_staff)
    page.get_by_label("密码").fill(PASSWORD)
    tap(session, page.get_by_role("button", name="登录", exact=True))
    assert session.path() == "/staff/"
    session.shot(page, "overview-before")

    # A walk-in applicant, entered from a paper form.
    _nav(session, "录入申请")
    tap(session, page.get_by_role("link", name="技能培训报名", exact=True))
    page.get_by_label("报名课程", exact=True).select_option(WALK_IN_COURSE)
    walk_in = (person_name(9000 + run), id_number("310110", "19700101", 900 + run))
    page.get_by_label("姓名", exact=True).fill(walk_in[0])
    page.get_by_label("身份证号码", exact=True).fill(walk_in[1])
    page.get_by_label("手机号码", exact=True).fill("139 0000 1234")
    choose(page, "户籍地", "外省市")
    choose(page, "户口性质", "农业(农村)")
    choose(page, "人员类别", "农民工")
    page.get_by_label("文化程度", exact=True).select_option("初中")
    choose(page, "目前就业状态", "失业(未登记)")
    page.get_by_label("所在区县或所属产业工会", exact=True).select_option("yangpu")
    page.get_by_label("申请人已阅读《个人信息处理规则》").check()
    page.get_by_label("申请人已在纸质同意书上单独签字同意处理身份证号码").check()
    choose(page, "可以上课的时间", "双休日")
    choose(page, "培训结束后是否需要推荐就业", "是")
    choose(page, "报名渠道", "窗口(社区、街道、工会服务窗口,或纸质报名表)")
    page.get_by_label("纸质同意书签署日期").fill(PINNED_TODAY)
    page.get_by_label("纸质同意书存放处").fill("杨浦区总工会培训科档案柜")
    session.shot(page, "walk-in-form")
    tap(session, page.get_by_role("button", name="保存,生成报名编号"))
    assert f"已录入{walk_in[0]}的技能培训报名" in page.locator(".notice").inner_text()
    assert "窗口(由 yangpu-staff 录入)" in page.locator("#channel").inner_text()
    session.shot(page, "walk-in-saved")

    # The class list: the template, a first try with two mistakes, then the corrected file.
    _nav(session, "导入名单")
    with page.expect_download() as got:
        page.get_by_role("link", name="下载报名名单模板(XLSX)").click()
    template = tmp_path / "template.xlsx"
    got.value.save_as(template)
    _upload(
        session, "signups", "电工班.xlsx", _filled_template(template, people, mistakes=True), "导入"
    )
    problems = page.locator("#import-problems li").all_inner_texts()
    assert problems == [
        "电工班.xlsx 第 5 行 身份证号: 身份证号码校验位不正确,请核对后重新输入",
        "电工班.xlsx 第 9 行 联系电话: 请输入 11 位手机号码,例如 139 1234 5678",
    ]
    session.shot(page, "import-with-errors")
    _upload(
        session,
        "signups",
        "电工班.xlsx",
        _filled_template(template, people, mistakes=False),
        "导入",
    )
    assert (
        page.locator("#import-summary").inner_text()
        == "电工班.xlsx:40 行,已新增 40 项,补记 0 项,跳过已有的 0 项。"
    )
    session.shot(page, "import-done")

    _nav(session, "工作清单")
    finished_before = int(_finished(page))
    _nav(session, "统计表")
    page.get_by_label("统计截止日期").fill("2011-08-31")
    tap(session, page.get_by_role("button", name="查看", exact=True))
    certified_before = int(_yangpu_cell(page, "其中获初级以上证书(完成数)"))

    # The whole class finishes in one step.
    _nav(session, "申请")
    page.get_by_label("课程", exact=True).select_option(CLASS)
    page.get_by_label("状态", exact=True).select_option("在训")
    tap(session, page.get_by_role("button", name="筛选", exact=True))
    page.get_by_label("筛选出的全部").check()
    page.get_by_label("办理事项").select_option(label="结业")
    session.shot(page, "bulk-step-chosen")
    tap(session, page.get_by_role("button", name="办理", exact=True))
    assert "已为 40 份申请办理“结业”" in page.locator("#bulk-done").inner_text()
    session.shot(page, "bulk-step-done")
    _nav(session, "工作清单")
    assert int(_finished(page)) == finished_before + 40

    # The 鉴定 centre's results.
    _nav(session, "导入名单")
    _upload(session, "results", "鉴定结果.csv", _results(people), "导入")
    assert (
        page.locator("#import-summary").inner_text()
        == "鉴定结果.csv:40 行,已新增 40 项,补记 0 项,跳过已有的 0 项。"
    )
    session.shot(page, "results-imported")

    _nav(session, "统计表")
    page.get_by_label("统计截止日期").fill("2011-08-31")
    tap(session, page.get_by_role("button", name="查看", exact=True))
    assert int(_yangpu_cell(page, "其中获初级以上证书(完成数)")) == certified_before + 40
    session.shot(page, "statistics-after")
    _nav(session, "工作清单")
    assert int(_finished(page)) == finished_before
    _nav(session, "概况")
    assert page.locator("#targets .target").count() == 4
    session.shot(page, "overview-after")
