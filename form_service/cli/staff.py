"""`portal staff add|disable|enable|reset|list`: staff accounts, audited by the operations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from form_service.accounts import users as accounts
from form_service.cli.common import command_line_actor, password_from_stdin, running_app
from form_service.web.services import catalogue, store


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
    with _refusals(), running_app(), store().write() as conn:
        accounts.add_staff(
            conn,
            username=username,
            role=role,
            unit_id=unit_id,
            password=password_from_stdin(),
            catalogue=catalogue(),
            by=command_line_actor(),
        )
    click.echo(f"已新增账号 {username}({accounts.ROLES[role]})。")


@staff_command.command("disable")
@click.argument("username")
def staff_disable(username: str) -> None:
    """Disable an account and end its sessions at once."""
    _set_disabled(username, disabled=True, said=f"已停用账号 {username},其登录状态已全部失效。")


@staff_command.command("enable")
@click.argument("username")
def staff_enable(username: str) -> None:
    """Re-enable a disabled account."""
    _set_disabled(username, disabled=False, said=f"已启用账号 {username}。")


def _set_disabled(username: str, *, disabled: bool, said: str) -> None:
    with _refusals(), running_app(), store().write() as conn:
        accounts.set_disabled(conn, username=username, disabled=disabled, by=command_line_actor())
    click.echo(said)


@staff_command.command("reset")
@click.argument("username")
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Read the new password from stdin."
)
def staff_reset(username: str, password_stdin: bool) -> None:
    """Set a new password (ends the account's sessions)."""
    with _refusals(), running_app(), store().write() as conn:
        accounts.reset_password(
            conn, username=username, password=password_from_stdin(), by=command_line_actor()
        )
    click.echo(f"已重设账号 {username} 的密码,其登录状态已全部失效。")


@staff_command.command("list")
def staff_list() -> None:
    """List the accounts."""
    with running_app(), store().read() as conn:
        for row in accounts.list_staff(conn):
            state = "已停用" if row.disabled_at else "在用"
            click.echo(
                f"{row.username}\t{accounts.ROLES[row.role]}\t{row.unit_id or '市总工会'}\t{state}"
            )


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn an `AccountError` into the command's one-line Chinese error (exit 1)."""
    try:
        yield
    except accounts.AccountError as refused:
        raise click.ClickException(refused.message) from None
