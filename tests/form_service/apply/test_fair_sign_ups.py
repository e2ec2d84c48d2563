"""A 求职登记 started from a job fair's page belongs to that fair: stored, routed, counted, listed."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from form_service import messages as m
from form_service.store import Store, migrate
from form_service.store.tables import applications
from tests.support.pages import Applicant, answers, element_text, hidden_fields, input_value
from tests.support.people import numbered_id, person_name, person_phone
from tests.support.scan import Document
from tests.support.staff import Staff, text_of

FAIR = "f02-yangpu-yinhang"  # 杨浦, 2011-07-23: upcoming on the pinned day
FAIR_TITLE = "百企千岗进社区——杨浦区殷行街道专场"
NOTICE = m.Form.FROM_FAIR.format(title=FAIR_TITLE, day="7月23日", unit="杨浦区总工会")


def _register_from_fair(
    client: FlaskClient, n: int, *, fair: str = FAIR, home: str = "pudong"
) -> tuple[str, str, str | None]:
    """Open 求职登记 from the fair's link, check, submit; return the check page and reference."""
    opened = client.get(f"/apply/jobseeker?fair={fair}").get_data(as_text=True)
    data = answers("jobseeker", id_number=numbered_id(n), name=person_name(n),
                   phone=person_phone(n), unit_id=home)  # fmt: skip
    body = {"csrf_token": input_value(opened, "csrf_token") or "",
            "idempotency_key": input_value(opened, "idempotency_key") or "",
            **data, "action": "continue"}  # fmt: skip
    if input_value(opened, "fair_id") is not None:
        body["fair_id"] = input_value(opened, "fair_id")
    checked = client.post("/apply/jobseeker", data=body).get_data(as_text=True)
    sent: dict[str, list[str]] = {}
    for name, value in hidden_fields(checked):
        sent.setdefault(name, []).append(value)
    sent["action"] = ["submit"]
    response = client.post("/apply/jobseeker", data=sent)
    assert response.status_code == 303, response.status_code
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    return opened, checked, element_text(confirmation, "reference")


def _row(store: Store, reference: str | None) -> sa.Row:
    with store.read() as conn:
        return conn.execute(
            sa.select(applications).where(applications.c.reference == reference)
        ).one()


def test_a_registration_from_the_fair_page_carries_the_fair_and_goes_to_its_union(
    client: FlaskClient, store: Store
) -> None:
    opened, checked, reference = _register_from_fair(client, 1)
    assert element_text(opened, "from-fair") == NOTICE
    assert input_value(opened, "fair_id") == FAIR
    assert element_text(checked, "from-fair") == NOTICE
    assert ("fair_id", FAIR) in hidden_fields(checked)
    row = _row(store, reference)
    assert (row.fair_id, row.unit_id, row.flow) == (FAIR, "yangpu", "jobseeker")
    assert row.details["home_unit"] == "pudong"  # what the person chose is kept


def test_without_a_fair_or_with_an_unknown_one_nothing_is_recorded(
    client: FlaskClient, store: Store
) -> None:
    opened, _checked, reference = _register_from_fair(client, 2, fair="f99-nowhere")
    assert m.Form.FAIR_UNKNOWN in opened
    assert input_value(opened, "fair_id") is None
    plain = Applicant(client).apply("jobseeker", id_number=numbered_id(3), unit_id="pudong")
    assert (_row(store, reference).fair_id, _row(store, reference).unit_id) == (None, "pudong")
    assert (_row(store, plain).fair_id, _row(store, plain).unit_id) == (None, "pudong")


def test_other_forms_do_not_take_a_fair(client: FlaskClient, store: Store) -> None:
    person = Applicant(client)
    opened = person.open("housekeeping")
    refused = person.post("housekeeping", {**answers("housekeeping", course_id=""),
                                           "fair_id": FAIR}, opened=opened, action="continue")  # fmt: skip
    assert refused.status_code == 400
    assert m.Form.REFUSED in refused.get_data(as_text=True)


def test_staff_see_registrations_per_fair_and_the_results_page_counts_them(
    client: FlaskClient, yangpu: Staff, admin: Staff, huangpu: Staff
) -> None:
    for n in range(3):
        _register_from_fair(client, 10 + n)
    Applicant(client).apply("jobseeker", id_number=numbered_id(20), unit_id="yangpu")

    fairs = yangpu.get("/staff/fairs")
    cell = re.search(rf'id="registered-{FAIR}">(.*?)</td>', fairs.get_data(as_text=True), re.S)
    assert cell is not None and _plain(cell.group(1)) == "3"
    assert "网上求职登记(人)" in text_of(fairs)
    result_page = text_of(yangpu.get(f"/staff/fairs/{FAIR}"))
    assert "本场招聘会网上求职登记 3 人( 查看名单 )。" in result_page
    listed = yangpu.get(f"/staff/applications?fair={FAIR}")
    assert "共 3 份申请" in text_of(listed)
    assert "共 4 份申请" in text_of(yangpu.get("/staff/applications?flow=jobseeker"))
    assert "共 3 份申请" in text_of(admin.get(f"/staff/applications?fair={FAIR}"))
    # Another district's staff do not see 杨浦's fair sign-ups.
    assert "共 0 份申请" in text_of(huangpu.get(f"/staff/applications?fair={FAIR}"))
    bad = yangpu.get("/staff/applications?fair=f99-nowhere")
    assert "请从列表中选择招聘会" in text_of(bad)


def test_the_detail_page_names_the_fair(client: FlaskClient, store: Store, yangpu: Staff) -> None:
    _opened, _checked, reference = _register_from_fair(client, 30)
    page = yangpu.get(f"/staff/applications/{_row(store, reference).id}").get_data(as_text=True)
    assert element_text(page, "fair") == f"2011-07-23 {FAIR_TITLE} 示例"  # an example fair


def test_the_column_is_in_the_migration(store: Store) -> None:
    migrate.downgrade(store, revision="0002")
    migrate.upgrade(store)
    assert migrate.differences(store) == []


def test_the_fair_page_says_how_to_register_on_the_day(pages: dict[str, Document]) -> None:
    page = pages[f"/job-fairs/{FAIR}/"]
    article = page.text_of("article")
    assert "现场怎样求职登记" in page.text_of("h2")
    assert "带好身份证,到现场服务台,工作人员当场帮您做求职登记" in article
    assert f"https://jineng.example.org.cn/apply/jobseeker?fair={FAIR}" in article
    assert "由杨浦区总工会负责联系您" in article
    assert ("href", f"/apply/jobseeker?fair={FAIR}") in page.links()


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()
