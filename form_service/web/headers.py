"""Security headers on every response; no-store on pages that hold personal answers."""

from __future__ import annotations

from flask import Flask, Response, request

# Form pages use only our own CSS and one small script; nothing loads from another host.
FORM_PAGES_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The built site carries the theme's inline scripts; only framing and plugins are limited there.
SITE_CSP = "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
NO_STORE_BLUEPRINTS = {"apply", "status"}


def _secure_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Flask-WTF checks the Referer on HTTPS posts, so same-origin, never no-referrer.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault(
        "Content-Security-Policy", SITE_CSP if request.blueprint == "site" else FORM_PAGES_CSP
    )
    if request.blueprint in NO_STORE_BLUEPRINTS:
        headers["Cache-Control"] = "no-store"
    return response


def _strict_transport(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure_headers)
    if app.config.get("PORTAL_ENV") == "production":
        app.after_request(_strict_transport)
