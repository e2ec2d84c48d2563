"""`portal staff`, `portal export`, `portal stats`, `portal demo-data`, `portal purge`.

Thin commands over the same functions the console uses, inside the app built from the
environment (PORTAL_DATABASE_URL, PORTAL_ID_KEY, PORTAL_CONTENT_DIR…), so a file made here is
the file the web gives, and every export is audited with the operating-system user as actor.
"""

from __future__ import annotations

import getpass
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask import Flask

from form_service.accounts import audit
from form_service.accounts import users as accounts
from form_service.applications import demo_data, retention
from form_service.reports import register as exports
from form_service.reports import statistics_sheet as stats_sheet
from form_service.reports.spreadsheets import render_csv, render_text, render_xlsx
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today


@contextmanager
def _running() -> Iterator[Flask]:
    """Build the app from the environment, enter its context, close its connections at the end."""
    from form_service import create_app

    app = create_app({"PORTAL_SERVE_SITE": False})
    try:
        with app.app_context():
            yield app
    finally:
        services.store(app).dispose()


def _actor() -> str:
    return f"命令行:{getpass.getuser()}"


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


@click.group("staff")
def staff_command() -> None:
    """Manage staff accounts of the console."""


@staff_command.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(sorted(accounts.ROLES)),
    required=True,
    help="admin: 市总工会; unit: one union.",
)
@click.option(
    "--unit", "unit_id", default=None, help="Unit id from content/units.yaml (role unit)."
)
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from the first line of stdin.",
)
def staff_add(username: str, role: str, unit_id: str | None, password_stdin: bool) -> None:
    """Create a staff account."""
    with _running():
        try:
            with store().write() as conn:
                accounts.add_staff(
                    conn,
                    username=username,
                    role=role,
                    unit_id=unit_id,
                    password=_password_from_stdin(),
                    catalogue=catalogue(),
                )
                audit.record(
                    conn,
                    actor=_actor(),
                    action="staff_add",
                    unit_id=unit_id,
                    target=username,
                    detail={"role": role},
                )
        except accounts.AccountError as refused:
            raise click.ClickException(refused.message) from None
    click.echo(f"已新增账号 {username}({accounts.ROLES[role]})。")


def _account_change(username: str, action: str, *, password: str | None = None) -> None:
    with _running():
        try:
            with store().write() as conn:
                if password is not None:
                    accounts.reset_password(conn, username=username, password=password)
                else:
                    accounts.set_disabled(conn, username=username, disabled=action == "disable")
                detail = {} if password is not None else {"enabled": action == "enable"}
                kind = "staff_reset" if password is not None else "staff_disable"
                audit.record(conn, actor=_actor(), action=kind, target=username, detail=detail)
        except accounts.AccountError as refused:
            raise click.ClickException(refused.message) from None


@staff_command.command("disable")
@click.argument("username")
def staff_disable(username: str) -> None:
    """Disable an account and end its sessions at once."""
    _account_change(username, "disable")
    click.echo(f"已停用账号 {username},其登录状态已全部失效。")


@staff_command.command("enable")
@click.argument("username")
def staff_enable(username: str) -> None:
    """Re-enable a disabled account."""
    _account_change(username, "enable")
    click.echo(f"已启用账号 {username}。")


@staff_command.command("reset")
@click.argument("username")
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Read the new password from stdin."
)
def staff_reset(username: str, password_stdin: bool) -> None:
    """Set a new password (ends the account's sessions)."""
    _account_change(username, "reset", password=_password_from_stdin())
    click.echo(f"已重设账号 {username} 的密码,其登录状态已全部失效。")


