"""Serve the built static site for every path the form service's blueprints do not claim."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

from form_service.web import large_text

bp = Blueprint("site", __name__)

mimetypes.add_type("text/calendar", ".ics")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("application/ld+json", ".jsonld")
mimetypes.add_type("font/woff2", ".woff2")


def _site_dir() -> Path:
    return Path(current_app.config["PORTAL_SITE_DIR"])


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def page(path: str) -> Response:
    """Send a file of the site; a directory answers with its index.html."""
    root = _site_dir()
    target = safe_join(str(root), path) if path else str(root)
    if target is None:
        abort(404)
    found = Path(target)
    if found.is_dir():
        if path and not path.endswith("/"):
            # Relative links inside index.html need the trailing slash.
            return current_app.redirect("/" + path + "/", 301)  # type: ignore[return-value]
        found = found / "index.html"
    if not found.is_file():
        missing = root / "404.html"
        if missing.is_file():
            response = send_from_directory(root, "404.html")
            response.status_code = 404
            return response
        abort(404)
    if found.suffix != ".html":
        return send_from_directory(root, str(found.relative_to(root)), max_age=300)
    if large_text.is_on(request):
        # The large-text choice shows without JavaScript too (the page's script does the same).
        response = current_app.response_class(
            large_text.mark_page(found.read_text(encoding="utf-8")), mimetype="text/html"
        )
        response.cache_control.max_age = 300
    else:
        response = send_from_directory(root, str(found.relative_to(root)), max_age=300)
    response.vary.add("Cookie")
    return response
