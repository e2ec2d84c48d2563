"""Signing in and out: the password, then the second factor, then a new server-side session.

Someone who has given the right password only is not signed in. The signed cookie then holds a
pending sign-in (account, step, time), which opens one page: the code step for an enrolled
account, or in production the first enrolment for an account without a second factor
(`staff/two_factor.py`). Only after that does a session start. Failed passwords and codes are
counted by `web.limits.sign_in_limits()` (keys and reasons: `accounts/sign_in_limits.py`).
CSRF is checked by CSRFProtect on every POST, the sign-in steps included.
"""

from __future__ import annotations

import string
import time
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from form_service.accounts import audit, two_factor
from form_service.accounts import users as accounts
from form_service.accounts.audit import Actor
from form_service.accounts.sign_in_limits import Verdict
from form_service.staff import bp, client_ip, me, second_factor_required
from form_service.web.limits import sign_in_limits
from form_service.web.services import store

WRONG = "用户名或密码不正确。"
WRONG_CODE = "验证码不正确或已经用过。请输入验证器里现在显示的 6 位数字,或一个没用过的恢复码。"
CODE_REQUIRED = "请输入验证器里显示的 6 位数字。"
SIGNED_OUT = "您已安全退出。"
PENDING_LOST = "登录已超时,请重新输入用户名和密码。"
TOO_MANY = (
    "从这个网络地址登录失败的次数太多,请 {minutes} 分钟后再试。忘记密码请联系市总工会管理员重设。"
)
TOO_MANY_CODES = (
    "这个账号的验证码错误次数太多,请 {minutes} 分钟后再试。"
    "如果不是您本人在尝试,说明密码可能已泄露,请立即联系市总工会管理员重设密码。"
)
RECOVERY_USED = (
    "您用一个恢复码登录了,还剩 {left} 个。手机找回或更换后,请联系市总工会管理员重置两步验证。"
)
PENDING = "staff_pending"
PENDING_FOR = 300  # seconds between the password and the code (or the first enrolment)
_ALLOWED_NEXT = set(string.ascii_letters + string.digits + "/-_.?=&%")


def safe_next(value: str | None) -> str | None:
    """Return `value` if it is a path inside the console, else None (no open redirect)."""
    if not value or not set(value) <= _ALLOWED_NEXT:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/staff/"):
        return None
    if "//" in parts.path or parts.path.startswith("/staff/login"):
        return None
    return value


def secret_box() -> two_factor.SecretBox:
    """Return the box for TOTP secrets and recovery-code hashes (keys from PORTAL_ID_KEY)."""
    return two_factor.SecretBox(current_app.config["PORTAL_ID_KEY"])


def begin_pending(user: accounts.StaffUser, *, step: str, next_path: str | None) -> None:
    """Remember, in a fresh cookie, that `user` gave the password and must now pass `step`."""
    session.clear()
    session[PENDING] = {"uid": user.id, "step": step, "at": int(time.time()), "next": next_path}


def pending_user(step: str) -> tuple[accounts.StaffUser, str | None]:
    """Return the account waiting at `step` and where it goes next; send anyone else to sign in."""
    data = session.get(PENDING)
    data = data if isinstance(data, dict) else {}
    user = None
    fresh = isinstance(data.get("at"), int) and time.time() - data["at"] <= PENDING_FOR
    if fresh and data.get("step") == step:
        with store().read() as conn:
            user = accounts.active_user(conn, user_id=int(data["uid"]))
    if user is None:
        # A response passed to abort() is sent as it is, past the error handlers.
        abort(redirect(url_for("staff.login", again=1)))
    return user, safe_next(data.get("next"))


def finish_sign_in(user: accounts.StaffUser, *, method: str) -> None:
    """Start the session (a new cookie: whatever was held before is dropped) and audit it."""
    address = client_ip()
    with store().write() as conn:
        user = accounts.start_session(conn, user=user, second_factor=method)
        detail = {"method": two_factor.METHODS[method]} if method else None
        audit.record(
            conn,
            by=Actor(user.username, address),
            action="login",
            unit_id=user.unit_id,
            detail=detail,
        )
    session.clear()
    session.permanent = True
    login_user(user)