@staff_command.command("list")
def staff_list() -> None:
    """List the accounts."""
    with _running(), store().read() as conn:
        for row in accounts.list_staff(conn):
            state = "已停用" if row.disabled_at else "在用"
            click.echo(
                f"{row.username}\t{accounts.ROLES[row.role]}\t{row.unit_id or '市总工会'}\t{state}"
            )


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(exports.FORMATS), required=True, help="File format."
)
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="File to write."
)
@click.option("--unit", "unit_id", default=None, help="One unit id (default: city-wide).")
@click.option(
    "--kind",
    type=click.Choice(sorted(exports.KINDS)),
    default="all",
    show_default=True,
    help="Track.",
)
def export_command(fmt: str, out: Path, unit_id: str | None, kind: str) -> None:
    """Write the real-name register (实名制台账); the export is audited."""
    with _running() as app:
        cat = catalogue()
        if unit_id is not None and (unit_id not in cat.units or not cat.units[unit_id].active):
            raise click.ClickException(f"没有在用的单位“{unit_id}”。")
        scope = cat.units_reporting_to(unit_id)
        with store().write() as conn:
            made = exports.produce_register(
                conn,
                cipher=services.cipher(app),
                catalogue=cat,
                scope=scope,
                unit_id=unit_id,
                kind=kind,
                fmt=fmt,
                on=today(),
                actor=_actor(),
            )
    out.write_bytes(made.content)
    click.echo(f"已导出 {made.rows} 人到 {out}(已记入审计日志)。", err=True)


@click.command("stats")
@click.option(
    "--cutoff",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Cut-off date (default: the next one).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["xlsx", "csv", "text"]), default="text", show_default=True
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File (text: stdout).",
)
@click.option("--unit", "unit_id", default=None, help="One unit's row only.")
def stats_command(cutoff: datetime | None, fmt: str, out: Path | None, unit_id: str | None) -> None:
    """Produce the statistics return (统计表) for a cut-off date."""
    with _running():
        cat = catalogue()
        day = cutoff.date() if cutoff is not None else stats_sheet.default_cutoff(cat, on=today())
        if unit_id is not None and unit_id not in cat.units:
            raise click.ClickException(f"没有单位“{unit_id}”。")
        with store().write() as conn:
            _result, sheet = stats_sheet.build_return(
                conn, catalogue=cat, cutoff=day, unit_id=unit_id
            )
            audit.record(
                conn,
                actor=_actor(),
                action="stats_export",
                unit_id=unit_id,
                target=f"统计表 截至{day.isoformat()}",
                detail={"format": fmt, "cutoff": day.isoformat()},
            )
    if fmt == "text":
        text = render_text(sheet)
        if out is None:
            click.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
        return
    if out is None:
        raise click.ClickException("xlsx 和 csv 格式需要用 --out 指定文件。")
    out.write_bytes(render_xlsx(sheet) if fmt == "xlsx" else render_csv(sheet))
    click.echo(f"已写出 {out}。", err=True)


@click.command("demo-data")
@click.option("--count", default=300, show_default=True, help="How many applicants.")
@click.option(
    "--seed", default=2011, show_default=True, help="Random seed (same seed, same people)."
)
def demo_data_command(count: int, seed: int) -> None:
    """Fill an empty store with synthetic demo applicants (refused in production)."""
    with _running() as app:
        if app.config["PORTAL_ENV"] == "production":
            raise click.ClickException("生产环境不能生成演示数据。")
        try:
            made = demo_data.fill(
                store(),
                catalogue=catalogue(),
                cipher=services.cipher(app),
                count=count,
                seed=seed,
            )
        except demo_data.DemoRefused as refused:
            raise click.ClickException(refused.message) from None
        with store().write() as conn:
            audit.record(
                conn, actor=_actor(), action="demo_data", detail={"count": made, "seed": seed}
            )
    click.echo(f"已生成 {made} 份演示申请(标记为演示数据)。")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised.")
def purge_command(dry_run: bool) -> None:
    """Anonymise applications 3 years after the end of their programme year."""
    with _running():
        on = today()
        with store().read() as conn:
            found = retention.due(conn, today=on)
        by_year = Counter(d.year for d in found)
        for year, number in sorted(by_year.items()):
            click.echo(
                f"{year} 年度:{number} 份申请(保存至 {retention.purge_after(year).isoformat()})"
            )
        if dry_run:
            for item in found:
                click.echo(f"  {item.reference}\t{item.unit_id}\t{item.state}")
            click.echo(f"试运行:共 {len(found)} 份申请将被匿名化,未做任何修改。")
            return
        with store().write() as conn:
            done = retention.anonymise(conn, ids=[d.id for d in found])
            audit.record(
                conn,
                actor=_actor(),
                action="purge",
                detail={"count": done, "today": on.isoformat()},
            )
    click.echo(f"已匿名化 {done} 份申请。")


COMMANDS = (staff_command, export_command, stats_command, demo_data_command, purge_command)
