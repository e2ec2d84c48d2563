"""Whole journeys in a real browser, on a phone and a desktop, with JavaScript on and off.

A migrant worker finds a course and applies (two mistakes on the way); a graduate finds the next
job fair and opens its 求职登记; a district's staff member admits, certifies, exports and
reports, and cannot open another district's application. Each step is photographed into
tests/artifacts/browser/.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from form_service import messages
from form_service.applications.lifecycle import SUBMITTED
from site_builder.catalog import Catalogue
from tests.support.browser import Portal, Session
from tests.support.browser_actions import (
    REFERENCE,
    checked,
    choose,
    fill_real_name,
    search_site,
    tap,
    visible_text,
)
from tests.support.people import id_number
from tests.support.settings import PINNED_TODAY
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

COURSE_ID = "c02-jisuanji-siji"  # 计算机操作员(四级)晚班, run by the Yangpu district union
MIDDLE_WORD = "操作员"  # from the middle of its title
KINDS = [
    pytest.param("phone", True, id="phone-js"),
    pytest.param("desktop", True, id="desktop-js"),
    pytest.param("phone", False, id="phone-nojs"),
    pytest.param("desktop", False, id="desktop-nojs"),
]
_people = itertools.count(101)


def _find_the_course(session: Session, title: str) -> None:
    page = session.page
    if session.javascript:
        results = search_site(session, MIDDLE_WORD)
        session.shot(page, "search-results")
        hit = results.locator(f"a[href*='courses/{COURSE_ID}/']").first
        assert visible_text(hit.locator("h1, .md-search-result__title").first) == title
        tap(session, hit)
    else:
        # Without JavaScript the theme's search cannot run: browse the catalogue instead.
        tap(session, page.get_by_role("link", name="找培训课程"))
        assert session.path() == "/courses/"
        session.shot(page, "catalogue")
        tap(session, page.get_by_role("link", name=title, exact=True))
    assert session.path().startswith(f"/courses/{COURSE_ID}/")


@pytest.mark.parametrize(("device", "javascript"), KINDS)
def test_a_migrant_worker_applies_for_a_course_and_follows_it(
    open_session: Any, catalogue: Catalogue, device: str, javascript: bool
) -> None:
    course = catalogue.courses[COURSE_ID]
    good_id = id_number(sequence=next(_people))
    wrong_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    session = open_session(device, javascript=javascript)
    page = session.page

    session.go("/")
    session.shot(page, "home")
    _find_the_course(session, course.title)
    assert page.locator("h1").first.inner_text() == course.title
    session.shot(page, "course")

    tap(session, page.get_by_role("link", name="我要报名"))
    assert session.path() == f"/apply/training?course={COURSE_ID}"
    assert page.get_by_label("报名课程", exact=True).input_value() == COURSE_ID
    fill_real_name(page, name="王小明", id_number=wrong_id, phone="1391234567")
    choose(page, "可以上课的时间", "工作日晚上")
    choose(page, "培训结束后是否需要推荐就业", "是")
    session.shot(page, "filled-with-two-mistakes")
    tap(session, page.get_by_role("button", name="下一步:检查填写内容"))

    # The error summary lists both mistakes, takes the focus, and nothing typed is lost.
    assert page.title().startswith(messages.TITLE_PREFIX)
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("a").all_inner_texts() == [
        messages.IdNumber.CHECK_DIGIT,
        messages.Phone.INVALID,
    ]
    assert [a.get_attribute("href") for a in summary.locator("a").all()] == [
        "#id_number",
        "#phone",
    ]
    if javascript:
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("姓名", exact=True).input_value() == "王小明"
    assert page.get_by_label("身份证号码", exact=True).input_value() == wrong_id
    assert page.get_by_label("手机号码", exact=True).input_value() == "1391234567"
    assert checked(page, "户籍地") == ["外省市"]
    assert checked(page, "人员类别") == ["农民工"]
    assert checked(page, "可以上课的时间") == ["工作日晚上"]
    assert page.get_by_label("文化程度", exact=True).input_value() == "初中"
    assert page.get_by_label("我单独同意处理我的身份证号码").is_checked()
    session.shot(page, "error-summary")

    tap(session, summary.get_by_role("link", name=messages.IdNumber.CHECK_DIGIT))
    assert page.evaluate("location.hash") == "#id_number"
    page.get_by_label("身份证号码", exact=True).fill(good_id)
    page.get_by_label("手机号码", exact=True).fill("139 1234 5678")
    tap(session, page.get_by_role("button", name="下一步:检查填写内容"))

    assert page.locator("h1").inner_text() == "请检查您填写的内容"
    answers = dict(
        zip(
            page.locator(".summary__key").all_inner_texts(),
            page.locator(".summary__value").all_inner_texts(),
            strict=True,
        )
    )
    assert answers["姓名"] == "王小明"
    assert answers["手机号码"] == "13912345678"
    assert course.title in answers["报名课程"]
    session.shot(page, "check-answers")
    tap(session, page.get_by_role("button", name="确认提交"))

    reference = page.locator("#reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference)
    assert page.locator("h1").inner_text() == "提交成功"
    session.shot(page, "reference-number")

    # Later: the progress, looked up with the reference and the phone's last four digits.
    tap(session, page.get_by_role("link", name="查询办理进度"))
    page.get_by_label("报名编号", exact=True).fill(reference.lower())
    page.get_by_label("手机号码后 4 位", exact=True).fill("5678")
    session.shot(page, "status-lookup")
    tap(session, page.get_by_role("button", name="查询"))
    assert page.locator("#status-reference").inner_text() == reference
    assert page.locator("#status-state").inner_text() == SUBMITTED
    session.shot(page, "status")


@pytest.mark.parametrize(("device", "javascript"), KINDS)
def test_a_graduate_finds_the_next_job_fair(
    open_session: Any, catalogue: Catalogue, device: str, javascript: bool
) -> None:
    today = date.fromisoformat(PINNED_TODAY)
    upcoming = sorted(
        (f for f in catalogue.job_fairs.values() if f.date >= today),
        key=lambda f: (f.date, f.start_time),
    )
    fair = upcoming[0]
    session = open_session(device, javascript=javascript)
    page = session.page

    session.go("/")
    article = page.locator("article")
    tap(session, article.get_by_role("link", name="招聘会", exact=True).first)
    assert session.path() == "/job-fairs/"
    session.shot(page, "job-fairs")
    first = article.locator("ul a").first  # upcoming fairs come first, the soonest at the top
    assert first.inner_text().strip() == fair.title
    tap(session, first)
    assert session.path() == f"/job-fairs/{fair.id}/"
    assert page.locator("h1").first.inner_text() == fair.title
    session.shot(page, "job-fair")

    with page.expect_download() as download_info:
        article.get_by_role("link", name="加入手机日历").click()
    download = download_info.value
    assert download.suggested_filename == f"{fair.id}.ics"
    calendar = Path(download.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in calendar
    assert f"DTSTART;TZID=Asia/Shanghai:{fair.date:%Y%m%d}T" in calendar
    assert fair.title in calendar.replace("\r\n ", "")

    # The number to ask about the fair: a real one dials at a tap; an example one is shown as
    # plain text under its 示例 note, so nobody is invited to ring a made-up number.
    asked = article.locator("dt:text-is('咨询电话') + dd")
    assert fair.phone in visible_text(asked)
    if fair.example:
        assert visible_text(article.locator(".portal-example-note")).startswith(
            "示例 这是示例招聘会"
        )
        assert article.locator("a[href^='tel:']").count() == 0
    else:
        phone = asked.locator("a[href^='tel:']")
        assert phone.get_attribute("href") == "tel:" + _dial(fair.phone)
        phone.click()  # the phone's dialler takes over; the page stays where it is
        assert session.path() == f"/job-fairs/{fair.id}/"
    session.shot(page, "phone")

    # Registering before the day: the fair's own 求职登记, which names the fair and its union.
    tap(session, article.get_by_role("link", name="求职登记(本场招聘会)", exact=True))
    assert session.path() == f"/apply/jobseeker?fair={fair.id}"
    unit = catalogue.reporting_unit(fair.unit).name
    day = f"{fair.date.month}月{fair.date.day}日"
    assert page.locator("#from-fair").inner_text() == messages.Form.FROM_FAIR.format(
        title=fair.title, day=day, unit=unit
    )
    session.shot(page, "fair-registration")


def _dial(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "021" + digits if len(digits) == 8 else digits


@pytest.mark.parametrize(("device", "javascript"), KINDS)
def test_district_staff_admit_certify_export_and_report(
    open_session: Any,
    portal: Portal,
    catalogue: Catalogue,
    yangpu_staff: str,
    device: str,
    javascript: bool,
) -> None:
    suffix = {"phone": "甲", "desktop": "乙"}[device] + ("" if javascript else "丙")
    applicant = f"杨浦学员{suffix}"
    course = catalogue.courses[COURSE_ID]
    portal.seed(unit_id="yangpu", course_id=COURSE_ID, name=applicant)
    elsewhere = portal.seed(
        unit_id="pudong", course_id="c03-zhongshi-pengtiao-wuji", name=f"浦东学员{suffix}"
    )
    session = open_session(device, javascript=javascript)
    page = session.page

    session.go("/staff/login")
    page.get_by_label("用户名").fill(yangpu_staff)
    page.get_by_label("密码").fill(PASSWORD)
    session.shot(page, "login")
    tap(session, page.get_by_role("button", name="登录", exact=True))
    assert session.path() == "/staff/"
    session.shot(page, "console-home")

    tap(session, page.get_by_role("link", name="申请", exact=True))
    page.get_by_label("姓名或报名编号").fill(applicant)
    tap(session, page.get_by_role("button", name="筛选", exact=True))
    rows = page.locator("#applications tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").nth(2).inner_text() == applicant
    session.shot(page, "found-application")
    tap(session, rows.first.locator("a").first)
    assert page.locator("#state").inner_text() == SUBMITTED

    # Admit, start training, finish it: plain steps, dated today (the clock is pinned).
    for state in ("已录取", "在训", "结业"):
        page.get_by_label("改为").select_option(state)
        assert page.locator("#on").input_value() == PINNED_TODAY
        tap(session, page.get_by_role("button", name="确定", exact=True))
        assert page.locator("#state").inner_text() == state
        session.shot(page, f"state-{state}")

    page.get_by_label("职业资格证书", exact=True).check()
    page.get_by_label("工种").fill(course.occupation)
    page.get_by_label("等级").select_option(label="四级(中级)")
    page.get_by_label("证书编号").fill("1102000123456")
    tap(session, page.get_by_role("button", name="记录", exact=True))
    assert page.locator("#state").inner_text() == "已鉴定"
    assert "1102000123456" in page.locator("#outcomes").inner_text()
    session.shot(page, "certificate-recorded")

    # The real-name register, as a spreadsheet with this person in it.
    tap(session, page.get_by_role("link", name="实名制台账"))
    session.shot(page, "register")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    names = [str(row[0]) for row in book.active.iter_rows(values_only=True) if row and row[0]]
    book.close()
    assert applicant in names
    assert not [n for n in names if n.startswith("浦东学员")]

    tap(session, page.get_by_role("link", name="统计表"))
    assert page.locator("#return").is_visible()
    assert "杨浦" in page.locator("#return tbody").inner_text()
    session.shot(page, "statistics-return")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows_csv = list(csv.reader(io.StringIO(text)))
    assert any("杨浦" in (row[0] if row else "") for row in rows_csv)

    # Another district's application is not there at all.
    response = session.go(f"/staff/applications/{elsewhere}")
    assert response is not None and response.status == 404
    assert f"浦东学员{suffix}" not in page.content()
    session.shot(page, "other-district-404")
