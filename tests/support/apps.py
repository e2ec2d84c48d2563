"""One way to start the form service in a test: `make_app` on a given database and content."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from form_service import create_app
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
