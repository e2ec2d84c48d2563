"""The second factor: enrolment, single-use codes, recovery codes, production's first sign-in,
no console page with the password alone, and the `portal staff 2fa` commands."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import AnyConverter, Rule

from form_service.accounts import two_factor
from form_service.staff import auth
from form_service.store import Store
from form_service.store.tables import audit_log, staff_second_factors, staff_sessions
from form_service.web import services
from tests.support.apps import make_app, portal_command
from tests.support.staff import PASSWORD, SETUP, Staff, add_accounts, text_of

LOGIN = "/staff/login"
OTPAUTH = re.compile(r'id="otpauth-link" href="([^"]+)"')
PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "Kx8#vQ2!mZ7@pL4$wR9^tY6&nB3*hJ5%gF1(",
    "PORTAL_ID_KEY": "Qa7!Zs2@Xd9#Cf4$Vg6%Bh1^Nj8&Mk3*Lp5(",
    # Only successful sign-ins here: nothing is counted, the storage need not answer.
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
}


def _enrolled(app: Flask, username: str) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol an account as `portal staff 2fa enable` does; return its TOTP and recovery codes."""
    box = two_factor.SecretBox(app.config["PORTAL_ID_KEY"])
    with services.store(app).write() as conn:
        uri, codes = two_factor.enable(conn, username=username, box=box, by=SETUP)
    return pyotp.parse_uri(uri), codes  # type: ignore[return-value]


