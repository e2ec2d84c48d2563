"""`portal check` and `portal build`: thin commands over the catalogue and the site builder."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa

from form_service.cli.common import command_line_actor, database_url, print_problems, report_content
from form_service.content import publishing
from form_service.content.publishing import Published
from form_service.content.saves import Who
from form_service.store import Store
from site_builder import settings
from site_builder.catalog import ContentError, load_catalogue

NOT_PUBLISHED = "共 {count} 个问题,网站未更新。"
NOT_RECORDED = "提示:这次发布没有记入发布历史(数据库还没有建立,请先运行 portal db upgrade)。"
CONTENT_OPTION = click.option(
    "--content",
    "content",
    type=click.Path(path_type=Path),
    default=None,
    help="Content folder (default PORTAL_CONTENT_DIR or ./content).",
)


@click.command("check")
@CONTENT_OPTION
def check_command(content: Path | None) -> None:
    """Validate all of content/ and print every problem as path:line: message."""
    try:
        catalogue = load_catalogue(content or settings.content_dir())
    except ContentError as exc:
        report_content(exc, to_stderr=False)
    click.echo(
        f"内容检查通过:课程 {len(catalogue.courses)} 个,培训基地 {len(catalogue.bases)} 个,"
        f"招聘会 {len(catalogue.job_fairs)} 场,单位 {len(catalogue.units)} 个,"
        f"页面 {len(catalogue.pages)} 个。"
    )


@click.command("build")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Where to publish (default PORTAL_SITE_DIR or ./site).",
)
@CONTENT_OPTION
@click.option("--watch", is_flag=True, help="Keep running and rebuild whenever content/ changes.")
def build_command(out: Path | None, content: Path | None, watch: bool) -> None:
    """Validate content/, build the static site and publish it atomically."""
    from site_builder.publish import build_and_publish  # MkDocs loads only when building

    site_dir = out or settings.site_dir()
    content_dir = content or settings.content_dir()

    def build_once() -> bool:
        try:
            catalogue = build_and_publish(content_dir=content_dir, site_dir=site_dir)
        except ContentError as exc:
            print_problems(exc, footer=NOT_PUBLISHED)
            if out is None:
                _record(Published.refused(exc))
            return False
        click.echo(
            f"网站已发布到 {site_dir}:课程 {len(catalogue.courses)} 个,"
            f"培训基地 {len(catalogue.bases)} 个,招聘会 {len(catalogue.job_fairs)} 场。"
        )
        if out is None:  # the portal's own site: a publish like the console's
            _record(Published.live(catalogue, site_dir))
        return True

    if watch:
        from site_builder.watch import watch as watch_content

        click.echo(f"正在监视 {content_dir},文件一改就重新发布(按 Ctrl+C 停止)。")
        try:
            watch_content(Path(content_dir), rebuild=build_once)
        except KeyboardInterrupt:
            return
    if not build_once():
        raise SystemExit(1)


def _record(result: Published) -> None:
    """Note a publish of the configured site in the store, as the console does (audited)."""
    store = Store(database_url())
    try:
        publishing.record(store, result, who=Who(command_line_actor().name, None))
    except sa.exc.SQLAlchemyError:  # a first `portal build`, before `portal db upgrade`
        click.echo(NOT_RECORDED, err=True)
    finally:
        store.dispose()
