"""Every page type passes axe-core (no serious or critical violation), labels every field, offers
44px touch targets, moves the focus to the error summary, and reflows at 200% zoom.

axe runs in a JavaScript-enabled context (it cannot run otherwise); the markup a no-JavaScript
browser receives is the same. The results per page type go to
tests/artifacts/browser/axe-summary.json for the closing note.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from form_service import messages
from tests.support.axe import (
    AxeLog,
    blocking,
    run_axe,
    sideways_overflow,
    small_targets,
    unlabelled_fields,
)
from tests.support.browser import ZOOM_200, Portal, Session
from tests.support.browser_actions import REFERENCE, fill_real_name, tap
from tests.support.people import id_number
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

COURSE = "c02-jisuanji-siji"
SITE_PAGES = {
    "home": "/",
    "course list": "/courses/",
    "course list, filtered": "/courses/by/kind/skills/",
    "course": f"/courses/{COURSE}/",
    "full course": "/courses/c05-diangong-wuji/",
    "bases": "/bases/",
    "base": "/bases/b01-shizong-peixun-zhongxin/",
    "job fairs": "/job-fairs/",
    "job fair": "/job-fairs/f01-zhabei-beizhan/",
    "content page": "/faq/",
    "privacy notice": "/privacy/",
    "not found": "/no-such-page/",
}
FORMS = {
    "training": f"/apply/training?course={COURSE}",
    "entrepreneurship": "/apply/entrepreneurship",
    "housekeeping": "/apply/housekeeping",
    "jobseeker": "/apply/jobseeker",
}


@pytest.fixture(scope="module")
def axe_log() -> Iterator[AxeLog]:
    log = AxeLog()
    yield log
    log.write()


class Audit:
    """Runs every check on the page a session shows and keeps the problems found."""

    def __init__(self, session: Session, axe_source: str, log: AxeLog) -> None:
        self.session, self.axe_source, self.log = session, axe_source, log
        self.problems: list[str] = []

    def __call__(self, kind: str, *, targets: bool = True) -> None:
        page = self.session.page
        violations = run_axe(page, self.axe_source)
        self.log.add(kind, self.session.path(), violations)
        self.problems += [f"{kind}: {line}" for line in blocking(violations)]
        self.problems += [f"{kind}: no label: {html}" for html in unlabelled_fields(page)]
        if targets:
            self.problems += [f"{kind}: small target: {t}" for t in small_targets(page)]
        self.session.shot(page, kind)

    def visit(self, kind: str, path: str, **options: Any) -> None:
        self.session.go(path)
        self(kind, **options)


@pytest.fixture
def audit(open_session: Any, axe_source: str, axe_log: AxeLog) -> Audit:
    # axe is injected as a script; the form pages' CSP would refuse it, so the test lifts it.
    return Audit(open_session("phone", bypass_csp=True), axe_source, axe_log)


def test_the_static_site_passes(audit: Audit) -> None:
    for kind, path in SITE_PAGES.items():
        audit.visit(kind, path)
    assert audit.problems == []


def test_every_form_passes_with_and_without_errors(audit: Audit) -> None:
    page = audit.session.page
    audit.visit("form index", "/apply/")
    for flow, path in FORMS.items():
        audit.visit(f"form {flow}", path)
        page.get_by_role("button", name="下一步:检查填写内容").click()
        assert page.locator(".error-summary").is_visible()
        # Errors are announced: the summary is an alert and takes the focus.
        assert page.locator(".error-summary").get_attribute("role") == "alert"
        page.wait_for_function("document.activeElement.classList.contains('error-summary')")
        assert page.title().startswith(messages.TITLE_PREFIX)
        audit(f"form {flow} with errors")

    audit.session.go(FORMS["jobseeker"])
    fill_real_name(page, name="李四", id_number=id_number(sequence=901), phone="13700001234")
    page.get_by_label("想找的工作", exact=True).fill("保安")
    tap(audit.session, page.get_by_role("button", name="下一步:检查填写内容"))
    audit("check answers")
    tap(audit.session, page.get_by_role("button", name="确认提交"))
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference)
    audit("confirmation")

    audit.visit("status lookup", "/apply/status")
    page.get_by_role("button", name="查询").click()
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    audit("status lookup with errors")
    page.get_by_label("报名编号", exact=True).fill(reference)
    page.get_by_label("手机号码后 4 位", exact=True).fill("1234")
    tap(audit.session, page.get_by_role("button", name="查询"))
    assert page.locator("#status-reference").inner_text() == reference
    audit("status")
    assert audit.problems == []


def test_the_staff_console_passes(audit: Audit, portal: Portal, yangpu_staff: str) -> None:
    page = audit.session.page
    application = portal.seed(unit_id="yangpu", course_id=COURSE, name="无障碍检查")
    audit.visit("staff login", "/staff/login")
    page.get_by_label("用户名").fill(yangpu_staff)
    page.get_by_label("密码").fill("not the password")
    tap(audit.session, page.get_by_role("button", name="登录", exact=True))
    audit("staff login with error")
    page.get_by_label("密码").fill(PASSWORD)
    tap(audit.session, page.get_by_role("button", name="登录", exact=True))
    for kind, path in {
        "staff home": "/staff/",
        "staff applications": "/staff/applications",
        "staff application": f"/staff/applications/{application}",
        "staff register": "/staff/register",
        "staff statistics": "/staff/stats",
        "staff job fairs": "/staff/fairs",
        "staff job fair": "/staff/fairs/f02-yangpu-yinhang",
        "staff work list": "/staff/work",
        "staff walk-in": "/staff/walk-in/training",
        "staff imports": "/staff/imports/",
    }.items():
        audit.visit(kind, path)
    audit.session.go(f"/staff/applications/{application}")
    page.get_by_label("改为").select_option("已录取")
    page.locator("#on").fill("2099-01-01")
    tap(audit.session, page.get_by_role("button", name="确定", exact=True))
    assert page.locator("#state").inner_text() == "已提交"  # a date after today is refused
    audit("staff application with error")
    audit.session.go("/staff/imports/")
    bad = "姓名,身份证号,联系电话\n张三,310110198001010000,1391234567\n".encode()
    page.locator("#file-signups").set_input_files(
        {"name": "名单.csv", "mimeType": "text/csv", "buffer": bad}
    )
    form = page.locator("form", has=page.locator("#file-signups"))
    tap(audit.session, form.get_by_role("button", name="导入", exact=True))
    assert page.locator("#import-problems li").count() > 1
    audit("staff imports with errors")
    assert audit.problems == []


def test_large_text_mode_passes(audit: Audit) -> None:
    """The 适老化 mode keeps contrast and targets: its colours are checked like the others'."""
    audit.session.context.add_cookies(
        [{"name": "portal_large", "value": "1", "url": audit.session.base}]
    )
    page = audit.session.page
    for kind, path in (("home", "/"), ("course", f"/courses/{COURSE}/")):
        audit.visit(f"large text {kind}", path)
        assert page.evaluate("document.documentElement.classList.contains('portal-large')")
    audit.visit("large text form", FORMS["training"])
    page.get_by_role("button", name="下一步:检查填写内容").click()
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    audit("large text form with errors")
    assert audit.problems == []


@pytest.mark.parametrize(
    "path",
    ["/", "/courses/", f"/courses/{COURSE}/", "/job-fairs/f01-zhabei-beizhan/", *FORMS.values()],
)
def test_pages_reflow_at_200_percent_zoom(open_session: Any, path: str) -> None:
    session = open_session("desktop", **ZOOM_200)
    session.go(path)
    assert sideways_overflow(session.page) <= 0
    session.shot(session.page, "zoom-200")


def test_a_form_can_be_completed_at_200_percent_zoom_without_javascript(open_session: Any) -> None:
    session = open_session("desktop", javascript=False, **ZOOM_200)
    page = session.page
    session.go(FORMS["jobseeker"])
    fill_real_name(page, name="赵六", id_number=id_number(sequence=902), phone="13600001234")
    page.get_by_label("想找的工作", exact=True).fill("保洁")
    tap(session, page.get_by_role("button", name="下一步:检查填写内容"))
    assert sideways_overflow(page) <= 0
    session.shot(page, "check-answers")
    tap(session, page.get_by_role("button", name="确认提交"))
    assert REFERENCE.fullmatch(page.locator("#reference").inner_text())
    assert sideways_overflow(page) <= 0
    session.shot(page, "confirmation")
