"""A district's staff member keeps their listings in Chromium: raises a capacity, adds a job fair
(a mistake corrected on the page), previews, publishes; the public pages, the form and the
availability API show both; another district's listing stays closed. JavaScript on and off."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.axe import blocking, run_axe, sideways_overflow, small_targets, unlabelled_fields
from tests.support.browser import Portal, serve_portal, sessions
from tests.support.browser_actions import tap
from tests.support.settings import REAL_CONTENT
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser
FAIR = "f09-zhabei-gonghe"
FAIR_TITLE = "百企千岗进社区——闸北区共和新路街道专场"


@pytest.fixture
def own_portal(tmp_path: Path) -> Iterator[Portal]:
    """The portal on a copy of the content this test may change, with 闸北 staff."""
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    with serve_portal(tmp_path / "served", content=content) as live:
        live.command("staff", "add", "zhabei-staff", "--role", "unit", "--unit", "zhabei",
                     "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
        yield live


@pytest.mark.parametrize(("device", "javascript"), [("phone", True), ("desktop", False)])
def test_district_staff_edit_preview_and_publish(
    browser: Any, own_portal: Portal, request: pytest.FixtureRequest, device: str, javascript: bool
) -> None:
    with sessions(browser, own_portal.url, request.node.name) as make:
        session = make(device, javascript=javascript)
        page = session.page
        session.go("/staff/login")
        page.get_by_label("用户名").fill("zhabei-staff")
        page.get_by_label("密码").fill(PASSWORD)
        tap(session, page.get_by_role("button", name="登录", exact=True))
        tap(session, page.get_by_role("link", name="网站内容", exact=True))
        titles = page.locator("#records .record__title").all_inner_texts()
        assert titles == ["计算机操作员(五级)晚班", "物流员(四级)仓储方向"]  # 闸北's own only
        session.shot(page, "content-list")

        # Raise a course's capacity.
        tap(session, page.get_by_role("link", name="计算机操作员(五级)晚班"))
        session.shot(page, "course-form")
        page.locator("#f-capacity").fill("45")
        tap(session, page.get_by_role("button", name="保存", exact=True))
        assert "已保存(草稿,发布网站后公开):招生人数" in page.locator(".notice").inner_text()

        # Add a job fair, with the end time before the start time first.
        session.go("/staff/content/?collection=job_fairs")
        tap(session, page.get_by_role("link", name="新增招聘会"))
        for key, value in (("id", FAIR), ("title", FAIR_TITLE), ("date", "2011-07-16"),
                           ("start_time", "09:00"), ("end_time", "08:00"),
                           ("venue", "共和新路街道社区文化活动中心(示例)"),
                           ("address", "闸北区共和新路 1500 号(示例)")):  # fmt: skip
            page.locator(f"#f-{key}").fill(value)
        page.locator("#f-unit").select_option("zhabei")
        tap(session, page.get_by_role("button", name="保存", exact=True))
        assert (
            page.locator("#f-end_time-error").text_content()
            == "错误:结束时间 08:00 不晚于开始时间 09:00"
        )
        assert page.locator("#f-title").input_value() == FAIR_TITLE  # what was typed is kept
        session.shot(page, "fair-mistake-shown")
        page.locator("#f-end_time").fill("11:30")
        tap(session, page.get_by_role("button", name="保存", exact=True))
        assert session.path() == f"/staff/content/job_fairs/{FAIR}"
        session.shot(page, "fair-saved")

        # Preview, then publish.
        tap(session, page.get_by_role("link", name="发布网站", exact=True))
        pending = page.locator("#pending").inner_text()
        assert f"content/job_fairs/{FAIR}.yaml\t新增\tzhabei-staff 新增" in pending
        assert "content/courses/c01-jisuanji-wuji.yaml\t修改\tzhabei-staff 修改" in pending
        session.shot(page, "publish-page")
        tap(session, page.get_by_role("button", name="生成预览", exact=True))
        assert page.locator("#preview-done").is_visible()
        session.go(f"/staff/preview/job-fairs/{FAIR}/")
        assert FAIR_TITLE in page.locator("h1").inner_text()
        session.go("/job-fairs/")
        assert FAIR_TITLE not in page.content()  # only a preview so far
        session.go("/staff/publish")
        tap(session, page.get_by_role("button", name="检查并发布", exact=True))
        assert "发布上线" in page.locator("#publish-done").inner_text()
        session.shot(page, "published")

        # The public site, the form and the API show both changes.
        session.go("/courses/c01-jisuanji-wuji/")
        seats_line = page.locator(".portal-seats")
        assert seats_line.get_attribute("data-capacity") == "45"
        # Without JavaScript the page's own words; with it, the live count from the API.
        expected = "还剩 14 个名额(共 45 个)" if javascript else "招生 45 人"
        assert seats_line.inner_text() == expected
        session.shot(page, "public-course")
        session.go("/job-fairs/")
        assert FAIR_TITLE in page.content()
        session.go(f"/job-fairs/{FAIR}/")
        assert "09:00–11:30" in page.content()
        seats = page.request.get(own_portal.url + "/api/courses/c01-jisuanji-wuji/availability")
        assert seats.json()["capacity"] == 45
        session.go("/apply/training?course=c01-jisuanji-wuji")
        assert "计算机操作员(五级)晚班" in page.content()

        # Another district's listing: not listed, not opened, not posted to.
        answer = session.go("/staff/content/courses/c05-diangong-wuji")
        assert answer.status == 404
        session.go("/staff/content/courses/c01-jisuanji-wuji")
        token = page.locator("input[name=csrf_token]").first.input_value()
        version = page.locator("input[name=version]").first.input_value()
        posted = page.request.post(
            own_portal.url + "/staff/content/courses/c05-diangong-wuji",
            form={"csrf_token": token, "version": version, "capacity": "99"},
        )
        assert posted.status == 404
        c05 = own_portal.folder.parent / "content" / "courses" / "c05-diangong-wuji.yaml"
        assert re.search(r"^capacity: \d+$", c05.read_text(encoding="utf-8"), re.M).group(0) == (
            re.search(r"^capacity: \d+$", (REAL_CONTENT / "courses" / "c05-diangong-wuji.yaml")
                      .read_text(encoding="utf-8"), re.M).group(0))  # fmt: skip


def test_the_content_console_passes_axe_on_a_phone(
    browser: Any, own_portal: Portal, request: pytest.FixtureRequest, axe_source: str
) -> None:
    """No serious or critical axe violation, every field labelled, 44 px targets, no sideways
    scrolling at 390 px: the list, a form (also with its problems shown), history, publish."""
    with sessions(browser, own_portal.url, request.node.name) as make:
        session = make("phone", bypass_csp=True)  # axe is injected as a script
        page = session.page
        session.go("/staff/login")
        page.get_by_label("用户名").fill("zhabei-staff")
        page.get_by_label("密码").fill(PASSWORD)
        tap(session, page.get_by_role("button", name="登录", exact=True))
        problems: list[str] = []

        def check(kind: str) -> None:
            problems.extend(f"{kind}: {line}" for line in blocking(run_axe(page, axe_source)))
            problems.extend(f"{kind}: no label: {html}" for html in unlabelled_fields(page))
            problems.extend(f"{kind}: small target: {t}" for t in small_targets(page))
            if sideways_overflow(page):
                problems.append(f"{kind}: scrolls sideways")
            session.shot(page, kind)

        for kind, path in (
            ("list", "/staff/content/"),
            ("fairs", "/staff/content/?collection=job_fairs"),
            ("course form", "/staff/content/courses/c01-jisuanji-wuji"),
            ("new fair", "/staff/content/job_fairs/new"),
            ("publish", "/staff/publish"),
        ):
            session.go(path)
            check(kind)
        session.go("/staff/content/courses/c01-jisuanji-wuji")
        page.locator("#f-end_date").fill("2011-07-01")
        tap(session, page.get_by_role("button", name="保存", exact=True))
        assert page.locator("#problems").is_visible()
        check("course form with problems")
        page.locator("#f-end_date").fill("2011-08-19")
        page.locator("#f-capacity").fill("45")
        tap(session, page.get_by_role("button", name="保存", exact=True))
        session.go("/staff/content/courses/c01-jisuanji-wuji/history")
        check("history")
        assert problems == []
