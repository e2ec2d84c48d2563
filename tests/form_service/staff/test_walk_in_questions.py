"""Walk-in entry asks each flow's own questions, as the public form does, and stores the answers."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.forms.flows import FORMS
from form_service.forms.walk_in import DESK
from form_service.store import Store
from form_service.store.tables import applications
from tests.support.people import id_number
from tests.support.staff import Staff

_NAMES = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([a-z_]+)"')


def _asked(html: str) -> list[str]:
    """Return the names of the questions a page asks, each once, in page order."""
    skipped = {"csrf_token", "idempotency_key", "website", "action", "fair_id"}
    return list(dict.fromkeys(n for n in _NAMES.findall(html) if n not in skipped))


@pytest.mark.parametrize("flow", sorted(FORMS))
def test_the_walk_in_form_asks_the_flows_questions_then_the_desks(
    app: Flask, yangpu: Staff, flow: str
) -> None:
    public = _asked(app.test_client().get(f"/apply/{flow}").get_data(as_text=True))
    desk = _asked(yangpu.get(f"/staff/walk-in/{flow}").get_data(as_text=True))
    consents = ["consent_privacy", "consent_id_number"]
    assert public[-2:] == consents
    assert desk == public[:-2] + list(DESK) + consents


def test_a_walk_in_training_application_keeps_its_training_answers(
    yangpu: Staff, store: Store
) -> None:
    answers = {
        "course_id": "c02-jisuanji-siji", "name": "王小红", "id_number": id_number("310110", "19850312", 31),
        "phone": "139 1234 5678", "household_place": "外省市", "household_type": "农业",
        "target_groups": ["农民工"], "education": "初中", "employment_status": "在岗",
        "unit_id": "yangpu", "certificate_held": "电工五级 1234", "class_times": ["工作日晚上", "双休日"],
        "need_job_referral": "是", "channel": "窗口", "consent_signed_on": "2011-06-30",
        "consent_kept": "杨浦区总工会培训科档案柜", "consent_privacy": "y", "consent_id_number": "y",
        "idempotency_key": "b" * 32,
    }  # fmt: skip
    assert yangpu.post("/staff/walk-in/training", answers).status_code == 303
    with store.read() as conn:
        details = conn.execute(sa.select(applications.c.details)).scalar_one()
    assert details == {
        "home_unit": "yangpu",
        "certificate_held": "电工五级 1234",
        "class_times": ["工作日晚上", "双休日"],
        "need_job_referral": "是",
    }
