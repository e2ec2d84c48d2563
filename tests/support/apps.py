"""One way to start the form service in a test (`make_app` on a given database and content),
and one way to run the `portal` command against the same store (`portal_command`)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask

from form_service import create_app
from form_service.cli import main
from form_service.store import migrate
from form_service.web import services
from tests.support.settings import ID_KEY, REAL_CONTENT, SECRET_KEY


def make_app(
    db_url: str,
    tmp_path: Path,
    *,
    content: Path = REAL_CONTENT,
    serve_site: bool = False,
    **settings: object,
) -> Flask:
    """Start the app on `db_url` and `content` (development mode), the store upgraded.

    `serve_site` serves the built site from `tmp_path/site` beside the forms, as `portal serve`
    does; `settings` override any other setting by name (e.g. PORTAL_RATELIMIT_LOGIN_IP).
    """
    config: dict[str, object] = {
        "PORTAL_CONTENT_DIR": str(content),
        "PORTAL_SITE_DIR": str(tmp_path / "site"),
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_DATABASE_URL": db_url,
        "PORTAL_SERVE_SITE": serve_site,
        "SECRET_KEY": SECRET_KEY,
        "PORTAL_ID_KEY": ID_KEY,
        "PORTAL_ENV": "development",
    }
    config.update(settings)
    app = create_app(config)
    migrate.upgrade(services.store(app))
    return app


def portal_command(app: Flask, args: list[str], stdin: str = "", **env: str) -> Result:
    """Run the `portal` command in-process on `app`'s store, content and keys (`env` added)."""
    environment = {
        "PORTAL_DATABASE_URL": app.config["PORTAL_DATABASE_URL"],
        "PORTAL_ID_KEY": app.config["PORTAL_ID_KEY"],
        "PORTAL_SECRET_KEY": app.config["SECRET_KEY"],
        "PORTAL_DATA_DIR": app.config["PORTAL_DATA_DIR"],
        "PORTAL_CONTENT_DIR": app.config["PORTAL_CONTENT_DIR"],
        **env,
    }
    return CliRunner().invoke(main, args, input=stdin, env=environment)
