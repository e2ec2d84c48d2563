"""`portal import signups` and `portal import results`: the console's imports, from a file.

One call each into `form_service.imports` (the same code the upload page runs). Exit 0 when the
file was stored (or, with --dry-run, would be stored as shown), 1 with every problem listed,
one per line, as `名单.xlsx 第 12 行 身份证号: …`; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from form_service.cli.common import command_line_actor, running_app
from form_service.imports.plan import ImportPlan
from form_service.imports.problems import ImportRefused
from form_service.imports.results import import_results
from form_service.imports.signup_import import import_signups
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today

FILE = click.option(
    "--file",
    "path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    required=True,
    help="XLSX or CSV (UTF-8 or GB18030).",
)
UNIT = click.option("--unit", "unit_id", default=None, help="Import into this unit only (its id).")
DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Check and show what would change; store nothing."
)


@click.group("import")
def import_group() -> None:
    """Import a sign-up list or a results list (checked whole; all or nothing)."""


def _unit(unit_id: str | None) -> None:
    if unit_id is not None and unit_id not in catalogue().units:
        raise click.ClickException(f"没有单位“{unit_id}”。")


def _report(made: ImportPlan) -> None:
    for step in made.steps:
        click.echo(
            f"第 {step.line} 行\t{step.person}\t{step.project}\t{step.action_name}\t{step.state}\t{step.detail}"
        )
    if made.hidden:
        click.echo(f"……另有 {made.hidden} 项没有逐行列出(见下面的合计)。")
    if made.unused_columns:
        click.echo(f"没有使用的列:{'、'.join(made.unused_columns)}", err=True)
    click.echo(made.summary(), err=True)


def _refused(refused: ImportRefused) -> NoReturn:
    for problem in refused.problems:
        click.echo(str(problem), err=True)
    click.echo(f"共 {len(refused.problems)} 个问题,没有导入任何内容。", err=True)
    raise SystemExit(1)


def _import(
    importer: Callable[..., ImportPlan],
    path: Path,
    unit_id: str | None,
    dry_run: bool,
    **options: bool,
) -> None:
    """Run one import on the file at `path`; list what it did, or every problem and exit 1."""
    with running_app() as app:
        _unit(unit_id)
        try:
            made = importer(
                store(), file=path.name, data=path.read_bytes(), catalogue=catalogue(),
                cipher=services.cipher(app), unit_id=unit_id, by=command_line_actor(),
                today=today(), dry_run=dry_run, **options,
            )  # fmt: skip
        except ImportRefused as refused:
            _refused(refused)
    _report(made)


@import_group.command("signups")
@FILE
@UNIT
@DRY_RUN
@click.option(
    "--applied-only", is_flag=True, help="People only signed up (已提交), not yet in class."
)
def import_signups_command(
    path: Path, unit_id: str | None, dry_run: bool, applied_only: bool
) -> None:
    """Import a sign-up list or class list in the register's columns; audited."""
    _import(import_signups, path, unit_id, dry_run, applied_only=applied_only)


@import_group.command("results")
@FILE
@UNIT
@DRY_RUN
def import_results_command(path: Path, unit_id: str | None, dry_run: bool) -> None:
    """Import 鉴定 certificates, jobs and businesses started as outcomes; audited."""
    _import(import_results, path, unit_id, dry_run)
