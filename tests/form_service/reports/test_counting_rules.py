"""职业介绍 counts the union's placements of a year or more, recorded through the console."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from flask.testing import FlaskClient

from form_service.reports import statistics as stats
from form_service.reports.statistics_sheet import NOTES, build_return
from form_service.store import Store, migrate
from form_service.store.tables import applications, outcomes
from site_builder.catalog import Catalogue
from tests.support.pages import Applicant
from tests.support.people import numbered_id, person_name, person_phone
from tests.support.staff import Staff, text_of

CUTOFF = date(2011, 8, 31)


def _job_seeker(client: FlaskClient, store: Store, n: int) -> int:
    """Register person `n` as a job seeker of 杨浦 through the form; return the application id."""
    reference = Applicant(client).apply(
        "jobseeker", id_number=numbered_id(n), name=person_name(n), phone=person_phone(n)
    )
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(applications.c.id).where(applications.c.reference == reference)
            ).scalar_one()
        )


def _record_job(staff: Staff, application_id: int, **fields: str) -> int:
    form = {"kind": "employment", "expected": "已提交", "happened_on": "2011-06-20",
            "employer": "上海某物流公司", **fields}  # fmt: skip
    return staff.post(f"/staff/applications/{application_id}/outcome", form).status_code


def _placements(store: Store, cat: Catalogue) -> tuple[object, object]:
    with store.read() as conn:
        result, _sheet = build_return(conn, catalogue=cat, cutoff=CUTOFF, unit_id="yangpu")
    (row,) = result.rows
    return row.values["pl_done"], row.values["pl_after_training"]


def test_only_union_placements_of_a_year_or_more_count_toward_zhiye_jieshao(
    client: FlaskClient, store: Store, cat: Catalogue, yangpu: Staff
) -> None:
    cases = [
        ({"found_via": "self_found", "contract_term": "fixed", "contract_months": "24"}, False),
        ({"found_via": "union_referral", "contract_term": "open_ended"}, True),
        ({"found_via": "union_referral", "contract_term": "fixed", "contract_months": "12"}, True),
        ({"found_via": "union_referral", "contract_term": "fixed", "contract_months": "11"}, False),
        ({"found_via": "job_fair", "contract_term": "fixed", "contract_months": "36"}, False),
        ({"found_via": "other", "contract_term": "open_ended"}, False),
    ]
    for n, (fields, _counts) in enumerate(cases, start=1):
        assert _record_job(yangpu, _job_seeker(client, store, n), **fields) == 302
    assert _placements(store, cat) == (sum(counts for _, counts in cases), 0)

    with store.read() as conn:
        stored = conn.execute(
            sa.select(outcomes.c.found_via, outcomes.c.contract_months,
                      outcomes.c.contract_open_ended).order_by(outcomes.c.id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in stored] == [
        ("self_found", 24, False),
        ("union_referral", None, True),
        ("union_referral", 12, False),
        ("union_referral", 11, False),
        ("job_fair", 36, False),
        ("other", None, True),
    ]


def test_a_self_found_job_of_24_months_does_not_count_and_an_open_ended_placement_does(
    client: FlaskClient, store: Store, cat: Catalogue, yangpu: Staff
) -> None:
    first = _job_seeker(client, store, 1)
    _record_job(yangpu, first, found_via="self_found", contract_term="fixed", contract_months="24")
    assert _placements(store, cat) == (0, 0)
    second = _job_seeker(client, store, 2)
    _record_job(yangpu, second, found_via="union_referral", contract_term="open_ended")
    assert _placements(store, cat) == (1, 0)
    page = text_of(yangpu.get(f"/staff/applications/{second}"))
    assert "上海某物流公司,工会职业介绍,无固定期限合同" in page
    assert "记录就业 2011-06-20 上海某物流公司 工会职业介绍 无固定期限合同" in page


def test_the_outcome_form_asks_how_the_job_came_about_and_its_term_and_keeps_the_answers(
    client: FlaskClient, store: Store, yangpu: Staff
) -> None:
    application_id = _job_seeker(client, store, 1)
    path = f"/staff/applications/{application_id}/outcome"
    form = {"kind": "employment", "expected": "已提交", "happened_on": "2011-06-20",
            "employer": "上海某物流公司"}  # fmt: skip
    refused = yangpu.post(path, form)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "请选择就业途径" in page and "请选择劳动合同期限" in page
    assert 'value="上海某物流公司"' in page
    no_months = yangpu.post(path, {**form, "found_via": "union_referral", "contract_term": "fixed"})
    assert no_months.status_code == 400
    assert "请填写劳动合同期限(月)" in no_months.get_data(as_text=True)
    assert 'id="found_via-union_referral" checked' in no_months.get_data(as_text=True)
    wrong = yangpu.post(path, {**form, "found_via": "朋友介绍", "contract_term": "open_ended"})
    assert "请从列表中选择就业途径" in wrong.get_data(as_text=True)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outcomes)).scalar_one() == 0


def test_the_footnotes_of_the_return_quote_the_counting_rules(
    store: Store, cat: Catalogue, admin: Staff
) -> None:
    assert (
        tuple(
            ("说明:" if i == 1 else "") + f"{i}. {rule}"
            for i, rule in enumerate(stats.COUNTING_RULES, start=1)
        )
        == NOTES
    )
    placement_rule = next(r for r in stats.COUNTING_RULES if r.startswith("职业介绍完成数"))
    assert "经工会职业介绍成功就业" in placement_rule and "无固定期限" in placement_rule
    response = admin.get("/staff/stats/download?cutoff=2011-08-31&format=csv")
    assert response.status_code == 200
    lines = [row[0] for row in csv.reader(io.StringIO(response.get_data(as_text=True)))]
    assert [line for line in lines if line in NOTES] == list(NOTES)


def test_the_counting_rule_in_one_function() -> None:
    rule = stats.counts_as_placement
    assert rule(found_via="union_referral", contract_months=None, open_ended=True)
    assert rule(found_via="union_referral", contract_months=12, open_ended=False)
    assert not rule(found_via="union_referral", contract_months=11, open_ended=False)
    assert not rule(found_via="self_found", contract_months=24, open_ended=False)
    assert not rule(found_via=None, contract_months=36, open_ended=False)  # recorded before 0003


def test_the_new_columns_are_in_the_migration_and_the_metadata(store: Store) -> None:
    assert migrate.differences(store) == []
    migrate.downgrade(store, revision="0002")
    migrate.upgrade(store)
    assert migrate.differences(store) == []
