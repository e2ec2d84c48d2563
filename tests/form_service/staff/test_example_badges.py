"""Example listings carry 示例 on the forms, confirmation, status page, console and 统计表."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient

from form_service.reports.statistics_sheet import EXAMPLE_TARGETS_NOTE, build_return
from form_service.store import Store
from form_service.store.tables import applications
from form_service.web import services
from site_builder.catalog import Catalogue
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers, element_text
from tests.support.staff import Staff

COURSE = "c05-diangong-wuji"  # an example course of 杨浦 (example: true)
BADGE = re.compile(r'<span class="badge badge--example"[^>]*>示例</span>')


def _apply_for_course(client: FlaskClient) -> tuple[str, str]:
    person = Applicant(client)
    opened = person.open("training", course=COURSE)
    assert BADGE.search(re.search(r'<p class="course-box__title">.*?</p>', opened.page).group(0))  # type: ignore[union-attr]
    checked = person.check("training", answers("training", course_id=COURSE), opened=opened)
    page = checked.get_data(as_text=True)
    assert "【示例】" in page  # the chosen course, shown as its label on the check-answers page
    confirmation = person.confirm("training", page)
    return element_text(confirmation, "reference") or "", confirmation


def test_forms_confirmation_status_and_console_mark_an_example_course(
    client: FlaskClient, store: Store, cat: Catalogue, yangpu: Staff
) -> None:
    assert cat.courses[COURSE].example
    form = client.get("/apply/training").get_data(as_text=True)
    option = re.search(rf'<option value="{COURSE}"[^>]*>(.*?)</option>', form)
    assert option is not None and option.group(1).endswith("【示例】")
    reference, confirmation = _apply_for_course(client)
    what = re.search(r'<p id="submitted-what">.*?</p>', confirmation, re.S).group(0)  # type: ignore[union-attr]
    assert BADGE.search(what)
    status = client.post(
        "/apply/status",
        data={"csrf_token": Applicant(client).open("jobseeker").csrf, "reference": reference,
              "phone_last4": "5678"},
    ).get_data(as_text=True)  # fmt: skip
    assert BADGE.search(status.split("当前状态")[0])
    with store.read() as conn:
        app_id = conn.execute(
            sa.select(applications.c.id).where(applications.c.reference == reference)
        ).scalar_one()
    detail = yangpu.get(f"/staff/applications/{app_id}").get_data(as_text=True)
    assert BADGE.search(detail.split("<dt>负责单位</dt>")[0])
    listed = yangpu.get("/staff/applications").get_data(as_text=True)
    assert BADGE.search(listed.split('id="applications"')[1])
    fairs = yangpu.get("/staff/fairs").get_data(as_text=True)
    assert len(BADGE.findall(fairs)) == sum(1 for j in cat.job_fairs.values() if j.unit == "yangpu")


def test_the_return_names_the_units_whose_targets_are_made_up(
    store: Store, cat: Catalogue, content_copy: Path, db_url: str, tmp_path: Path
) -> None:
    cutoff = date(2011, 8, 31)
    with store.read() as conn:
        _result, sheet = build_return(conn, catalogue=cat, cutoff=cutoff, unit_id="yangpu")
    assert EXAMPLE_TARGETS_NOTE.format(units="杨浦区总工会") in sheet.notes
    # A unit whose row is replaced by the official numbers is no longer named.
    targets = content_copy / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    at = text.index("example: true", text.index("- unit: yangpu"))
    targets.write_text(text[:at] + "example: false" + text[at + 13 :], encoding="utf-8")
    app = make_app(db_url.replace("portal.db", "real.db"), tmp_path / "real", content=content_copy)
    try:
        real = services.catalogue(app)
        with services.store(app).read() as conn:
            _result, sheet = build_return(conn, catalogue=real, cutoff=cutoff, unit_id="yangpu")
            _result, city = build_return(conn, catalogue=real, cutoff=cutoff, unit_id=None)
        assert not any(note.startswith("注意:下列单位的指标数是示例数") for note in sheet.notes)
        named = next(n for n in city.notes if n.startswith("注意:下列单位的指标数是示例数"))
        assert "杨浦区总工会" not in named and "黄浦区总工会" in named
        assert "全市合计的指标数照通知原文,不是示例" in named
    finally:
        services.store(app).dispose()
