"""For 市总工会 staff only: accounts and the audit log (publishing: `staff/content/`)."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.accounts import audit
from form_service.accounts import users as accounts
from form_service.staff import acting, admin_only, bp
from form_service.staff import forms as f
from form_service.web.services import catalogue, store

log = logging.getLogger(__name__)


def _accounts_page(
    errors: f.Errors, form: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    with store().read() as conn:
        staff = accounts.list_staff(conn)
    cat = catalogue()
    units = [(u.id, u.name) for u in cat.active_districts() + cat.industry_unions()]
    names = {u.id: u.name for u in cat.units.values()}
    page = render_template("staff/accounts.html", staff=staff, units=units, names=names,
                           roles=accounts.ROLES, errors=errors, form=form)  # fmt: skip
    return page, status


@bp.route("/accounts", methods=["GET", "POST"])
@admin_only
def accounts_page() -> ResponseReturnValue:
    """List accounts (GET); create one (POST)."""
    if request.method == "GET":
        return _accounts_page([], {})
    errors: f.Errors = []
    username = f.text(request.form, "username", "用户名", errors, limit=40, required=True)
    role = f.choice(request.form, "role", "角色", errors, allowed=accounts.ROLES)
    unit_id = request.form.get("unit", "") if role == "unit" else ""
    password = request.form.get("password", "")
    if not errors:
        try:
            with store().write() as conn:
                accounts.add_staff(
                    conn,
                    username=username,
                    role=role,
                    unit_id=unit_id or None,
                    password=password,
                    catalogue=catalogue(),
                    by=acting(),
                )
        except accounts.AccountError as refused:
            errors.append(("username", refused.message))
    if errors:
        return _accounts_page(
            errors, {k: request.form.get(k, "") for k in ("username", "role", "unit")}, 400
        )
    flash(f"已新增账号 {username}。")
    return redirect(url_for("staff.accounts_page"))


@bp.route("/accounts/<username>/<action>", methods=["POST"])
@admin_only
def account_action(username: str, action: str) -> ResponseReturnValue:
    """Disable, re-enable or reset the password of an account (its sessions end)."""
    if action not in ("disable", "enable", "reset"):
        return _accounts_page([("username", "不支持这个操作。")], {}, 400)
    try:
        with store().write() as conn:
            if action == "reset":
                accounts.reset_password(
                    conn, username=username, password=request.form.get("password", ""), by=acting()
                )
            else:
                accounts.set_disabled(
                    conn, username=username, disabled=action == "disable", by=acting()
                )
    except accounts.AccountError as refused:
        return _accounts_page([("password", refused.message)], {}, 400)
    flash(
        {"disable": "已停用", "enable": "已启用", "reset": "已重设密码"}[action] + f":{username}。"
    )
    return redirect(url_for("staff.accounts_page"))


@bp.route("/audit")
@admin_only
def audit_page() -> ResponseReturnValue:
    """Show the latest 200 audit records."""
    with store().read() as conn:
        records = audit.recent(conn, limit=200)
    return render_template(
        "staff/audit.html", records=records, actions=audit.ACTIONS, labels=audit.DETAIL_LABELS
    )
