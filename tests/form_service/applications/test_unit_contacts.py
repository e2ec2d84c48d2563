"""The unit that handles an application answers it: confirmation, status page and course pages."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from form_service.applications.contacts import CENTRE, Contact, contact_of
from form_service.web import services
from site_builder.catalog import Catalogue, load_catalogue
from tests.support.apps import make_app
from tests.support.pages import Applicant, answers, element_text, text_of
from tests.support.scan import Document

HOURS = "周一至周五 9:00–11:30、13:30–17:00"
YANGPU = Contact("杨浦区总工会", "64968104", "杨浦区总工会大楼,长江路 236 号", HOURS, example=True)
HUANGPU = Contact("黄浦区总工会", "63371013", "黄浦区总工会大楼,人民路 117 号", HOURS, example=True)


def test_the_contact_is_the_reporting_unit_s_and_the_centre_only_as_a_last_resort(
    catalogue: Catalogue, content_copy: Path
) -> None:
    assert contact_of(catalogue, "yangpu") == YANGPU
    assert contact_of(catalogue, "luwan") == HUANGPU  # 卢湾 was merged into 黄浦
    assert contact_of(catalogue, None) == CENTRE
    assert Contact("市总工会培训中心", "65124362", "上海市杨浦区吉林路2号") == CENTRE
    units = content_copy / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace('  phone: "64968104"\n', ""), encoding="utf-8"
    )
    assert contact_of(load_catalogue(content_copy), "yangpu") == CENTRE


def _contact_html(page: str) -> str:
    found = re.search(r'<div class="contact" id="contact">.*?</div>', page, re.S)
    assert found, "no contact block"
    return found.group(0)


def _apply(client: FlaskClient, **overrides: str) -> tuple[str, str]:
    """Apply for 求职登记 as a person does; return the reference and the confirmation page."""
    person = Applicant(client)
    opened = person.open("jobseeker")
    checked = person.check("jobseeker", answers("jobseeker", **overrides), opened=opened)
    page = person.confirm("jobseeker", checked.get_data(as_text=True))
    return element_text(page, "reference") or "", page


def test_confirmation_and_status_point_to_the_handling_unit(client: FlaskClient) -> None:
    reference, confirmation = _apply(client, unit_id="yangpu")
    status = client.post(
        "/apply/status",
        data={"csrf_token": Applicant(client).open("jobseeker").csrf, "reference": reference,
              "phone_last4": "5678"},
    )  # fmt: skip
    assert status.status_code == 200
    for page in (confirmation, status.get_data(as_text=True)):
        block = _contact_html(page)
        assert text_of(block) == (
            f"杨浦区总工会 示例 电话:64968104 地址:杨浦区总工会大楼,长江路 236 号 办公时间:{HOURS}"
        )
        assert "tel:" not in block  # a made-up number is not tap-to-call
        assert "65124362" not in block


def test_a_verified_contact_is_tap_to_call_without_a_badge(
    db_url: str, content_copy: Path, tmp_path: Path
) -> None:
    units = content_copy / "units.yaml"
    text = units.read_text(encoding="utf-8")
    end = text.index("contact_example: true", text.index("- id: yangpu"))
    units.write_text(text[:end] + "contact_example: false" + text[end + 21 :], encoding="utf-8")
    app = make_app(db_url, tmp_path, content=content_copy)
    try:
        _reference, confirmation = _apply(app.test_client(), unit_id="yangpu")
        block = _contact_html(confirmation)
        assert '<a href="tel:02164968104">64968104</a>' in block
        assert "示例" not in block
    finally:
        services.store(app).dispose()


def test_a_course_page_names_its_unit_with_phone_address_and_hours(
    pages: dict[str, Document],
) -> None:
    page = pages["/courses/c09-meifa-wuji/"]
    article = page.text_of("article")
    assert "黄浦区总工会 · 电话 63371013 示例" in article
    assert f"黄浦区总工会大楼,人民路 117 号 · 办公时间 {HOURS}" in article
    assert "报名由黄浦区总工会负责办理,有疑问请打黄浦区总工会电话 63371013" in article
    assert ("href", "tel:02163371013") not in page.links()
