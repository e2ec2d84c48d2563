"""The access table: every route of the app, for every role, gives exactly the expected answer.

A route that is not in ACCESS fails `test_every_route_is_in_the_access_table`, so a new route
cannot slip through unreviewed. Unit staff asking for another unit's application get 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.store.tables import applications
from form_service.web import services
from tests.support.applications import apply
from tests.support.apps import make_app
from tests.support.people import id_number
from tests.support.staff import Staff, add_accounts, text_of

PUBLIC = "public"  # not part of the console: anyone, no sign-in
LOGIN = "/staff/login"

# (endpoint, method) → expected status for (anonymous, unit staff, city admin).
# "login" means a redirect to the login page.
ACCESS: dict[tuple[str, str], tuple[object, object, object]] = {
    ("static", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("apply.index", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("apply.flow", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("apply.flow", "POST"): (PUBLIC, PUBLIC, PUBLIC),
    ("apply.submitted", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("status.lookup", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("status.lookup", "POST"): (PUBLIC, PUBLIC, PUBLIC),
    ("api.course_availability", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("api.healthz", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("site.page", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("large_text.switch", "GET"): (PUBLIC, PUBLIC, PUBLIC),
    ("staff.static", "GET"): (200, 200, 200),
    ("staff.login", "GET"): (200, 302, 302),
    ("staff.login", "POST"): (200, 200, 200),  # wrong password: the form again
    ("staff.home", "GET"): ("login", 200, 200),
    ("staff.applications", "GET"): ("login", 200, 200),
    ("staff.detail", "GET"): ("login", 200, 200),
    ("staff.reveal", "POST"): ("login", 200, 200),
    ("staff.step", "POST"): ("login", 400, 400),  # no step chosen
    ("staff.outcome", "POST"): ("login", 400, 400),  # nothing chosen to record
    ("staff.stats_page", "GET"): ("login", 200, 200),
    ("staff.stats_download", "GET"): ("login", 200, 200),
    ("staff.register", "GET"): ("login", 200, 200),
    ("staff.register", "POST"): ("login", 400, 400),  # no format chosen
    ("staff.fairs", "GET"): ("login", 200, 200),
    ("staff.fair", "GET"): ("login", 200, 200),
    ("staff.fair", "POST"): ("login", 400, 400),  # no numbers
    ("staff.accounts_page", "GET"): ("login", 403, 200),
    ("staff.accounts_page", "POST"): ("login", 403, 400),  # no username
    ("staff.account_action", "POST"): ("login", 403, 302),
    ("staff.publish", "GET"): ("login", 200, 200),
    ("staff.publish", "POST"): ("login", 409, 409),  # a publish is running (lock held)
    ("staff.preview_build", "POST"): ("login", 409, 409),  # the same lock
    ("staff.preview_page", "GET"): ("login", 404, 404),  # no preview built yet
    ("staff.content_index", "GET"): ("login", 200, 200),
    ("staff.content_new", "GET"): ("login", 200, 200),
    ("staff.content_new", "POST"): ("login", 400, 400),  # nothing filled in
    ("staff.content_edit", "GET"): ("login", 200, 200),  # 杨浦's own fair
    ("staff.content_edit", "POST"): ("login", 409, 409),  # no version: refused as stale
    ("staff.content_withdraw", "POST"): ("login", 302, 302),  # no reason: back to the form
    ("staff.content_history", "GET"): ("login", 200, 200),
    ("staff.content_revert", "POST"): ("login", 404, 404),  # no such change
    ("staff.audit_page", "GET"): ("login", 403, 200),
    ("staff.logout", "POST"): ("login", 302, 302),
    # The sign-in steps after the password: without a pending sign-in, back to the login page.
    ("staff.login_code", "GET"): ("login", "login", "login"),
    ("staff.login_code", "POST"): ("login", "login", "login"),
    ("staff.login_enrol", "GET"): ("login", "login", "login"),
    ("staff.login_enrol", "POST"): ("login", "login", "login"),
    ("staff.two_factor_page", "GET"): ("login", 200, 200),
    ("staff.two_factor_page", "POST"): ("login", 200, 200),  # no code: the page again
    ("staff.imports_page", "GET"): ("login", 200, 200),
    ("staff.import_template", "GET"): ("login", 200, 200),
    ("staff.import_upload", "POST"): ("login", 400, 400),  # no file chosen
    ("staff.walk_in_index", "GET"): ("login", 200, 200),
    ("staff.walk_in", "GET"): ("login", 200, 200),
    ("staff.walk_in", "POST"): ("login", 400, 400),  # nothing filled in
    ("staff.bulk_step", "POST"): ("login", 400, 400),  # no step, nothing ticked
    ("staff.work_list", "GET"): ("login", 200, 200),
}

VALUES = {
    "flow": "training",
    "token": "ABCDEFGH",
    "course_id": "c01-jisuanji-wuji",
    "path": "courses/",
    "filename": "staff.css",
    "fair_id": "f02-yangpu-yinhang",
    "username": "huangpu-staff",
    "action": "enable",
    "collection_name": "job_fairs",
    "record_id": "f02-yangpu-yinhang",
    "change_id": 1,
    "kind": "signups",
}


@pytest.fixture
def site_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path, serve_site=True)
    yield app
    services.store(app).dispose()


def _url(app: Flask, endpoint: str, application_id: int) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {k: VALUES[k] for k in rule.arguments if k in VALUES}
    if "filename" in rule.arguments and endpoint == "static":
        values["filename"] = "forms.css"
    if "application_id" in rule.arguments:
        values["application_id"] = application_id
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def test_every_route_is_in_the_access_table(site_app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in site_app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert sorted(routes - ACCESS.keys()) == [], "routes missing from the access table"
    assert sorted(ACCESS.keys() - routes) == [], "access table names routes that do not exist"


@pytest.mark.parametrize("role", [0, 1, 2], ids=["anonymous", "unit", "admin"])
def test_access_table(site_app: Flask, role: int, tmp_path: Path) -> None:
    from form_service.content.publishing import only_build

    store = services.store(site_app)
    add_accounts(site_app, {"shizong": None, "yangpu-staff": "yangpu", "huangpu-staff": "huangpu"})
    own = apply(store, services.cipher(site_app), flow="jobseeker", unit_id="yangpu",
                person_id=id_number("310110", "19800725", 312))  # fmt: skip
    person = Staff(site_app.test_client())
    if role == 1:
        assert person.login("yangpu-staff").status_code == 302
    elif role == 2:
        assert person.login("shizong").status_code == 302
    else:
        person.token = person._token_from(person.client.get(LOGIN))
    results = {}
    # Log out last; hold the publish lock so POST /staff/publish does not build a site.
    ordered = sorted(ACCESS, key=lambda key: key[0] == "staff.logout")
    with only_build(Path(site_app.config["PORTAL_SITE_DIR"])) as held:
        assert held
        for endpoint, method in ordered:
            url = _url(site_app, endpoint, own)
            if method == "GET":
                response = person.get(url)
            else:
                data = (
                    {"username": "nobody", "password": "wrong"} if endpoint == "staff.login" else {}
                )
                response = person.post(url, data)
            results[(endpoint, method)] = response
    for key, response in results.items():
        expected = ACCESS[key][role]
        location = response.headers.get("Location", "")
        if expected == PUBLIC:
            assert response.status_code < 500 and not location.startswith(LOGIN), key
        elif expected == "login":
            assert (response.status_code, location.split("?")[0]) == (302, LOGIN), key
        else:
            assert response.status_code == expected, (key, response.status_code)


def test_unit_staff_get_404_for_another_units_application(
    app: Flask, store: object, cipher: object, yangpu: Staff, huangpu: Staff
) -> None:
    theirs = apply(store, cipher, flow="jobseeker", unit_id="huangpu",
                   person_id=id_number("310101", "19700101", 11))  # type: ignore[arg-type]  # fmt: skip
    luwan = apply(store, cipher, flow="jobseeker", unit_id="luwan",
                  person_id=id_number("310103", "19700101", 13))  # type: ignore[arg-type]  # fmt: skip
    for path in (f"/staff/applications/{theirs}", f"/staff/applications/{luwan}"):
        assert yangpu.get(path).status_code == 404
        assert huangpu.get(path).status_code == 200  # 卢湾 has merged into 黄浦
    for action, data in (
        ("reveal", {}),
        ("step", {"to_state": "已推荐", "on": "2011-07-01", "expected": "已提交"}),
    ):
        assert yangpu.post(f"/staff/applications/{theirs}/{action}", data).status_code == 404
    with store.read() as conn:  # type: ignore[attr-defined]
        state = conn.execute(
            sa.select(applications.c.state).where(applications.c.id == theirs)
        ).scalar_one()
    assert state == "已提交"
    assert yangpu.get("/staff/fairs/f08-huangpu-wuliqiao").status_code == 404


def test_unit_list_ignores_a_unit_asked_for_in_the_url(
    store: object, cipher: object, yangpu: Staff
) -> None:
    apply(store, cipher, flow="jobseeker", unit_id="yangpu",
          person_id=id_number("310110", "19800725", 312), name="杨浦人")  # type: ignore[arg-type]  # fmt: skip
    apply(store, cipher, flow="jobseeker", unit_id="huangpu",
          person_id=id_number("310101", "19700101", 11), name="黄浦人")  # type: ignore[arg-type]  # fmt: skip
    for query in ("", "?unit=huangpu", "?unit=", "?q=%25", "?q=_", "?unit=huangpu&unit=yangpu"):
        page = text_of(yangpu.get("/staff/applications" + query))
        assert "黄浦人" not in page, query
    assert "共 0 份申请" in text_of(
        yangpu.get("/staff/applications?q=%25")
    )  # a literal %, no wildcard
    assert "共 1 份申请" in text_of(yangpu.get("/staff/applications?q=杨浦"))
