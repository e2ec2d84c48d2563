"""Job-fair results entered per fair by the fair's unit, feeding the statistics return."""

from __future__ import annotations

import pytest
from flask import Flask

from form_service.applications import outcomes
from form_service.store import Store
from tests.support.staff import Staff, text_of

COUNTS = {
    "employers": "85",
    "posts": "950",
    "visitors": "2,100",
    "intentions": "260",
    "hires": "90",
}


def test_unit_enters_results_of_its_own_fair(
    store: Store, yangpu: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_TODAY", "2011-08-31")  # the fair (07-23) has taken place
    listing = text_of(yangpu.get("/staff/fairs"))
    assert "百企千岗进社区——杨浦区殷行街道专场" in listing and "闸北区" not in listing
    bad = yangpu.post("/staff/fairs/f02-yangpu-yinhang", {**COUNTS, "posts": "很多", "hires": ""})
    assert bad.status_code == 400
    assert "提供岗位(个)请填写 0 或正整数" in text_of(
        bad
    ) and "请填写确认录用(人,1年以上合同)" in text_of(bad)
    assert (
        yangpu.post("/staff/fairs/f02-yangpu-yinhang", COUNTS).headers["Location"] == "/staff/fairs"
    )
    with store.read() as conn:
        row = outcomes.fair_results(conn)["f02-yangpu-yinhang"]
    assert (row.unit_id, row.employers, row.posts, row.visitors, row.intentions, row.hires, row.entered_by) == (
        "yangpu", 85, 950, 2100, 260, 90, "yangpu-staff",
    )  # fmt: skip
    assert "已保存“百企千岗进社区——杨浦区殷行街道专场”的结果。" in text_of(
        yangpu.get("/staff/fairs")
    )


def test_results_wait_until_the_fair_has_taken_place(app: Flask, admin: Staff) -> None:
    future = admin.post(
        "/staff/fairs/f05-putuo-changfeng", COUNTS
    )  # 2011-09-17, today is 2011-07-01
    assert (future.status_code, "招聘会还没有举行,举行以后再填写结果。" in text_of(future)) == (
        400,
        True,
    )
    assert admin.get("/staff/fairs/no-such-fair").status_code == 404
