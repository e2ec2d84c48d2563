"""技能培训报名: the whole flow, the stored row, the pages a person sees, PRG and caching."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from form_service.applications import queries as review
from form_service.applications import submit as queries
from form_service.applications.consent import CONSENT_VERSION
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from tests.support.pages import (
    ID_NUMBER,
    PHONE,
    Applicant,
    answers,
    element_text,
    error_summary,
    hidden_fields,
    input_value,
    text_of,
)
from tests.support.settings import ID_KEY

CIPHER = IdentityCipher(ID_KEY)


def stored(store: Store, reference: str) -> dict:
    with store.read() as conn:
        row = queries.get_by_reference(conn, reference=reference)
    assert row is not None
    return row


def readable(row: dict) -> dict:
    """Decrypt the encrypted columns so a whole row can be compared with `==`."""
    row = dict(row)
    row["id_number_encrypted"] = CIPHER.decrypt(row["id_number_encrypted"])
    row["phone_encrypted"] = CIPHER.decrypt(row["phone_encrypted"])
    return row


def test_training_flow_stores_the_whole_row(applicant: Applicant, form_store: Store) -> None:
    before = datetime.now(UTC)
    opened = applicant.open("training", course="c01-diangong")
    reference = applicant.apply("training")
    after = datetime.now(UTC)

    row = readable(stored(form_store, reference))
    created = row["created_at"]
    assert before <= created <= after and created.tzinfo is not None
    id_hash = CIPHER.keyed_hash(ID_NUMBER)
    assert row == {
        "id": row["id"],
        "reference": reference,
        "flow": "training",
        "course_id": "c01-diangong",
        "unit_id": "huangpu",
        "state": "已提交",
        "waitlisted": False,
        "name": "张三",
        "id_number_encrypted": ID_NUMBER,
        "id_number_hash": id_hash,
        "id_last4": "2014",
        "phone_encrypted": PHONE,
        "phone_hash": CIPHER.keyed_hash(PHONE),
        "phone_last4": "5678",
        "gender": "男",
        "birth_date": date(1975, 3, 12),
        "household_place": "外省市",
        "household_type": "农业",
        "target_groups": ["农民工"],
        "education": "初中",
        "employment_status": "失业(未登记)",
        "details": {
            "home_unit": "yangpu",
            "certificate_held": None,
            "class_times": ["工作日晚上", "双休日"],
            "need_job_referral": "是",
        },
        "consent_version": CONSENT_VERSION,
        "consent_at": created,
        "idempotency_key": row["idempotency_key"],
        "dedupe_key": f"training:c01-diangong:{id_hash}",
        "created_at": created,
        "updated_at": created,
        "is_demo": False,
        "fair_id": None,
        "channel": "网上",
        "entered_by": None,
        "paper_consent_on": None,
        "paper_consent_kept": None,
    }
    assert len(row["idempotency_key"]) == 32 and opened.key != row["idempotency_key"]
    with form_store.read() as conn:
        events = [event._asdict() for event in review.events_of(conn, application_id=row["id"])]
    assert events == [
        {
            "id": events[0]["id"],
            "application_id": row["id"],
            "at": created,
            "actor": "申请人",
            "from_state": None,
            "to_state": "已提交",
            "note": "",
        }
    ]


def test_form_page_preselects_the_course_and_is_not_cached(applicant: Applicant) -> None:
    response = applicant.client.get("/apply/training?course=c01-diangong")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert '<option value="c01-diangong" selected>' in page
    assert "novalidate" in page and " required" not in page
    assert "状态:报名中,还剩 2 个名额,报名截止 2011-07-20" in text_of(page)
    # Consent boxes start unticked and are two separate boxes.
    assert 'name="consent_privacy" type="checkbox" value="y" aria' in page
    assert 'name="consent_id_number" type="checkbox" value="y" aria' in page


def test_check_answers_page_shows_every_answer_then_submit_redirects(
    applicant: Applicant, form_app: Flask
) -> None:
    opened = applicant.open("training")
    data = answers("training", id_number="110105 19491231 002x", phone="+86 139 1234 5678")
    checked = applicant.check("training", data, opened=opened)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert checked.headers["Cache-Control"] == "no-store"
    text = text_of(page)
    assert "请检查您填写的内容" in text
    # Normalised values are what the person checks, and what is carried to the submit step.
    assert "身份证号码 11010519491231002X 修改 身份证号码" in text
    assert "手机号码 13912345678 修改 手机号码" in text
    assert error_summary(page) == []
    assert ("phone", PHONE) in hidden_fields(page)
    assert ("id_number", "11010519491231002X") in hidden_fields(page)
    assert "课程c01-diangong(6月10日开课)" in text
    assert "可以上课的时间 工作日晚上、双休日" in text
    assert "已有的职业资格证书 未填写" in text
    assert "个人信息处理规则 已同意" in text and "处理身份证号码 已同意" in text


def test_lower_case_x_and_full_width_digits_are_normalised(applicant: Applicant) -> None:
    checked = applicant.check(
        "training", answers("training", id_number="１１０１０５１９４９１２３１００２ｘ")
    )
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200, error_summary(page)
    assert ("id_number", "11010519491231002X") in hidden_fields(page)


def test_edit_goes_back_to_the_form_with_every_value_kept(applicant: Applicant) -> None:
    opened = applicant.open("training")
    response = applicant.post("training", answers("training"), opened=opened, action="edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert input_value(page, "name") == "张三"
    assert input_value(page, "id_number") == ID_NUMBER
    assert input_value(page, "idempotency_key") == opened.key
    assert 'value="双休日" checked' in page


def test_confirmation_page_after_commit(applicant: Applicant, form_store: Store) -> None:
    opened = applicant.open("training")
    sent = applicant.submit("training", answers("training"), opened=opened)
    assert sent.status_code == 303
    location = sent.headers["Location"]
    assert location.startswith("/apply/submitted/")
    assert ID_NUMBER not in location and PHONE not in location and "张三" not in location
    confirmation = applicant.client.get(location)
    page = confirmation.get_data(as_text=True)
    reference = element_text(page, "reference")
    assert reference is not None and len(reference) == 8
    assert stored(form_store, reference)["idempotency_key"] == opened.key
    assert confirmation.headers["Cache-Control"] == "no-store"
    text = text_of(page)
    assert "提交成功 您的报名编号是 " + reference in text
    assert (
        "请截屏保存本页,或把报名编号抄下来。查询进度时需要报名编号和您手机号码的后 4 位。" in text
    )
    assert "技能培训报名:课程c01-diangong" in text
    assert "负责的工会将在 5 个工作日内打电话与您核实信息" in text
    assert "黄浦区总工会 电话:63211939" in text
    assert 'href="tel:02163211939"' in page
    # The page holds no personal data: a bookmark or a refresh shows the same.
    assert "张三" not in page and ID_NUMBER not in page and PHONE not in page
    assert applicant.client.get(location).get_data(as_text=True) == page


def test_a_forged_confirmation_link_is_not_found(form_client) -> None:  # type: ignore[no-untyped-def]
    response = form_client.get("/apply/submitted/IkFCQzJERUYzIg.forged")
    assert response.status_code == 404
    assert "页面不存在" in text_of(response.get_data(as_text=True))


def test_course_of_another_kind_goes_to_its_flow(form_client) -> None:  # type: ignore[no-untyped-def]
    response = form_client.get("/apply/training?course=c05-jiazheng")
    assert response.status_code == 302
    assert response.headers["Location"] == "/apply/housekeeping?course=c05-jiazheng"


def test_unknown_course_is_explained(form_client) -> None:  # type: ignore[no-untyped-def]
    page = form_client.get("/apply/training?course=nope").get_data(as_text=True)
    assert "没有找到这门课程,请从列表中选择。" in text_of(page)
    assert "selected>" not in page
