"""`portal check` and `portal build`: thin wrappers over the catalogue and the builder."""

from __future__ import annotations

from pathlib import Path

import click

from site_builder import settings
from site_builder.catalog import ContentError, load_catalogue


def _report(problems: list) -> None:  # type: ignore[type-arg]
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"共 {len(problems)} 个问题,网站未更新。", err=True)


@click.command("check")
@click.option(
    "--content",
    "content",
    type=click.Path(path_type=Path),
    default=None,
    help="Content folder (default PORTAL_CONTENT_DIR or ./content).",
)
def check_command(content: Path | None) -> None:
    """Validate all of content/ and print every problem as path:line: message."""
    try:
        catalogue = load_catalogue(content or settings.content_dir())
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        click.echo(f"共 {len(exc.problems)} 个问题。", err=True)
        raise SystemExit(1) from None
    click.echo(
        f"内容检查通过:课程 {len(catalogue.courses)} 个,培训基地 {len(catalogue.bases)} 个,"
        f"招聘会 {len(catalogue.job_fairs)} 场,单位 {len(catalogue.units)} 个,"
        f"页面 {len(catalogue.pages)} 个。"
    )