def hold(verdict: Verdict) -> None:
    """Wait as the account-wide brake says (a few seconds at most, never a refusal)."""
    if verdict.delay > 0:
        time.sleep(verdict.delay)


def refused(template: str, verdict: Verdict, **values: Any) -> ResponseReturnValue:
    """The page again with why it is refused, as 429 Too Many Requests."""
    message = TOO_MANY_CODES if verdict.refused == "code" else TOO_MANY
    error = message.format(minutes=verdict.retry_minutes)
    return render_template(template, error=error, **values), 429


def _login_page(**values: Any) -> str:
    values = {"error": "", "username": "", "next": None, "notice": ""} | values
    return render_template("staff/login.html", **values)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the form (GET); check the password, then go to the second factor or sign in."""
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_path or url_for("staff.home"))
        notice = SIGNED_OUT if request.args.get("out") else ""
        notice = PENDING_LOST if request.args.get("again") else notice
        return _login_page(next=next_path, notice=notice)
    username = request.form.get("username", "").strip().lower()[:40]
    password = request.form.get("password", "")
    address, limits = client_ip(), sign_in_limits()
    verdict = limits.check(username=username, address=address)
    if verdict.refused:
        values = {"username": username, "next": next_path, "notice": ""}
        return refused("staff/login.html", verdict, **values)
    hold(verdict)
    with store().write() as conn:
        user = accounts.authenticate(conn, username=username, password=password)
        if user is None:
            audit.record(conn, by=Actor(username or "-", address), action="login_failed")
        enrolled = user is not None and two_factor.is_enrolled(conn, user_id=user.id)
    if user is None:
        limits.failed(username=username, address=address)
        return _login_page(error=WRONG, username=username, next=next_path), 200
    if enrolled:
        begin_pending(user, step="code", next_path=next_path)
        if request.form.get("code", "").strip():
            return _answer_code(user, request.form["code"], next_path)
        return redirect(url_for("staff.login_code"))
    if second_factor_required():
        begin_pending(user, step="enrol", next_path=next_path)
        return redirect(url_for("staff.login_enrol"))
    finish_sign_in(user, method="")
    return redirect(next_path or url_for("staff.home"))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> ResponseReturnValue:
    """Ask an enrolled account, which has given its password, for its code (field `code`)."""
    user, next_path = pending_user("code")
    if request.method == "GET":
        return render_template("staff/login_code.html", error="", username=user.username)
    code = request.form.get("code", "").strip()
    if not code:
        return render_template("staff/login_code.html", error=CODE_REQUIRED, username=user.username)
    return _answer_code(user, code, next_path)


def _answer_code(user: accounts.StaffUser, code: str, next_path: str | None) -> ResponseReturnValue:
    address, limits = client_ip(), sign_in_limits()
    verdict = limits.check(username=user.username, address=address, code_step=True)
    if verdict.refused:
        return refused("staff/login_code.html", verdict, username=user.username)
    hold(verdict)
    by = Actor(user.username, address)
    with store().write() as conn:
        method = two_factor.verify(conn, user=user, box=secret_box(), code=code[:40], by=by)
        left = two_factor.state(conn, user_id=user.id).recovery_left
    if not method:
        limits.failed(username=user.username, address=address, code_step=True)
        page = render_template("staff/login_code.html", error=WRONG_CODE, username=user.username)
        return page, 200
    finish_sign_in(user, method=method)
    if method == "recovery":
        flash(RECOVERY_USED.format(left=left))
    return redirect(next_path or url_for("staff.home"))


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """End the session on the server, then forget the cookie."""
    user = me()
    with store().write() as conn:
        accounts.end_session(conn, token=user.token)
        audit.record(
            conn, by=Actor(user.username, client_ip()), action="logout", unit_id=user.unit_id
        )
    logout_user()
    session.clear()
    return redirect(url_for("staff.login", out=1))
