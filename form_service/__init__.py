"""The form service: public application flows, progress look-up and the JSON API (Flask)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from form_service import settings
from form_service.web import display, errors, headers, large_text, limits, services
from form_service.web.chunked import LengthForChunked
from site_builder import settings as site_settings

KIB = 1024


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app from the environment; `test_config` overrides any setting."""
    app = Flask(__name__)
    app.config.from_mapping(
        PORTAL_CONTENT_DIR=str(site_settings.content_dir()),
        PORTAL_SITE_DIR=str(site_settings.site_dir()),
        PORTAL_SERVE_SITE=True,
        MAX_CONTENT_LENGTH=64 * KIB,
        MAX_FORM_MEMORY_SIZE=64 * KIB,
        MAX_FORM_PARTS=200,
        # Older applicants take their time; an expired page keeps their answers anyway.
        WTF_CSRF_TIME_LIMIT=4 * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_AS_ASCII=False,
    )
    app.config.update(settings.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    if app.config["PORTAL_ENV"] == settings.PRODUCTION:
        app.config["SESSION_COOKIE_SECURE"] = True
    else:
        settings.fill_development_keys(app.config)
    problems = settings.production_problems(app.config, debug=app.debug)
    if problems:
        raise settings.UnsafeSettings(problems)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.wsgi_app = LengthForChunked(app.wsgi_app, limit=lambda: app.config["MAX_CONTENT_LENGTH"])  # type: ignore[method-assign]
    if app.config["PORTAL_PROXIES"]:
        proxies = int(app.config["PORTAL_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    services.init_app(app)
    CSRFProtect(app)
    headers.init_app(app)
    display.init_app(app)
    errors.init_app(app)
    large_text.init_app(app)

    from form_service.api import bp as api_bp
    from form_service.apply import bp as apply_bp
    from form_service.status import bp as status_bp

    app.register_blueprint(apply_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(api_bp)
    limits.init_app(app)
    from form_service import staff

    staff.init_app(app)  # after limits: wraps the login view with its limits
    if app.config["PORTAL_SERVE_SITE"]:
        from form_service.web.site_files import bp as site_bp

        app.register_blueprint(site_bp)
    return app
