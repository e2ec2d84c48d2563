"""创业扶持, 家政登记 and 求职登记: each flow's own answers as stored, and their pages."""

from __future__ import annotations

import pytest

from form_service.applications import submit as queries
from form_service.store import Store
from tests.support.pages import Applicant, text_of

SHARED = {
    "name": "张三",
    "gender": "男",
    "household_place": "外省市",
    "household_type": "农业",
    "target_groups": ["农民工"],
    "education": "初中",
    "employment_status": "失业(未登记)",
    "state": "已提交",
    "waitlisted": False,
}


@pytest.mark.parametrize(
    ("flow", "course_id", "unit_id", "details"),
    [
        (
            "entrepreneurship",
            None,
            "yangpu",
            {
                "home_unit": "yangpu",
                "stage": "已有项目构思",
                "project_name": "社区早餐店",
                "industry": "餐饮",
                "project_summary": "在小区门口经营早餐。",
                "organisation_form": "个体工商户",
                "registration": "未登记",
                "jobs_planned": 3,
                "own_funds": 20000,
                "funding_need": 50000,
                "funding_method": "小额贷款担保",
                "premises": "房租补贴",
                "services": ["创业培训", "小额贷款"],
            },
        ),
        (
            "housekeeping",
            "c05-jiazheng",
            "yangpu",
            {
                "home_unit": "yangpu",
                "work_patterns": ["不住家", "钟点工(上午)"],
                "service_types": ["一般家务(保洁)", "照顾老人"],
                "experience_years": 2,
                "health_certificate": "有,在有效期内",
                "certificates": [],
                "districts_served": ["huangpu", "yangpu"],
                "expected_wage": 2500,
                "accept_referral": "是",
            },
        ),
        (
            "jobseeker",
            None,
            "yangpu",
            {"home_unit": "yangpu", "job_wanted": "保安", "expected_wage": None},
        ),
    ],
)
def test_each_flow_stores_its_own_answers(
    applicant: Applicant,
    form_store: Store,
    flow: str,
    course_id: str | None,
    unit_id: str,
    details: dict,
) -> None:
    reference = applicant.apply(flow)
    with form_store.read() as conn:
        row = queries.get_by_reference(conn, reference=reference)
    assert row is not None
    assert {key: row[key] for key in SHARED} == SHARED
    assert (row["flow"], row["course_id"], row["unit_id"]) == (flow, course_id, unit_id)
    assert row["details"] == details


def test_the_four_flows_are_offered(form_client) -> None:  # type: ignore[no-untyped-def]
    text = text_of(form_client.get("/apply/").get_data(as_text=True))
    for title in ("技能培训报名", "家政培训/上岗登记", "创业扶持申请", "求职登记"):
        assert title in text


def test_entrepreneurship_offers_the_service_chain(form_client) -> None:  # type: ignore[no-untyped-def]
    page = form_client.get("/apply/entrepreneurship").get_data(as_text=True)
    chain = ["创业培训", "项目扶持(项目推介、开业指导)", "小额贷款", "创业跟踪服务"]
    positions = [page.index(f'value="{service}"') for service in chain]
    assert positions == sorted(positions)
