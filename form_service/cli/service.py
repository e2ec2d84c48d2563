"""`portal serve` and `portal db upgrade`: thin commands over the app factory and the store."""

from __future__ import annotations

import click

from form_service.web import services
from site_builder import settings as site_settings
from site_builder.catalog import ContentError


def _report_content(exc: ContentError) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    raise SystemExit(1)


@click.group("db")
def db_group() -> None:
    """Create or migrate the store (PORTAL_DATABASE_URL, default data/portal.db)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to reach.")
def upgrade_command(revision: str) -> None:
    """Create the store's tables or bring them up to date."""
    from form_service import settings
    from form_service.store import Store, migrate

    url = settings.from_environment()["PORTAL_DATABASE_URL"]
    store = Store(url)
    try:
        migrate.upgrade(store, revision=revision)
        click.echo(f"数据库已是最新版本({migrate.current_revision(store)}):{store.engine.url!r}")
    finally:
        store.dispose()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the built site and the form service on one port (builds the site if missing)."""
    from werkzeug.serving import run_simple

    from form_service import create_app, settings
    from form_service.store import migrate

    site = site_settings.site_dir()
    if not (site / "index.html").is_file():
        from site_builder.publish import build_and_publish

        click.echo(f"网站尚未生成,正在生成到 {site} …")
        try:
            build_and_publish(content_dir=site_settings.content_dir(), site_dir=site)
        except ContentError as exc:
            _report_content(exc)
    try:
        app = create_app()
    except ContentError as exc:
        _report_content(exc)
    except settings.UnsafeSettings as exc:
        raise click.ClickException(str(exc)) from None
    migrate.upgrade(services.store(app))
    click.echo(f"门户已启动:http://{host}:{port}/  (报名表 http://{host}:{port}/apply/)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


COMMANDS = (db_group, serve_command)
