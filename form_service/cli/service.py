"""`portal serve`, `portal db upgrade` and `portal db check`: the app factory and the store."""

from __future__ import annotations

import click

from form_service import settings
from form_service.cli.common import database_url, report_content
from form_service.store import Store
from form_service.web import services
from site_builder import settings as site_settings
from site_builder.catalog import ContentError


def _environment_store() -> Store:
    return Store(database_url())


@click.group("db")
def db_group() -> None:
    """Create, migrate or check the store (PORTAL_DATABASE_URL, default data/portal.db)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to reach.")
def upgrade_command(revision: str) -> None:
    """Create the store's tables or bring them up to date."""
    from form_service.store import migrate

    store = _environment_store()
    try:
        migrate.upgrade(store, revision=revision)
        click.echo(f"数据库已是最新版本({migrate.current_revision(store)}):{store.engine.url!r}")
    finally:
        store.dispose()


@db_group.command("check")
def check_command() -> None:
    """Tell whether the live store, the migrations and the table metadata agree (exit 1 if not)."""
    from form_service.store import migrate

    store = _environment_store()
    try:
        found = migrate.differences(store)
    finally:
        store.dispose()
    for difference in found:
        click.echo(difference)
    if found:
        click.echo(f"共 {len(found)} 处不一致。", err=True)
        raise SystemExit(1)
    click.echo(f"数据库、迁移和表定义一致(版本 {migrate.head_revision()})。")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the built site and the form service on one port (builds the site if missing)."""
    from werkzeug.serving import run_simple

    from form_service import create_app
    from form_service.store import migrate

    site = site_settings.site_dir()
    if not (site / "index.html").is_file():
        from site_builder.publish import build_and_publish

        click.echo(f"网站尚未生成,正在生成到 {site} …")
        try:
            build_and_publish(content_dir=site_settings.content_dir(), site_dir=site)
        except ContentError as exc:
            report_content(exc)
    try:
        app = create_app()
    except ContentError as exc:
        report_content(exc)
    except settings.UnsafeSettings as exc:
        raise click.ClickException(str(exc)) from None
    migrate.upgrade(services.store(app))
    click.echo(f"门户已启动:http://{host}:{port}/  (报名表 http://{host}:{port}/apply/)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
