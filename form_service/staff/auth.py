"""Signing in and out. CSRF is checked by CSRFProtect on every POST, the login page included."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from form_service.accounts import audit
from form_service.accounts import users as accounts
from form_service.staff import bp, client_ip, me
from form_service.web.services import store

WRONG = "用户名或密码不正确。"
SIGNED_OUT = "您已安全退出。"
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


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the form (GET); sign in and start a new server-side session (POST)."""
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_path or url_for("staff.home"))
        notice = SIGNED_OUT if request.args.get("out") else ""
        return render_template(
            "staff/login.html", error="", username="", next=next_path, notice=notice
        )
    username = request.form.get("username", "").strip().lower()[:40]
    password = request.form.get("password", "")
    with store().write() as conn:
        user = accounts.authenticate(conn, username=username, password=password)
        if user is None:
            audit.record(conn, actor=username or "-", action="login_failed", ip=client_ip())
        else:
            user = accounts.start_session(conn, user=user)
            audit.record(
                conn, actor=user.username, action="login", unit_id=user.unit_id, ip=client_ip()
            )
    if user is None:
        g.login_failed = True
        page = render_template(
            "staff/login.html", error=WRONG, username=username, next=next_path, notice=""
        )
        return page, 200
    # A new cookie: whatever a visitor (or an attacker) held before signing in is dropped.
    session.clear()
    session.permanent = True
    login_user(user)
    return redirect(next_path or url_for("staff.home"))


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """End the session on the server, then forget the cookie."""
    user = me()
    with store().write() as conn:
        accounts.end_session(conn, token=user.token)
        audit.record(
            conn, actor=user.username, action="logout", unit_id=user.unit_id, ip=client_ip()
        )
    logout_user()
    session.clear()
    return redirect(url_for("staff.login", out=1))
