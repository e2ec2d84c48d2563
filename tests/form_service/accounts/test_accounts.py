"""Accounts and sessions: argon2id, login limits and CSRF, sessions that really end, no open redirect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.accounts import users as accounts
from form_service.accounts.users import AccountError
from form_service.staff.auth import safe_next
from form_service.store import Store
from form_service.store.tables import audit_log, staff_sessions, staff_users
from form_service.web import services
from site_builder.catalog import Catalogue
from tests.support.apps import make_app
from tests.support.staff import PASSWORD, SETUP, Staff, add_accounts, text_of

LOGIN = "/staff/login"


def test_passwords_are_argon2id_with_strong_parameters(
    store: Store, accounts_made: dict[str, str]
) -> None:
    with store.read() as conn:
        stored = conn.execute(
            sa.select(staff_users.c.password_hash).where(staff_users.c.username == "shizong")
        ).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "role", "unit", "password", "message"),
    [
        (
            "ab",
            "unit",
            "yangpu",
            PASSWORD,
            "用户名由 3–40 个小写字母、数字、点、下划线或连字符组成,以字母或数字开头。",
        ),
        ("zhang", "boss", None, PASSWORD, "角色只能是 admin(市总工会)或 unit(区县/局(产业)工会)。"),
        ("zhang", "admin", "yangpu", PASSWORD, "市总工会管理员不属于某个单位,请不要指定 --unit。"),
        ("zhang", "unit", "luwan", PASSWORD, "没有在用的单位“luwan”,请用 units.yaml 里的单位 id。"),
        ("zhang", "unit", None, PASSWORD, "没有在用的单位“”,请用 units.yaml 里的单位 id。"),
        ("zhang", "unit", "yangpu", "short", "密码至少 10 个字符(可以用一句容易记的话)。"),
        ("zhang", "unit", "yangpu", "zhang-password-1", "这个密码太容易被猜到,请换一个。"),
        ("zhang", "unit", "yangpu", "1234567890", "这个密码太容易被猜到,请换一个。"),
        ("zhang", "unit", "yangpu", "工会工会工会工会工会", "这个密码太容易被猜到,请换一个。"),
        ("shizong", "unit", "yangpu", PASSWORD, "用户名“shizong”已经存在。"),
    ],
)
def test_account_rules(
    store: Store, cat: Catalogue, accounts_made: dict[str, str], username: str, role: str, unit: str | None,
    password: str, message: str,
) -> None:  # fmt: skip
    with pytest.raises(AccountError) as refused, store.write() as conn:
        accounts.add_staff(
            conn,
            username=username,
            role=role,
            unit_id=unit,
            password=password,
            catalogue=cat,
            by=SETUP,
        )
    assert refused.value.message == message


def test_wrong_username_and_wrong_password_read_the_same(
    client: object, store: Store, accounts_made: dict[str, str]
) -> None:
    person = Staff(client)  # type: ignore[arg-type]
    pages = [person.login("shizong", "not the password"), person.login("nobody", PASSWORD)]
    assert [(p.status_code, text_of(p).count("用户名或密码不正确。")) for p in pages] == [
        (200, 1),
        (200, 1),
    ]
    with store.read() as conn:
        rows = [
            tuple(r)
            for r in conn.execute(
                sa.select(audit_log.c.actor, audit_log.c.action)
                .where(audit_log.c.actor != SETUP.name)
                .order_by(audit_log.c.id)
            )
        ]
    assert rows == [("shizong", "login_failed"), ("nobody", "login_failed")]


def test_login_needs_the_csrf_token(client: object, accounts_made: dict[str, str]) -> None:
    response = client.post(LOGIN, data={"username": "shizong", "password": PASSWORD})  # type: ignore[attr-defined]
    assert response.status_code == 400
    assert "请求无法处理" in text_of(response)


def test_session_cookie_flags_and_a_fresh_cookie_at_login(
    app: Flask, accounts_made: dict[str, str]
) -> None:
    client = app.test_client()
    person = Staff(client)
    before = (client.get(LOGIN), client.get_cookie("session"))[1]
    response = person.login("shizong")
    cookie = response.headers["Set-Cookie"]
    assert (
        "HttpOnly" in cookie
        and "SameSite=Lax" in cookie
        and "Path=/" in cookie
        and "Secure" not in cookie
    )
    after = client.get_cookie("session")
    assert before is not None and after is not None and before.value != after.value


def test_production_cookies_are_secure(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, PORTAL_ENV="production",
                   SECRET_KEY="Kx8#vQ2!mZ7@pL4$wR9^tY6&nB3*hJ5%gF1(",
                   PORTAL_ID_KEY="Qa7!Zs2@Xd9#Cf4$Vg6%Bh1^Nj8&Mk3*Lp5(",
                   RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")  # fmt: skip
    try:
        add_accounts(app, {"shizong": None})
        response = Staff(app.test_client()).login("shizong")
        assert response.status_code == 302
        assert (
            "Secure" in response.headers["Set-Cookie"]
            and "HttpOnly" in response.headers["Set-Cookie"]
        )
    finally:
        services.store(app).dispose()


def test_a_cookie_captured_before_logout_opens_nothing_after(app: Flask, admin: Staff) -> None:
    captured = admin.client.get_cookie("session")
    assert captured is not None
    assert admin.get("/staff/").status_code == 200
    assert admin.logout().headers["Location"] == "/staff/login?out=1"
    thief = app.test_client()
    thief.set_cookie("session", captured.value)
    response = thief.get("/staff/")
    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/staff/login?next=/staff/",
    )


def test_disabling_an_account_ends_its_sessions(store: Store, admin: Staff, yangpu: Staff) -> None:
    assert yangpu.get("/staff/").status_code == 200
    assert admin.post("/staff/accounts/yangpu-staff/disable").status_code == 302
    assert yangpu.get("/staff/").status_code == 302
    assert yangpu.login("yangpu-staff").status_code == 200  # disabled: cannot sign in again
    with store.read() as conn:
        reasons = (
            conn.execute(sa.select(staff_sessions.c.end_reason).order_by(staff_sessions.c.id))
            .scalars()
            .all()
        )
    assert reasons == ["", "disabled"]  # the admin's session is still open


@pytest.mark.parametrize(
    ("column", "age"),
    [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=8, minutes=1))],
)
def test_idle_and_absolute_timeouts(
    store: Store, yangpu: Staff, column: str, age: timedelta
) -> None:
    assert yangpu.get("/staff/").status_code == 200
    with store.write() as conn:
        conn.execute(staff_sessions.update().values({column: datetime.now(UTC) - age}))
    assert yangpu.get("/staff/").status_code == 302
    with store.read() as conn:
        assert (
            conn.execute(sa.select(staff_sessions.c.end_reason)).scalar_one()
            == {"last_seen_at": "idle", "created_at": "absolute"}[column]
        )


BAD_NEXT = ["http://example.com", "//example.com", "\\\\example.com", "/\\example.com", "http:/\\/example.com",
            'javascript:alert("XSS")', "\njavascript:alert(x)", "java\nscript:alert(x)", "\x08//example.com",
            "http://testserver\\@example.com", "http:999999999", "/staff//example.com", "/apply/", "/staff/login"]  # fmt: skip


@pytest.mark.parametrize("value", BAD_NEXT)
def test_no_open_redirect_through_next(value: str) -> None:
    assert safe_next(value) is None


def test_next_inside_the_console_is_followed(client: object, accounts_made: dict[str, str]) -> None:
    person = Staff(client)  # type: ignore[arg-type]
    response = person.login("shizong", next="/staff/applications?flow=training")
    assert response.headers["Location"] == "/staff/applications?flow=training"
    assert person.logout().status_code == 302
    assert person.login("shizong", next="//example.com").headers["Location"] == "/staff/"
