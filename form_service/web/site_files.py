"""Serve the built static site for every path the form service's blueprints do not claim."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join
from werkzeug.wrappers import Response as BaseResponse

from form_service.web import large_text

bp = Blueprint("site", __name__)

mimetypes.add_type("text/calendar", ".ics")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("application/ld+json", ".jsonld")
mimetypes.add_type("font/woff2", ".woff2")


def _site_dir() -> Path:
    return Path(current_app.config["PORTAL_SITE_DIR"])


def locate(root: Path, path: str, *, mounted_at: str) -> Path | BaseResponse | None:
    """Return the file `path` names in `root` (a folder: its index.html), else None.

    A folder asked for without its trailing slash answers with a redirect to it (under
    `mounted_at`); a path leaving `root` answers 404.
    """
    target = safe_join(str(root), path) if path else str(root)
    if target is None:
        abort(404)
    found = Path(target)
    if found.is_dir():
        if path and not path.endswith("/"):
            # Relative links inside index.html need the trailing slash.
            return current_app.redirect(f"{mounted_at}{path}/", 301)
        found = found / "index.html"
    return found if found.is_file() else None


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def page(path: str) -> Response:
    """Send a file of the site; a directory answers with its index.html."""
    root = _site_dir()
    found = locate(root, path, mounted_at="/")
    if isinstance(found, BaseResponse):
        return found  # type: ignore[return-value]
    if found is None:
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
