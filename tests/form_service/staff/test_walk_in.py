"""Walk-in entry: the public form's questions and checks, the channel, the member of staff and
the paper consent stored, a 报名编号 the person can look up, audited; a unit's own courses only."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask import Flask

from form_service.messages import IdNumber
from form_service.store import Store
from form_service.store.tables import application_events, applications, audit_log
from tests.support.people import id_number
from tests.support.staff import Staff, text_of

PERSON = id_number("310110", "19850312", 21)


def _answers(**changes: str) -> dict[str, object]:
    answers: dict[str, object] = {
        "course_id": "c02-jisuanji-siji", "name": "王小明", "id_number": PERSON,
        "phone": "139 1234 5678", "household_place": "外省市", "household_type": "农业",
        "target_groups": ["农民工"], "education": "初中", "employment_status": "在岗",
        "unit_id": "yangpu", "class_times": ["工作日晚上"], "need_job_referral": "是",
        "channel": "窗口", "consent_signed_on": "2011-06-30", "consent_kept": "杨浦区总工会培训科档案柜",
        "consent_privacy": "y", "consent_id_number": "y", "idempotency_key": "a" * 32,
    }  # fmt: skip
    answers.update(changes)
    return answers


def test_the_form_offers_only_the_units_own_courses_and_unit(yangpu: Staff) -> None:
    page = yangpu.get("/staff/walk-in/training").get_data(as_text=True)
    courses = re.findall(r'<option value="(c[^"]+)"', page)
    assert courses == ["c05-diangong-wuji", "c02-jisuanji-siji"]
    units = re.findall(
        r'<option value="([a-z-]+)"', page.split('id="unit_id"')[1].split("</select>")[0]
    )
    assert units == ["yangpu"]


def test_a_walk_in_applicant_gets_a_reference_they_can_look_up(
    app: Flask, yangpu: Staff, store: Store
) -> None:
    response = yangpu.post("/staff/walk-in/training", _answers())
    assert response.status_code == 303
    detail = yangpu.get(response.headers["Location"])
    with store.read() as conn:
        row = conn.execute(sa.select(applications)).one()
        actors = conn.execute(
            sa.select(application_events.c.actor, application_events.c.note)
        ).all()
        audits = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.target,
                                        audit_log.c.detail).where(audit_log.c.action == "walk_in")).all()  # fmt: skip
    assert (row.channel, row.entered_by, row.paper_consent_on, row.paper_consent_kept) == (
        "窗口",
        "yangpu-staff",
        date(2011, 6, 30),
        "杨浦区总工会培训科档案柜",
    )
    assert (row.unit_id, row.course_id, row.state, row.phone_last4) == (
        "yangpu",
        "c02-jisuanji-siji",
        "已提交",
        "5678",
    )
    assert f"已录入王小明的技能培训报名,报名编号 {row.reference}。" in text_of(detail)
    assert [tuple(a) for a in actors] == [("yangpu-staff", "窗口录入")]
    assert [tuple(a) for a in audits] == [
        ("yangpu-staff", "walk_in", row.reference, {"channel": "窗口"})
    ]
    public = app.test_client()
    page = public.get("/apply/status").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    found = public.post("/apply/status", data={"csrf_token": token.group(1), "reference": row.reference,
                                               "phone_last4": "5678"})  # fmt: skip
    assert found.status_code == 200 and row.reference in found.get_data(as_text=True)


def test_wrong_answers_get_the_public_forms_messages_and_are_kept(
    yangpu: Staff, store: Store
) -> None:
    wrong = PERSON[:17] + ("0" if PERSON[17] != "0" else "1")
    response = yangpu.post(
        "/staff/walk-in/training",
        _answers(id_number=wrong, consent_signed_on="2011-02-30", consent_id_number=""),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', page)
    assert summary == [
        IdNumber.CHECK_DIGIT,
        "纸质同意书签署日期不是有效日期,请按 2011-07-15 的格式填写",
        "请确认申请人已单独签字同意处理身份证号码",
    ]
    assert 'value="王小明"' in page and f'value="{wrong}"' in page
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one() == 0


def test_the_same_person_twice_is_told_the_reference(yangpu: Staff) -> None:
    assert yangpu.post("/staff/walk-in/training", _answers()).status_code == 303
    again = yangpu.post("/staff/walk-in/training", _answers(idempotency_key="b" * 32))
    assert again.status_code == 409
    assert "此人已经申请过这一项,报名编号" in text_of(again)


def test_a_registration_at_a_fair_names_the_fair(yangpu: Staff, store: Store) -> None:
    page = yangpu.get("/staff/walk-in/jobseeker").get_data(as_text=True)
    fairs = re.findall(r'<option value="(f\d\d-[^"]+)"', page)
    assert fairs == ["f02-yangpu-yinhang"]  # 杨浦's own fairs only
    answers = _answers(channel="招聘会现场", job_wanted="保安", idempotency_key="c" * 32)
    for key in ("course_id", "class_times", "need_job_referral"):
        answers.pop(key)
    missing = yangpu.post("/staff/walk-in/jobseeker", answers)
    assert missing.status_code == 400
    assert "招聘会现场登记的,请选择是哪一场招聘会" in text_of(missing)
    stored = yangpu.post("/staff/walk-in/jobseeker", answers | {"fair_at": "f02-yangpu-yinhang"})
    assert stored.status_code == 303
    with store.read() as conn:
        row = conn.execute(sa.select(applications.c.channel, applications.c.fair_id)).one()
    assert tuple(row) == ("招聘会现场", "f02-yangpu-yinhang")
