"""`portal export` and `portal stats`: the files the console gives, made from the command line.

They run inside the app built from the environment (PORTAL_DATABASE_URL, PORTAL_ID_KEY,
PORTAL_CONTENT_DIR…), so a file made here is the file the web gives; the operations audit
themselves with the operating-system user as actor.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from form_service.cli.common import command_line_actor, running_app
from form_service.reports import register
from form_service.reports import statistics_sheet as stats_sheet
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(register.FORMATS),
    default="xlsx",
    show_default=True,
    help="xlsx keeps ID and phone numbers as text in every spreadsheet; csv is for machine import.",
)
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="File to write."
)
@click.option("--unit", "unit_id", default=None, help="One unit id (default: city-wide).")
@click.option(
    "--kind",
    type=click.Choice(sorted(register.KINDS)),
    default="all",
    show_default=True,
    help="Track.",
)
def export_command(fmt: str, out: Path, unit_id: str | None, kind: str) -> None:
    """Write the real-name register (实名制台账); the export is audited."""
    with running_app() as app:
        cat = catalogue()
        if unit_id is not None and (unit_id not in cat.units or not cat.units[unit_id].active):
            raise click.ClickException(f"没有在用的单位“{unit_id}”。")
        with store().write() as conn:
            made = register.produce_register(
                conn,
                cipher=services.cipher(app),
                catalogue=cat,
                scope=cat.units_reporting_to(unit_id),
                unit_id=unit_id,
                kind=kind,
                fmt=fmt,
                on=today(),
                by=command_line_actor(),
            )
    made.save(out)
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
    """Produce the statistics return (统计表) for a cut-off date; audited."""
    if fmt != "text" and out is None:
        raise click.ClickException("xlsx 和 csv 格式需要用 --out 指定文件。")
    with running_app():
        cat = catalogue()
        day = cutoff.date() if cutoff is not None else stats_sheet.default_cutoff(cat, on=today())
        if unit_id is not None and unit_id not in cat.units:
            raise click.ClickException(f"没有单位“{unit_id}”。")
        with store().write() as conn:
            made = stats_sheet.produce_return(
                conn, catalogue=cat, cutoff=day, unit_id=unit_id, fmt=fmt, by=command_line_actor()
            )
    if out is None:
        click.echo(made.content.decode(), nl=False)
        return
    out.write_bytes(made.content)
    if fmt != "text":
        click.echo(f"已写出 {out}。", err=True)
