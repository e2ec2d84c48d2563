"""Bulk steps from the list: one transaction, one history row per application, one audit record
with the count; those the step does not apply to are listed with the reason and left alone."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from form_service.accounts.audit import Actor
from form_service.imports.signup_import import import_signups
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import application_events, applications, audit_log, outcomes
from site_builder.catalog import Catalogue
from tests.support.applications import apply
from tests.support.people import id_number, person_name
from tests.support.staff import Staff, text_of

HEADER = "姓名,身份证号,联系电话,户口类型,户籍地,文化程度,人员类别,就业状态,所属工会,课程编号"
COURSE = "c05-diangong-wuji"


@pytest.fixture
def a_class(
    store: Store, cipher: IdentityCipher, cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> list[int]:
    """40 trainees of 杨浦's electrician class (在训), two who only applied, one in 黄浦."""
    monkeypatch.setenv("PORTAL_TODAY", "2011-10-01")
    rows = [
        f"{person_name(n)},{id_number('310110', '19850312', n)},139{n:08d},农业,外省市,初中,农民工,在岗,,{COURSE}"
        for n in range(40)
    ]  # fmt: skip
    import_signups(store, file="电工班.csv", data="\n".join([HEADER, *rows]).encode(), catalogue=cat,
                   cipher=cipher, unit_id="yangpu", by=Actor("yangpu-staff"), today=date(2011, 7, 20))  # fmt: skip
    late = [apply(store, cipher, flow="training", unit_id="yangpu", course_id=COURSE, name=f"晚到{'甲乙'[n]}",
                  person_id=id_number("310110", "19900101", n)) for n in range(2)]  # fmt: skip
    other = apply(store, cipher, flow="training", unit_id="huangpu", course_id="c09-meifa-wuji",
                  person_id=id_number("310101", "19900101", 5))  # fmt: skip
    return [*late, other]


def _count(store: Store, query: sa.Select) -> int:
    with store.read() as conn:
        return int(conn.execute(query).scalar_one())


def test_the_whole_class_finishes_in_one_step_and_the_others_are_listed_with_why(
    yangpu: Staff, store: Store, a_class: list[int]
) -> None:
    page = yangpu.post("/staff/applications/bulk", {"which": "all", "course": COURSE, "step": "complete", "on": "2011-09-30"})  # fmt: skip
    assert page.status_code == 200
    text = text_of(page)
    assert "已为 40 份申请办理“结业”(日期 2011-09-30)" in text
    refused = re.findall(
        r"<td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page.get_data(as_text=True)
    )
    assert refused == [
        ("晚到甲", "已提交", "技能培训申请现在是“已提交”,不能结业"),
        ("晚到乙", "已提交", "技能培训申请现在是“已提交”,不能结业"),
    ]
    e, o, a = application_events.c, outcomes.c, applications.c
    assert _count(store, sa.select(sa.func.count()).where(e.to_state == "结业", e.note == "结业 2011-09-30;批量办理", e.actor == "yangpu-staff")) == 40  # fmt: skip
    assert _count(store, sa.select(sa.func.count()).where(o.kind == "completion", o.happened_on == date(2011, 9, 30))) == 40  # fmt: skip
    assert _count(store, sa.select(sa.func.count()).where(a.state == "已提交")) == 3
    with store.read() as conn:
        audits = conn.execute(sa.select(audit_log.c.actor, audit_log.c.target, audit_log.c.detail)
                              .where(audit_log.c.action == "bulk_step")).all()  # fmt: skip
    assert [tuple(x) for x in audits] == [
        ("yangpu-staff", "批量结业 2011-09-30", {"step": "complete", "count": 40, "refused": 2})
    ]


def test_ticked_applications_are_admitted_and_another_units_are_not_touched(
    yangpu: Staff, store: Store, a_class: list[int]
) -> None:
    late_one, late_two, theirs = a_class
    page = yangpu.post("/staff/applications/bulk", {"which": "ticked", "ids": [str(late_one), str(late_two), str(theirs)],
                                                    "step": "admit", "on": "2011-09-01"})  # fmt: skip
    assert page.status_code == 200
    assert "已为 2 份申请办理“录取”" in text_of(page)
    with store.read() as conn:
        states = dict(conn.execute(sa.select(applications.c.id, applications.c.state).where(applications.c.id.in_(a_class))).all())  # fmt: skip
    assert states == {late_one: "已录取", late_two: "已录取", theirs: "已提交"}


def test_marking_entry_into_the_system_twice_changes_nothing_the_second_time(
    yangpu: Staff, store: Store, a_class: list[int]
) -> None:
    form = {
        "which": "all",
        "course": COURSE,
        "state": "在训",
        "step": "realname",
        "on": "2011-09-15",
    }
    first, second = (yangpu.post("/staff/applications/bulk", form) for _ in range(2))
    assert "已为 40 份申请办理“标记已录入全总帮扶系统”" in text_of(first)
    assert "已为 0 份申请办理" in text_of(second) and "有 40 份申请不能办理,没有改动" in text_of(
        second
    )
    assert text_of(second).count("已经标记过录入全总帮扶系统") == 40
    assert _count(store, sa.select(sa.func.count()).where(outcomes.c.kind == "realname")) == 40


def test_nothing_ticked_is_explained(yangpu: Staff, a_class: list[int]) -> None:
    page = yangpu.post(
        "/staff/applications/bulk", {"which": "ticked", "step": "admit", "on": "2011-09-01"}
    )
    assert page.status_code == 400
    assert "请先勾选要办理的申请,或选择“筛选出的全部申请”" in text_of(page)
