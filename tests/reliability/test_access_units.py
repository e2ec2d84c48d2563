"""Promise 5: no one gets in where they do not belong.

tests/form_service/staff/test_access.py walks every route × role (anonymous, unit staff, city admin). This
adds the third axis, the unit: staff of each unit (a district, a district that took in a
merged one, an industry union) against applications and job fairs of every unit, on every
route that takes an application or a fair, found in the url_map so a new route is covered on
its first day. And the session attacks: a planted pre-login cookie, posts replayed after
logout, redirects after sign-in that try to leave the console.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.store.tables import applications, audit_log
from form_service.web import services
from tests.support.applications import apply
from tests.support.apps import make_app
from tests.support.people import id_number
from tests.support.staff import Staff, add_accounts, text_of

# Staff of these units; None is 市总工会 (every unit).
STAFF = {"yangpu-staff": "yangpu", "huangpu-staff": "huangpu", "pudong-staff": "pudong",
         "jianjiao-staff": "ind-jianjiao", "shizong": None}  # fmt: skip
# Applications routed to these units; 卢湾 reports to 黄浦 and 南汇 to 浦东 (units.yaml).
UNITS = ("yangpu", "huangpu", "luwan", "pudong", "nanhui", "ind-jianjiao", "xuhui")
REPORTS_TO = {"luwan": "huangpu", "nanhui": "pudong"}
# What an allowed request with no form data answers, per (endpoint, method).
ALLOWED = {
    ("staff.detail", "GET"): 200,
    ("staff.reveal", "POST"): 200,
    ("staff.step", "POST"): 400,
    ("staff.outcome", "POST"): 400,
    ("staff.fair", "GET"): 200,
    ("staff.fair", "POST"): 400,
}


def sees(username: str, unit: str) -> bool:
    own = STAFF[username]
    return own is None or REPORTS_TO.get(unit, unit) == own


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path, PORTAL_RATELIMIT_LOGIN_IP="1000/minute")
    yield app
    services.store(app).dispose()


def _staff(app: Flask, *usernames: str) -> None:
    """Create the accounts (all of STAFF when none is named); argon2 makes each take a while."""
    add_accounts(app, {username: STAFF[username] for username in usernames or tuple(STAFF)})


def _applications(app: Flask) -> dict[str, int]:
    store, cipher = services.store(app), services.cipher(app)
    return {
        unit: apply(store, cipher, flow="jobseeker", unit_id=unit, name=f"求职{n}号",
                    person_id=id_number("310110", "19800725", 100 + n))
        for n, unit in enumerate(UNITS)
    }  # fmt: skip


def _state(app: Flask, application: int) -> str:
    with services.store(app).read() as conn:
        query = sa.select(applications.c.state).where(applications.c.id == application)
        return str(conn.execute(query).scalar_one())


def _reveals(app: Flask) -> list[tuple[str, str | None]]:
    with services.store(app).read() as conn:
        query = sa.select(audit_log.c.actor, audit_log.c.target).where(
            audit_log.c.action == "view_id"
        )
        return [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]


def test_every_application_and_fair_route_for_every_unit(app: Flask) -> None:
    routes = sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if {"application_id", "fair_id"} & set(rule.arguments)
        for method in (rule.methods or ()) - {"HEAD", "OPTIONS"}
    )
    assert sorted((e, m) for e, m, _ in routes) == sorted(ALLOWED), "a new route: add it here"
    _staff(app)
    owned = _applications(app)
    fairs = {fair.id: fair.unit for fair in services.catalogue(app).job_fairs.values()}
    wrong = []
    for username in STAFF:
        person = Staff(app.test_client())
        assert person.login(username).status_code == 302
        for endpoint, method, rule in routes:
            targets = owned.items() if "application_id" in rule else fairs.items()
            for unit_or_fair, target in targets:
                unit = unit_or_fair if "application_id" in rule else target
                path = rule.replace("<int:application_id>", str(target)).replace(
                    "<fair_id>", str(unit_or_fair))  # fmt: skip
                response = person.get(path) if method == "GET" else person.post(path)
                expected = ALLOWED[(endpoint, method)] if sees(username, str(unit)) else 404
                if response.status_code != expected:
                    wrong.append((username, endpoint, method, unit, response.status_code))
        listed = text_of(person.get("/staff/applications"))
        shown = {unit for n, unit in enumerate(UNITS) if f"求职{n}号" in listed}
        if shown != {unit for unit in UNITS if sees(username, unit)}:
            wrong.append((username, "staff.applications", "GET", sorted(shown), 200))
    assert wrong == []
    assert {_state(app, application) for application in owned.values()} == {"已提交"}
    with services.store(app).read() as conn:
        rows = conn.execute(sa.select(applications.c.id, applications.c.reference)).all()
        references = {row.id: row.reference for row in rows}
    # Each saw in full exactly the ID numbers of their own units, and the audit log says so.
    assert sorted(_reveals(app)) == sorted(
        (username, references[application])
        for username in STAFF
        for unit, application in owned.items()
        if sees(username, unit)
    )


def test_the_register_of_another_unit_is_refused(app: Flask) -> None:
    _staff(app)
    _applications(app)
    for username, own in STAFF.items():
        if own is None:
            continue
        person = Staff(app.test_client())
        person.login(username)
        response = person.post("/staff/register", {"format": "csv", "kind": "all", "unit": own})
        rows = response.get_data().decode("utf-8-sig").splitlines()[1:]
        assert sorted(row.split(",")[0] for row in rows) == sorted(
            f"求职{n}号" for n, unit in enumerate(UNITS) if sees(username, unit)
        )
        for other in {"yangpu", "huangpu", "pudong", "ind-jianjiao", ""} - {own}:
            form = {"format": "csv", "kind": "all", "unit": other}
            assert person.post("/staff/register", form).status_code == 400, (username, other)


def test_a_planted_pre_login_cookie_opens_nothing(app: Flask) -> None:
    _staff(app, "shizong")
    attacker = app.test_client()
    attacker.get("/staff/login")
    planted = attacker.get_cookie("session")
    assert planted is not None
    victim = Staff(app.test_client())
    victim.client.set_cookie("session", planted.value)
    assert victim.login("shizong").status_code == 302
    assert victim.client.get_cookie("session").value != planted.value  # type: ignore[union-attr]
    assert victim.get("/staff/").status_code == 200
    response = attacker.get("/staff/")
    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/staff/login?next=/staff/",
    )


def test_posts_replayed_after_logout_change_nothing(app: Flask) -> None:
    _staff(app, "yangpu-staff")
    application = _applications(app)["yangpu"]
    person = Staff(app.test_client())
    person.login("yangpu-staff")
    cookie = person.client.get_cookie("session").value  # type: ignore[union-attr]
    step = {"csrf_token": person.token, "to_state": "已推荐", "on": "2011-07-01",
            "expected": "已提交"}  # fmt: skip
    assert person.logout().status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    for path, data in ((f"/staff/applications/{application}/step", step),
                       (f"/staff/applications/{application}/reveal", step)):  # fmt: skip
        response = thief.post(path, data=data)
        assert (response.status_code, response.headers["Location"]) == (302, "/staff/login")
    assert _state(app, application) == "已提交"
    assert _reveals(app) == []


BAD_NEXT = ["http://example.com", "//example.com", "\\\\example.com", "/\\example.com",
            "http:/\\/example.com", 'javascript:alert("XSS")', "\njavascript:alert(x)",
            "/staff/../../example.com", "/staff/%2F%2Fexample.com", "https:example.com",
            "/staff//example.com", "%2F%2Fexample.com"]  # fmt: skip


def _lands(location: str) -> tuple[str, str]:
    """Where a browser on the console goes with this Location: (host, first path segment)."""
    target = urlsplit(urljoin("https://portal.test/staff/login", location))
    return target.netloc, "/" + target.path.lstrip("/").split("/")[0]


def test_signing_in_never_leaves_the_console(app: Flask) -> None:
    _staff(app, "shizong")
    # Signing in with `next` (argon2 makes each sign-in slow: a few of the vectors) …
    for value in BAD_NEXT[:4]:
        response = Staff(app.test_client()).login("shizong", next=value)
        assert (response.status_code, _lands(response.headers["Location"])) == (
            302,
            ("portal.test", "/staff"),
        ), value
    # … and the login page of someone signed in already, which follows `next` too: all of them.
    person = Staff(app.test_client())
    person.login("shizong")
    for value in BAD_NEXT:
        again = person.client.get("/staff/login", query_string={"next": value})
        assert (again.status_code, _lands(again.headers["Location"])[0]) == (302, "portal.test")
