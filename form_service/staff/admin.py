"""For 市总工会 staff only: accounts, republishing the site, and the audit log."""

from __future__ import annotations

import fcntl
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.accounts import audit
from form_service.accounts import users as accounts
from form_service.staff import acting, admin_only, bp, client_ip, me
from form_service.staff import forms as f
from form_service.web.services import catalogue, store
from site_builder.catalog import ContentError

BUSY = "另一次发布正在进行,请等它完成后再试。"
log = logging.getLogger(__name__)
MAX_PROBLEMS = 200


def _accounts_page(
    errors: f.Errors, form: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    with store().read() as conn:
        staff = accounts.list_staff(conn)
    cat = catalogue()
    units = [(u.id, u.name) for u in cat.active_districts() + cat.industry_unions()]
    names = {u.id: u.name for u in cat.units.values()}
    page = render_template(
        "staff/accounts.html",
        staff=staff,
        units=units,
        names=names,
        roles=accounts.ROLES,
        errors=errors,
        form=form,
    )
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


@contextmanager
def _only_build(site_dir: Path) -> Iterator[bool]:
    """Yield True while holding the console's publish lock, False if a publish is running."""
    folder = site_dir.parent / f"{site_dir.name}.build"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "console.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish_page(
    *, problems: list[str], published_at: datetime | None, busy: bool
) -> ResponseReturnValue:
    with store().read() as conn:
        history = audit.recent(conn, limit=10, actions=("publish", "publish_failed"))
    page = render_template(
        "staff/publish.html",
        problems=problems,
        published_at=published_at,
        busy=busy,
        history=history,
    )
    return page, 409 if busy else 200


@bp.route("/publish", methods=["GET", "POST"])
@admin_only
def publish() -> ResponseReturnValue:
    """Check the content; when clean, build and publish the site atomically (one at a time)."""
    if request.method == "GET":
        return _publish_page(problems=[], published_at=None, busy=False)
    from site_builder.publish import build_and_publish

    content_dir = Path(current_app.config["PORTAL_CONTENT_DIR"])
    site_dir = Path(current_app.config["PORTAL_SITE_DIR"])
    with _only_build(site_dir) as mine:
        if not mine:
            return _publish_page(problems=[], published_at=None, busy=True)
        try:
            built = build_and_publish(content_dir=content_dir, site_dir=site_dir)
        except ContentError as failed:
            problems = [str(p) for p in failed.problems]
            with store().write() as conn:
                audit.record(
                    conn,
                    actor=me().username,
                    action="publish_failed",
                    detail={"problems": problems[:MAX_PROBLEMS], "count": len(problems)},
                    ip=client_ip(),
                )
            return _publish_page(problems=problems, published_at=None, busy=False)
        except Exception as crashed:  # the builder failed on its own; the live site is untouched
            ticket = uuid.uuid4().hex[:8]
            log.exception("publish crashed, ticket %s", ticket)
            with store().write() as conn:
                audit.record(
                    conn,
                    actor=me().username,
                    action="publish_failed",
                    detail={"error": type(crashed).__name__, "ticket": ticket, "count": 0},
                    ip=client_ip(),
                )
            problem = (
                f"生成网站时程序出错(错误编号 {ticket}),原网站没有变化。请把错误编号告诉技术人员。"
            )
            return _publish_page(problems=[problem], published_at=None, busy=False)
    published_at = datetime.now(UTC)
    with store().write() as conn:
        audit.record(
            conn,
            actor=me().username,
            action="publish",
            detail={"courses": len(built.courses), "job_fairs": len(built.job_fairs)},
            ip=client_ip(),
        )
    return _publish_page(problems=[], published_at=published_at, busy=False)


@bp.route("/audit")
@admin_only
def audit_page() -> ResponseReturnValue:
    """Show the latest 200 audit records."""
    with store().read() as conn:
        records = audit.recent(conn, limit=200)
    return render_template(
        "staff/audit.html", records=records, actions=audit.ACTIONS, labels=audit.DETAIL_LABELS
    )
