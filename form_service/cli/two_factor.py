"""`portal staff 2fa enable|reset USERNAME`: a staff account's second factor, audited."""

from __future__ import annotations

import click

from form_service.accounts import two_factor
from form_service.accounts import users as accounts
from form_service.cli.common import command_line_actor, running_app
from form_service.web.services import store


@click.group("2fa")
def two_factor_command() -> None:
    """Second factor (TOTP) of staff accounts."""


@two_factor_command.command("enable")
@click.argument("username")
def two_factor_enable(username: str) -> None:
    """Enrol an account: print its otpauth:// URI and recovery codes, this once."""
    with running_app() as app:
        box = two_factor.SecretBox(app.config["PORTAL_ID_KEY"])
        try:
            with store().write() as conn:
                uri, codes = two_factor.enable(
                    conn, username=username, box=box, by=command_line_actor()
                )
        except accounts.AccountError as refused:
            raise click.ClickException(refused.message) from None
    click.echo(
        f"已为账号 {username} 启用两步验证。把下面这行交给本人,在验证器里添加(只显示这一次):"
    )
    click.echo(uri)
    click.echo("恢复码(每个只能用一次,只显示这一次):")
    for code in codes:
        click.echo(code)


@two_factor_command.command("reset")
@click.argument("username")
def two_factor_reset(username: str) -> None:
    """Remove an account's second factor and end its sessions (it enrols again at sign-in)."""
    with running_app():
        try:
            with store().write() as conn:
                ended = two_factor.reset(conn, username=username, by=command_line_actor())
        except accounts.AccountError as refused:
            raise click.ClickException(refused.message) from None
    click.echo(
        f"已重置账号 {username} 的两步验证,结束了 {ended} 个登录状态;下次登录时需要重新启用。"
    )