def _audit(store: Store, *actions: str) -> list[tuple[str, str, str, dict]]:
    with store.read() as conn:
        rows = conn.execute(
            sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.target, audit_log.c.detail)
            .where(audit_log.c.action.in_(actions))
            .order_by(audit_log.c.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _uri_on(page: str) -> str:
    found = OTPAUTH.search(page)
    assert found, "no otpauth link on the page"
    return html.unescape(found.group(1))


def test_enrolling_in_the_console_shows_a_scannable_uri_and_keeps_the_secret_encrypted(
    app: Flask, store: Store, admin: Staff
) -> None:
    page = admin.get("/staff/two-factor").get_data(as_text=True)
    uri = _uri_on(page)
    totp = pyotp.parse_uri(uri)
    assert (uri.split("?")[0], totp.issuer, totp.name, totp.digits, totp.interval) == (
        "otpauth://totp/%E4%B8%8A%E6%B5%B7%E5%B7%A5%E4%BC%9A%E5%9F%B9%E8%AE%AD%E9%97%A8%E6%88%B7:shizong",
        "上海工会培训门户", "shizong", 6, 30,
    )  # fmt: skip
    assert '<svg width="' in page and "两步验证二维码" in page  # the QR code, drawn inline
    grouped = " ".join(totp.secret[i : i + 4] for i in range(0, 32, 4))
    assert re.search(r'id="enrol-secret">([A-Z2-7 ]+)<', page)[1] == grouped  # type: ignore[index]
    assert _uri_on(admin.get("/staff/two-factor").get_data(as_text=True)) == uri  # same QR
    with store.read() as conn:
        stored = conn.execute(sa.select(staff_second_factors)).one()
    box = two_factor.SecretBox(app.config["PORTAL_ID_KEY"])
    assert totp.secret not in stored.secret_encrypted
    assert (box.decrypt(stored.secret_encrypted), stored.confirmed_at) == (totp.secret, None)

    wrong = admin.post("/staff/two-factor", {"code": "000000" if totp.now() != "000000" else "1"})
    assert (
        text_of(wrong).count(
            "验证码不正确。请确认验证器里已经添加了这个账号,再输入它现在显示的 6 位数字。"
        )
        == 1
    )
    done = admin.post("/staff/two-factor", {"code": totp.now()})
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", done.get_data(as_text=True))
    assert len(set(codes)) == 10 and "离开本页后不会再显示" in text_of(done)
    assert "已启用" in text_of(admin.get("/staff/two-factor"))
    assert "剩余恢复码 10 个" in text_of(admin.get("/staff/two-factor"))
    assert _audit(store, "2fa_enrol") == [("shizong", "2fa_enrol", "shizong", {"method": "验证器"})]


def test_a_code_works_once_and_a_replayed_or_stale_code_is_refused(
    app: Flask, store: Store, accounts_made: dict[str, str]
) -> None:
    totp, _ = _enrolled(app, "shizong")
    person = Staff(app.test_client())
    password_only = person.login("shizong")
    assert (password_only.status_code, password_only.location) == (302, "/staff/login/code")
    assert person.client.get("/staff/").location.startswith(LOGIN)  # not signed in yet
    now = time.time()
    code = totp.at(now)
    assert person.login("shizong", code=code).location == "/staff/"
    assert person.logout().status_code == 302
    for refused in (code, totp.at(now - 60)):  # replayed; two steps old
        page = person.login("shizong", code=refused)
        assert (page.status_code, text_of(page).count(auth.WRONG_CODE)) == (200, 1)
    # The next step's code (clock drift allowed) is newer than the one used: accepted once.
    assert person.login("shizong", code=totp.at(now + 30)).location == "/staff/"
    assert [row[1:3] for row in _audit(store, "2fa_failed")] == [("2fa_failed", "shizong")] * 2
    logins = [row[3] for row in _audit(store, "login")]
    assert logins == [{"method": "验证器动态码"}] * 2
    with store.read() as conn:
        kinds = conn.execute(sa.select(staff_sessions.c.second_factor)).scalars().all()
    assert kinds == ["totp", "totp"]


def test_two_step_sign_in_asks_for_the_code_on_its_own_page(
    app: Flask, accounts_made: dict[str, str]
) -> None:
    totp, _ = _enrolled(app, "yangpu-staff")
    person = Staff(app.test_client())
    person.login("yangpu-staff")
    page = person.client.get("/staff/login/code")
    assert "账号 yangpu-staff 已启用两步验证" in text_of(page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert token
    empty = person.client.post("/staff/login/code", data={"csrf_token": token[1], "code": ""})
    assert text_of(empty).count(auth.CODE_REQUIRED) == 1
    # Full-width digits, as a Chinese input method may type them, are the same code.
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in totp.now())
    done = person.client.post(
        "/staff/login/code", data={"csrf_token": token[1], "code": full_width}
    )
    assert done.location == "/staff/"
    assert "yangpu-staff" in text_of(person.client.get("/staff/"))


def test_a_recovery_code_works_once(
    app: Flask, store: Store, accounts_made: dict[str, str]
) -> None:
    _, codes = _enrolled(app, "huangpu-staff")
    person = Staff(app.test_client())
    typed = " " + codes[3].upper().replace("-", " - ") + " "  # case and spacing do not matter
    token = person._token_from(person.client.get(LOGIN))
    form = {"csrf_token": token, "username": "huangpu-staff", "password": PASSWORD, "code": typed}
    home = person.client.post(LOGIN, data=form, follow_redirects=True)
    assert (home.request.path, text_of(home).count(auth.RECOVERY_USED.format(left=9))) == (
        "/staff/",
        1,
    )
    person.token = person._token_from(home)
    person.logout()
    again = person.login("huangpu-staff", code=codes[3])
    assert (again.status_code, text_of(again).count(auth.WRONG_CODE)) == (200, 1)
    assert person.login("huangpu-staff", code=codes[4]).location == "/staff/"
    assert [row[1:] for row in _audit(store, "2fa_recovery")] == [
        ("2fa_recovery", "huangpu-staff", {"left": 9}),
        ("2fa_recovery", "huangpu-staff", {"left": 8}),
    ]
    assert _audit(store, "login")[-1][3] == {"method": "恢复码"}


def _a_value(rule: Rule, name: str) -> str:
    """A value the rule's converter accepts: one of an `any(…)`, the stylesheet, else "1"."""
    converter = rule._converters.get(name)  # none for a value the rule's defaults give
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "staff.css" if name == "filename" else "1"


def test_an_enrolled_account_reaches_no_console_page_with_the_password_alone(
    app: Flask, accounts_made: dict[str, str]
) -> None:
    _enrolled(app, "shizong")
    person = Staff(app.test_client())
    assert person.login("shizong").location == "/staff/login/code"
    person.token = person._token_from(person.client.get("/staff/login/code"))
    answered = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff/"):
            continue
        values = {n: _a_value(rule, n) for n in rule.arguments if n not in (rule.defaults or {})}
        path = rule.build(values)[1]  # type: ignore[index]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = person.get(path) if method == "GET" else person.post(path, {})
            body = response.get_data(as_text=True)
            assert 'id="signed-in-as"' not in body, (rule.endpoint, method)
            where = response.location.split("?")[0] if response.status_code == 302 else ""
            answered[(rule.endpoint, method)] = (response.status_code, where)
    open_pages = {
        ("staff.static", "GET"): (200, ""),
        ("staff.login", "GET"): (200, ""),
        ("staff.login", "POST"): (200, ""),  # no password given: the form again
        ("staff.login_code", "GET"): (200, ""),
        ("staff.login_code", "POST"): (200, ""),  # no code given: the code step again
    }
    assert len(answered) > 30
    assert answered == {key: open_pages.get(key, (302, LOGIN)) for key in answered}


def test_production_enrols_every_account_at_its_first_sign_in(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, **PRODUCTION)
    try:
        store = services.store(app)
        add_accounts(app, {"yangpu-staff": "yangpu"})
        person = Staff(app.test_client())
        assert person.login("yangpu-staff").location == "/staff/login/enrol"
        assert person.client.get("/staff/").location.startswith(LOGIN)  # no data before it
        page = person.client.get("/staff/login/enrol").get_data(as_text=True)
        assert "每个工作人员账号都要先启用两步验证,才能进入后台" in page
        totp = pyotp.parse_uri(_uri_on(page))
        token = person._token_from(person.client.get("/staff/login/enrol"))
        done = person.client.post(
            "/staff/login/enrol", data={"csrf_token": token, "code": totp.now()}
        )
        assert done.status_code == 200 and 'id="recovery-codes"' in done.get_data(as_text=True)
        assert "yangpu-staff" in text_of(person.client.get("/staff/"))
        assert [(r[1], r[3]) for r in _audit(store, "2fa_enrol", "login")] == [
            ("2fa_enrol", {"method": "验证器"}),
            ("login", {"method": "首次登录时启用"}),
        ]
        person.token = person._token_from(person.client.get("/staff/"))
        person.logout()
        assert person.login("yangpu-staff").location == "/staff/login/code"
    finally:
        services.store(app).dispose()


def test_production_ends_a_session_that_never_gave_a_second_factor(
    db_url: str, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, **PRODUCTION)
    try:
        add_accounts(app, {"shizong": None})
        from form_service.accounts import users

        with services.store(app).write() as conn:
            user = users.authenticate(conn, username="shizong", password=PASSWORD)
            assert user is not None
            # A session opened before the second factor was required, password only.
            held = users.start_session(conn, user=user)
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie["_user_id"] = held.token
        assert client.get("/staff/applications").location.startswith(LOGIN)
        with services.store(app).read() as conn:
            ended = conn.execute(sa.select(staff_sessions.c.end_reason)).scalar_one()
        assert ended == "no_2fa"
    finally:
        services.store(app).dispose()


def _portal(app: Flask, *args: str) -> tuple[int, str]:
    done = portal_command(app, list(args))
    return done.exit_code, done.output


def test_the_commands_enable_print_the_uri_once_and_reset_ends_the_sessions(
    app: Flask, store: Store, admin: Staff
) -> None:
    code, output = _portal(app, "staff", "2fa", "enable", "shizong")
    lines = output.splitlines()
    assert (code, lines[0]) == (
        0,
        "已为账号 shizong 启用两步验证。把下面这行交给本人,在验证器里添加(只显示这一次):",
    )
    totp = pyotp.parse_uri(lines[1])
    assert (totp.name, totp.issuer) == ("shizong", "上海工会培训门户")
    assert lines[2] == "恢复码(每个只能用一次,只显示这一次):"
    assert len(lines) == 13 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in lines[3:])
    assert _portal(app, "staff", "2fa", "enable", "shizong") == (
        1,
        "Error: 账号“shizong”已经启用了两步验证;要换一个,请先运行 portal staff 2fa reset shizong。\n",
    )
    assert admin.get("/staff/").status_code == 200  # enrolling did not end the open session
    assert _portal(app, "staff", "2fa", "reset", "shizong") == (
        0,
        "已重置账号 shizong 的两步验证,结束了 1 个登录状态;下次登录时需要重新启用。\n",
    )
    assert admin.get("/staff/").location.startswith(LOGIN)
    assert admin.login("shizong").location == "/staff/"  # development: a factor is optional
    assert _portal(app, "staff", "2fa", "reset", "nobody") == (
        1,
        "Error: 没有用户名为“nobody”的账号。\n",
    )
    actors = [(r[1], r[2], r[3]) for r in _audit(store, "2fa_enrol", "2fa_reset")]
    assert actors == [
        ("2fa_enrol", "shizong", {"method": "命令行"}),
        ("2fa_reset", "shizong", {"count": 1}),
    ]
    with store.read() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(staff_second_factors)).scalar() == 0
        )


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdefghij", "abc-def", "١٢٣٤٥٦"])
def test_codes_of_the_wrong_shape_open_nothing(
    app: Flask, store: Store, accounts_made: dict[str, str], typed: str
) -> None:
    _enrolled(app, "shizong")
    box = two_factor.SecretBox(app.config["PORTAL_ID_KEY"])
    from form_service.accounts import users

    with store.write() as conn:
        user = users.authenticate(conn, username="shizong", password=PASSWORD)
        assert user is not None
        assert two_factor.verify(conn, user=user, box=box, code=typed, by=SETUP) == ""
