"""`portal demo-data` and `portal purge`: filling a test store and keeping the retention promise."""

from __future__ import annotations

from collections import Counter

import click

from form_service.applications import demo_data, retention
from form_service.cli.common import command_line_actor, running_app
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today


@click.command("demo-data")
@click.option("--count", default=300, show_default=True, help="How many applicants.")
@click.option(
    "--seed", default=2011, show_default=True, help="Random seed (same seed, same people)."
)
def demo_data_command(count: int, seed: int) -> None:
    """Fill an empty store with synthetic demo applicants (refused in production)."""
    with running_app() as app:
        if app.config["PORTAL_ENV"] == "production":
            raise click.ClickException("生产环境不能生成演示数据。")
        try:
            made = demo_data.fill(
                store(),
                catalogue=catalogue(),
                cipher=services.cipher(app),
                count=count,
                seed=seed,
                by=command_line_actor(),
            )
        except demo_data.DemoRefused as refused:
            raise click.ClickException(refused.message) from None
    click.echo(f"已生成 {made} 份演示申请(标记为演示数据)。")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised.")
def purge_command(dry_run: bool) -> None:
    """Anonymise applications once their retention period has passed."""
    with running_app():
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
            done = retention.purge(conn, today=on, by=command_line_actor())
    click.echo(f"已匿名化 {done} 份申请。")
