"""The work list and 概况: what a unit still owes per course, and its progress against targets
with the days to the next cut-off, changing as a class finishes and its results come in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from form_service.accounts.audit import Actor
from form_service.applications import bulk
from form_service.imports.results import import_results
from form_service.imports.signup_import import import_signups
from form_service.reports import work_lists
from form_service.reports.work_lists import Bar, Line
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from site_builder.catalog import Catalogue
from tests.support.applications import apply
from tests.support.people import id_number, person_name
from tests.support.staff import Staff, text_of

BY = Actor("yangpu-staff")
COURSE = "c05-diangong-wuji"
TODAY = date(2011, 10, 1)


@pytest.fixture
def owed(
    store: Store, cipher: IdentityCipher, cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A class of 40 (在训), 20 of them finished, 10 of those certified; two applied long ago."""
    monkeypatch.setenv("PORTAL_TODAY", TODAY.isoformat())
    people = [(person_name(n), id_number("310110", "19850312", n)) for n in range(40)]
    header = "姓名,身份证号,联系电话,户口类型,户籍地,文化程度,人员类别,就业状态,所属工会,课程编号"
    rows = [
        f"{name},{number},139{n:08d},农业,外省市,初中,农民工,在岗,,{COURSE}"
        for n, (name, number) in enumerate(people)
    ]
    import_signups(store, file="班.csv", data="\n".join([header, *rows]).encode(), catalogue=cat,
                   cipher=cipher, unit_id="yangpu", by=BY, today=date(2011, 7, 20))  # fmt: skip
    for n in range(2):
        apply(store, cipher, flow="training", unit_id="yangpu", course_id=COURSE, name=f"晚到{'甲乙'[n]}",
              person_id=id_number("310110", "19900101", n), created=datetime(2011, 9, 1, tzinfo=UTC))  # fmt: skip
    with store.write() as conn:
        ids = [r for r in range(1, 21)]
        done = bulk.take_bulk_step(conn, application_ids=ids, scope=None, unit_id="yangpu", step="complete",
                                   on=date(2011, 9, 20), catalogue=cat, by=BY)  # fmt: skip
    assert len(done.done) == 20
    results = ["身份证号,证书工种,证书等级,发证日期"] + [
        f"{number},电工,五级,2011-09-28" for _, number in people[:10]
    ]
    import_results(store, file="鉴定.csv", data="\n".join(results).encode(), catalogue=cat, cipher=cipher,
                   unit_id="yangpu", by=BY, today=TODAY)  # fmt: skip


def test_the_work_list_counts_what_is_owed_per_course(
    store: Store, cat: Catalogue, owed: None
) -> None:
    with store.read() as conn:
        lines = work_lists.work_lines(
            conn, catalogue=cat, scope=cat.units_reporting_to("yangpu"), on=TODAY
        )
        progress = work_lists.progress(conn, catalogue=cat, unit_id="yangpu", on=TODAY)
    assert lines == [
        Line(COURSE, "training", "电工(五级)晚班", waiting=2, finished=10, not_entered=40)
    ]
    assert progress.bars == (
        Bar("技能培训(获初级以上证书)", 10, 2600),
        Bar("家政培训(结业)", 0, 430),
        Bar("创业培训(结业)", 0, 260),
        Bar("职业介绍(1年以上合同)", 0, 1300),
    )
    assert (progress.cutoff, progress.due, progress.days_to_cutoff, progress.days_to_due) == (
        date(2011, 11, 30),
        date(2011, 12, 5),
        60,
        65,
    )


def test_the_overview_shows_bars_and_days_left_not_state_counts(yangpu: Staff, owed: None) -> None:
    page = yangpu.get("/staff/")
    text = text_of(page)
    assert "距统计截止日 11月30日 还有 60 天, 报送日期 12月5日 前(还有 65 天)" in text
    assert "技能培训(获初级以上证书) 完成 10 / 指标 2600(0.4%),还差 2590 人" in text
    assert "已结业、还没有记录证书或就业创业结果的: 10 人" in text
    assert "等待超过 7 天还没有联系的申请: 2 份" in text
    work = text_of(yangpu.get("/staff/work?days=60"))
    assert "电工(五级)晚班 0 10 40 合计 0 10 40" in work  # none waited 60 days
