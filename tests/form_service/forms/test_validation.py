"""Problems people can act on: the summary, the message beside the field, their answers kept."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from form_service import messages as m
from form_service.store import Store
from form_service.store.tables import applications
from tests.support.pages import Applicant, answers, error_summary, field_error, input_value, text_of


def count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one())


def test_every_problem_is_listed_in_page_order_and_values_are_kept(
    applicant: Applicant, form_store: Store
) -> None:
    data = answers(
        "training",
        name="张\u200b三",
        id_number="110105194912310021",
        phone="12345",
        household_place=None,
        target_groups=[],
        class_times=["半夜"],
        consent_id_number=None,
    )
    response = applicant.submit("training", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_summary(page) == [
        m.Name.INVISIBLE,
        m.IdNumber.CHECK_DIGIT,
        m.Phone.INVALID,
        "请选择户籍地",
        "请至少选择一项人员类别",
        "请从列表中选择可以上课的时间",
        m.Consent.ID_NUMBER,
    ]
    assert "<title>错误:技能培训报名" in page
    assert '<a href="#name">' in page and '<a href="#household_place-0">' in page
    assert field_error(page, "id_number") == m.IdNumber.CHECK_DIGIT
    assert field_error(page, "target_groups") == "请至少选择一项人员类别"
    assert field_error(page, "consent_id_number") == m.Consent.ID_NUMBER
    assert field_error(page, "education") is None
    # What the person typed stays, wrong or right.
    assert input_value(page, "id_number") == "110105194912310021"
    assert input_value(page, "phone") == "12345"
    assert input_value(page, "name") == "张\u200b三"
    assert 'value="初中" selected' in page
    assert 'id="consent_privacy" name="consent_privacy" type="checkbox" value="y" checked' in page
    assert count(form_store) == 0


@pytest.mark.parametrize(
    ("flow", "overrides", "field", "message"),
    [
        ("training", {"course_id": ""}, "course_id", "请选择报名课程"),
        ("training", {"course_id": "c99-nope"}, "course_id", "请从列表中选择报名课程"),
        ("training", {"course_id": "c05-jiazheng"}, "course_id", "请从列表中选择报名课程"),
        ("training", {"unit_id": "mars"}, "unit_id", "请从列表中选择所在区县或所属产业工会"),
        ("training", {"unit_id": "luwan"}, "unit_id", "请从列表中选择所在区县或所属产业工会"),
        (
            "training",
            {"certificate_held": "证" * 101},
            "certificate_held",
            "已有的职业资格证书不能超过 100 个字(您输入了 101 个字)",
        ),
        (
            "training",
            {"certificate_held": "电工\x00"},
            "certificate_held",
            "已有的职业资格证书中有看不见的字符或控制字符,请删除后重新输入",
        ),
        ("training", {"name": "张" * 51}, "name", m.Name.TOO_LONG.format(count=51)),
        ("training", {"id_number": "110105491331002"}, "id_number", m.IdNumber.BIRTH_DATE),
        ("training", {"phone": ""}, "phone", m.Phone.REQUIRED),
        ("training", {"consent_privacy": None}, "consent_privacy", m.Consent.PRIVACY),
        ("entrepreneurship", {"project_name": ""}, "project_name", m.Form.PROJECT_REQUIRED),
        (
            "entrepreneurship",
            {"funding_need": "五万"},
            "funding_need",
            "资金需求(元)请填写整数,例如 50000",
        ),
        (
            "entrepreneurship",
            {"funding_need": "100000001"},
            "funding_need",
            "资金需求(元)应在 0 到 100000000 之间",
        ),
        ("entrepreneurship", {"funding_need": ""}, "funding_need", "请填写资金需求(元)"),
        (
            "entrepreneurship",
            {"project_summary": "字" * 301},
            "project_summary",
            "经营内容简述不能超过 300 个字(您输入了 301 个字)",
        ),
        ("entrepreneurship", {"services": []}, "services", "请至少选择一项希望得到的服务"),
        (
            "entrepreneurship",
            {"course_id": "c01-diangong"},
            "course_id",
            "请从列表中选择报名创业培训班",
        ),
        (
            "housekeeping",
            {"experience_years": "51"},
            "experience_years",
            "从事家政工作年限应在 0 到 50 之间",
        ),
        (
            "housekeeping",
            {"districts_served": ["luwan"]},
            "districts_served",
            "请从列表中选择可以服务的区县",
        ),
        ("housekeeping", {"health_certificate": ""}, "health_certificate", "请选择健康证明"),
        ("jobseeker", {"job_wanted": "  "}, "job_wanted", "请填写想找的工作"),
    ],
)
def test_one_wrong_answer(
    applicant: Applicant, form_store: Store, flow: str, overrides: dict, field: str, message: str
) -> None:
    response = applicant.submit(flow, answers(flow, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_summary(page) == [message]
    assert field_error(page, field) == message
    assert count(form_store) == 0


def test_entrepreneurship_without_a_project_needs_no_project_name(applicant: Applicant) -> None:
    data = answers("entrepreneurship", stage="有创业意愿,还没有项目", project_name="")
    assert applicant.check("entrepreneurship", data).status_code == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"name_extra": "x"},
        {"is_demo": "1"},
        {"state": "已录取"},
        {"unit": "huangpu"},
    ],
)
def test_unknown_fields_are_refused(applicant: Applicant, form_store: Store, extra: dict) -> None:
    response = applicant.submit("training", {**answers("training"), **extra})
    assert response.status_code == 400
    assert text_of(response.get_data(as_text=True)).count(m.Form.REFUSED) == 1
    assert count(form_store) == 0


def test_a_duplicated_field_is_refused(applicant: Applicant, form_store: Store) -> None:
    response = applicant.submit("training", answers("training", name=["张三", "李四"]))
    assert response.status_code == 400
    assert m.Form.REFUSED in text_of(response.get_data(as_text=True))
    assert count(form_store) == 0


def test_a_missing_or_malformed_idempotency_key_is_refused(
    applicant: Applicant, form_store: Store
) -> None:
    opened = applicant.open("training")
    for key in ("", "not-a-key", "A" * 32):
        opened.key = key
        response = applicant.submit("training", answers("training"), opened=opened)
        assert response.status_code == 400
        assert m.Form.REFUSED in text_of(response.get_data(as_text=True))
    assert count(form_store) == 0


def test_without_a_valid_csrf_token_answers_come_back_to_resubmit(
    applicant: Applicant, form_store: Store
) -> None:
    opened = applicant.open("training")
    opened.csrf = "forged"
    response = applicant.submit("training", answers("training"), opened=opened)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_summary(page) == [m.Form.TOKEN_FOREIGN]  # what happened, not "expired"
    assert input_value(page, "name") == "张三"
    assert input_value(page, "idempotency_key") == opened.key
    assert count(form_store) == 0


def test_the_honeypot_stores_nothing_and_shows_no_reference(
    applicant: Applicant, form_store: Store
) -> None:
    response = applicant.submit("training", answers("training", website="http://spam.example"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "我们已收到您提交的信息。" in text_of(page)
    assert 'id="reference"' not in page
    assert count(form_store) == 0


def test_a_body_larger_than_64_kib_is_refused(applicant: Applicant, form_store: Store) -> None:
    response = applicant.submit("training", answers("training", certificate_held="证" * 30_000))
    assert response.status_code == 413
    assert "提交的内容超过了允许的大小" in text_of(response.get_data(as_text=True))
    assert count(form_store) == 0


def test_thousands_of_fields_are_refused(applicant: Applicant, form_store: Store) -> None:
    extra = {f"f{i}": "1" for i in range(3000)}
    response = applicant.submit("training", {**answers("training"), **extra})
    assert response.status_code in (400, 413)
    assert count(form_store) == 0
