"""What a person does in the tests: open a form, fill it, check it, submit it; read the pages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ID_NUMBER = "310104197503122014"  # synthetic (male, born 1975-03-12)
PHONE = "13912345678"

REAL_NAME: dict[str, Any] = {
    "name": "张三",
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "household_place": "外省市",
    "household_type": "农业",
    "target_groups": ["农民工"],
    "education": "初中",
    "employment_status": "失业(未登记)",
    "unit_id": "yangpu",
    "consent_privacy": "y",
    "consent_id_number": "y",
}

FLOW_ANSWERS: dict[str, dict[str, Any]] = {
    "training": {
        "course_id": "c01-diangong",
        "certificate_held": "",
        "class_times": ["工作日晚上", "双休日"],
        "need_job_referral": "是",
    },
    "entrepreneurship": {
        "course_id": "",
        "stage": "已有项目构思",
        "project_name": "社区早餐店",
        "industry": "餐饮",
        "project_summary": "在小区门口经营早餐。",
        "organisation_form": "个体工商户",
        "registration": "未登记",
        "jobs_planned": "3",
        "own_funds": "20000",
        "funding_need": "50,000",
        "funding_method": "小额贷款担保",
        "premises": "房租补贴",
        "services": ["创业培训", "小额贷款"],
    },
    "housekeeping": {
        "course_id": "c05-jiazheng",
        "work_patterns": ["不住家", "钟点工(上午)"],
        "service_types": ["一般家务(保洁)", "照顾老人"],
        "experience_years": "2",
        "health_certificate": "有,在有效期内",
        "certificates": [],
        "districts_served": ["yangpu", "huangpu"],
        "expected_wage": "2500",
        "accept_referral": "是",
    },
    "jobseeker": {"job_wanted": "保安", "expected_wage": ""},
}


def answers(flow: str, **overrides: Any) -> dict[str, Any]:
    """Return a complete, valid set of answers for `flow`, with `overrides` applied."""
    data = {**REAL_NAME, **FLOW_ANSWERS[flow]}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text_of(fragment: str) -> str:
    """Strip tags (inline ones without a gap) and collapse whitespace: the text a person reads."""
    inline = re.sub(r"</?(?:strong|span|a|em|b)\b[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def element_text(page: str, element_id: str) -> str | None:
    found = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page, re.S)
    return text_of(found.group(2)) if found else None


def error_summary(page: str) -> list[str]:
    """Return the messages of the error summary, in order (empty when there is none)."""
    box = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    if box is None:
        return []
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", box.group(0), re.S)]


def field_error(page: str, field_id: str) -> str | None:
    """Return the message shown beside a field, without the hidden 错误: prefix."""
    message = element_text(page, f"{field_id}-error")
    return message.removeprefix("错误:").strip() if message else None


def input_value(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    if not found:
        return None
    value = re.search(r'\bvalue="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else ""


def hidden_fields(page: str) -> list[tuple[str, str]]:
    """Return every (name, value) of the hidden inputs, in order."""
    pairs = []
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name:
            pairs.append(
                (html.unescape(name.group(1)), html.unescape(value.group(1) if value else ""))
            )
    return pairs


@dataclass
class Opened:
    page: str
    csrf: str
    key: str


class Applicant:
    """A person with a browser (cookies kept) going through the flows."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def open(self, flow: str, course: str | None = None) -> Opened:
        query = f"?course={course}" if course else ""
        response = self.client.get(f"/apply/{flow}{query}")
        assert response.status_code == 200, response.status_code
        page = response.get_data(as_text=True)
        return Opened(
            page, input_value(page, "csrf_token") or "", input_value(page, "idempotency_key") or ""
        )

    def post(self, flow: str, data: dict[str, Any], *, opened: Opened, action: str) -> TestResponse:
        body = {"csrf_token": opened.csrf, "idempotency_key": opened.key, **data, "action": action}
        return self.client.post(f"/apply/{flow}", data=body)

    def check(
        self, flow: str, data: dict[str, Any], *, opened: Opened | None = None
    ) -> TestResponse:
        opened = opened or self.open(flow)
        return self.post(flow, data, opened=opened, action="continue")

    def submit(
        self, flow: str, data: dict[str, Any], *, opened: Opened | None = None
    ) -> TestResponse:
        opened = opened or self.open(flow)
        return self.post(flow, data, opened=opened, action="submit")

    def apply(self, flow: str, **overrides: Any) -> str:
        """Go through the whole flow as a person does; return the reference shown at the end."""
        opened = self.open(flow)
        checked = self.check(flow, answers(flow, **overrides), opened=opened)
        assert checked.status_code == 200, error_summary(checked.get_data(as_text=True))
        reference = element_text(self.confirm(flow, checked.get_data(as_text=True)), "reference")
        assert reference
        return reference

    def confirm(self, flow: str, checked_page: str) -> str:
        """Submit what the check-answers page carries, as the browser would; return the confirmation page."""
        body: dict[str, list[str]] = {}
        for name, value in hidden_fields(checked_page):
            body.setdefault(name, []).append(value)
        body["action"] = ["submit"]
        sent = self.client.post(f"/apply/{flow}", data=body)
        assert sent.status_code == 303, sent.status_code
        confirmation = self.client.get(sent.headers["Location"])
        assert confirmation.status_code == 200
        return confirmation.get_data(as_text=True)
