"""Review: lifecycle steps with history, outcome records, masks, the audited full-ID view."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.applications import lifecycle, outcomes
from form_service.applications.outcomes import Outcome, StepRefused
from form_service.store import Store
from form_service.store.tables import application_events, applications, audit_log
from form_service.web import services
from tests.support.applications import apply, record, train
from tests.support.people import id_number
from tests.support.staff import SETUP, Staff, text_of

PERSON = "310110198007253121"  # synthetic (杨浦, female)


def _history(store: Store, app_id: int) -> list[tuple[str, str | None, str, str]]:
    e = application_events.c
    with store.read() as conn:
        rows = conn.execute(
            sa.select(e.actor, e.from_state, e.to_state, e.note)
            .where(e.application_id == app_id)
            .order_by(e.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_training_lifecycle_through_the_console(app: Flask, store: Store, yangpu: Staff) -> None:
    app_id = apply(store, services.cipher(app), flow="training", unit_id="yangpu",
                   course_id="c05-diangong-wuji", person_id=PERSON)  # fmt: skip
    url = f"/staff/applications/{app_id}"
    for to_state, on in (("已录取", "2011-07-01"), ("在训", "2011-07-01")):
        response = yangpu.post(url + "/step", {"to_state": to_state, "on": on, "expected": ""})
        assert response.status_code == 400  # `expected` must be the state the page showed
        state = re.search(r'id="state">([^<]+)<', yangpu.get(url).get_data(as_text=True)).group(1)  # type: ignore[union-attr]
        assert (
            yangpu.post(
                url + "/step", {"to_state": to_state, "on": on, "expected": state}
            ).status_code
            == 302
        )
    skipped = yangpu.post(
        url + "/step", {"to_state": "已就业", "on": "2011-07-01", "expected": "在训"}
    )
    assert "请从列表中选择下一步" in text_of(skipped)
    future = yangpu.post(
        url + "/step", {"to_state": "结业", "on": "2011-07-02", "expected": "在训"}
    )
    assert "日期不能晚于今天(2011-07-01)" in text_of(future)
    assert (
        yangpu.post(
            url + "/step", {"to_state": "结业", "on": "2011-07-01", "expected": "在训"}
        ).status_code
        == 302
    )
    missing = yangpu.post(
        url + "/outcome", {"kind": "certificate", "happened_on": "2011-07-01", "expected": "结业"}
    )
    assert re.findall(r'<li><a href="#(\w+)">([^<]+)</a></li>', missing.get_data(as_text=True)) == [
        ("occupation", "请填写证书工种"), ("level", "请选择证书等级"),
    ]  # fmt: skip
    done = yangpu.post(url + "/outcome", {"kind": "certificate", "happened_on": "2011-06-30", "expected": "结业",
                                          "occupation": "电工", "level": "五级", "cert_number": "SH2011001"})  # fmt: skip
    assert done.status_code == 302
    page = text_of(yangpu.get(url))
    assert "已记录:职业资格证书。" in page and "状态 已鉴定" in page
    assert _history(store, app_id) == [
        ("申请人", None, "已提交", ""),
        ("yangpu-staff", "已提交", "已录取", "已录取"),
        ("yangpu-staff", "已录取", "在训", "在训 2011-07-01"),
        ("yangpu-staff", "在训", "结业", "结业 2011-07-01"),
        ("yangpu-staff", "结业", "已鉴定", "记录职业资格证书 2011-06-30 电工 五级 SH2011001"),
    ]
    with store.read() as conn:
        kinds = [(o.kind, o.happened_on) for o in outcomes.outcomes_of(conn, application_id=app_id)]
    assert kinds == [
        ("certificate", date(2011, 6, 30)),
        ("enrolment", date(2011, 7, 1)),
        ("completion", date(2011, 7, 1)),
    ]


def test_outcome_recorded_late_keeps_the_state(app: Flask, store: Store) -> None:
    app_id = apply(store, services.cipher(app), flow="housekeeping", unit_id="minhang",
                   person_id=PERSON)  # fmt: skip
    on, track = date(2011, 7, 1), "housekeeping"
    state = train(store, application_id=app_id, track=track, start=on, end=on, actor="t")
    job = Outcome("employment", date(2011, 7, 5), employer="某家庭", contract_months=12)
    state = record(store, application_id=app_id, track=track, state=state, outcome=job, actor="t")
    assert state == "推荐上岗"
    cert = Outcome("certificate", date(2011, 7, 20), occupation="家政服务员", level="五级")
    state = record(store, application_id=app_id, track=track, state=state, outcome=cert, actor="t")
    assert state == "推荐上岗"
    with pytest.raises(StepRefused) as refused:
        record(store, application_id=app_id, track=track, state="结业", outcome=cert, actor="t")
    assert refused.value.message == "这份申请刚刚被其他工作人员处理过,请刷新页面后再操作。"


@pytest.mark.parametrize(
    ("track", "state", "steps"),
    [
        ("skills", "已提交", ("已录取", "候补", "未录取", "已取消")),
        ("skills", "结业", ()),  # 已鉴定 and 已就业 come from recording a certificate or a job
        ("housekeeping", "推荐上岗", ("已回访",)),
        ("entrepreneurship", "结业", ()),
        ("jobseeker", "已提交", ("已推荐", "未成功就业", "已取消")),
    ],
)
def test_plain_steps(track: str, state: str, steps: tuple[str, ...]) -> None:
    assert lifecycle.plain_steps(track=track, state=state) == steps


def test_ids_are_masked_in_lists_and_shown_in_full_only_through_the_audited_action(
    app: Flask, store: Store, yangpu: Staff
) -> None:
    app_id = apply(store, services.cipher(app), flow="jobseeker", unit_id="yangpu",
                   person_id=PERSON, phone="13912345678")  # fmt: skip
    for path in ("/staff/applications", f"/staff/applications/{app_id}", "/staff/"):
        body = yangpu.get(path).get_data(as_text=True)
        assert PERSON not in body and "13912345678" not in body
    assert "310***********3121" in text_of(yangpu.get("/staff/applications"))
    assert "139****5678" in text_of(yangpu.get(f"/staff/applications/{app_id}"))
    shown = yangpu.post(f"/staff/applications/{app_id}/reveal")
    assert (
        re.search(r'id="id-number" class="mono">([^<]+)<', shown.get_data(as_text=True)).group(1)
        == PERSON
    )  # type: ignore[union-attr]
    assert shown.headers["Cache-Control"] == "no-store"
    with store.read() as conn:
        reference = conn.execute(
            sa.select(applications.c.reference).where(applications.c.id == app_id)
        ).scalar_one()
        records = [
            tuple(r)
            for r in conn.execute(
                sa.select(
                    audit_log.c.actor, audit_log.c.action, audit_log.c.unit_id, audit_log.c.target
                ).where(audit_log.c.actor != SETUP.name)
            )
        ]
    assert records == [
        ("yangpu-staff", "login", "yangpu", ""),
        ("yangpu-staff", "view_id", "yangpu", reference),
    ]


def test_list_filters_and_search(app: Flask, store: Store, admin: Staff) -> None:
    cipher = services.cipher(app)
    for flow, unit, prefix, sequence, name, groups in (
        ("jobseeker", "yangpu", "310110", 11, "李雷", ("农民工",)),
        ("housekeeping", "minhang", "310112", 12, "韩梅梅", ("下岗失业人员",)),
        ("jobseeker", "luwan", "310103", 13, "李四", ("下岗失业人员", "协保人员")),
    ):
        apply(store, cipher, flow=flow, unit_id=unit, name=name, groups=groups,
              person_id=id_number(prefix, "19800101", sequence))  # fmt: skip

    def names(query: str) -> list[str]:
        body = admin.get("/staff/applications" + query).get_data(as_text=True)
        return re.findall(r"</td>\s*<td>([^<]+)</td>\s*<td class=\"mono\">", body)

    assert sorted(names("")) == ["李四", "李雷", "韩梅梅"]
    assert sorted(names("?q=李")) == ["李四", "李雷"]
    assert names("?flow=housekeeping") == ["韩梅梅"]
    assert names("?group=协保人员") == ["李四"]
    assert names("?unit=huangpu") == ["李四"]  # 卢湾 is reported by 黄浦
    assert sorted(names("?from=2011-07-01&to=2011-07-01")) == ["李四", "李雷", "韩梅梅"]
    assert names("?from=2011-07-02") == []
    with store.read() as conn:
        reference = conn.execute(
            sa.select(applications.c.reference).where(applications.c.name == "韩梅梅")
        ).scalar_one()
    assert names("?q=" + reference.lower()) == ["韩梅梅"]
    assert "开始日期不是有效日期,请按 2011-08-31 的格式填写" in text_of(
        admin.get("/staff/applications?from=2011-13-01")
    )


def test_admitting_from_the_waiting_list_takes_a_seat(app: Flask, store: Store) -> None:
    from form_service.applications.submit import seats_taken

    app_id = apply(store, services.cipher(app), flow="training", unit_id="yangpu",
                   course_id="c05-diangong-wuji", person_id=PERSON)  # fmt: skip
    with store.write() as conn:
        conn.execute(applications.update().values(state="候补", waitlisted=True))
        assert seats_taken(conn, course_id="c05-diangong-wuji") == 0
        outcomes.take_step(conn, application_id=app_id, track="skills", expected="候补",
                           to_state="已录取", on=date(2011, 7, 1), actor="t")  # fmt: skip
        assert seats_taken(conn, course_id="c05-diangong-wuji") == 1
        outcomes.take_step(conn, application_id=app_id, track="skills", expected="已录取",
                           to_state="已取消", on=date(2011, 7, 1), actor="t")  # fmt: skip
        assert seats_taken(conn, course_id="c05-diangong-wuji") == 0
