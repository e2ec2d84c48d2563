"""`portal backup` and `portal restore`: thin commands over `store.backup`."""

from __future__ import annotations

from pathlib import Path

import click

from form_service.cli.common import database_url
from form_service.store.backup import BackupError, backup, restore


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Back up the store (SQLite online backup, or pg_dump) while the service runs."""
    url = database_url()
    try:
        backup(url=url, out=out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已备份到 {out}({out.stat().st_size} 字节)")


@click.command("restore")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="portal backup 生成的文件",
)
def restore_command(source: Path) -> None:
    """Restore a backup into PORTAL_DATABASE_URL, which must be empty, then check it."""
    url = database_url()
    try:
        found = restore(source=source, url=url)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    if found.integrity != "ok":
        raise click.ClickException(f"恢复后的数据库未通过完整性检查:{found.integrity}")
    click.echo(f"已恢复:{found.applications} 份申请,数据库版本 {found.revision},完整性检查 ok")
