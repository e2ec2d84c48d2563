"""The elderly-friendly switch (适老化): larger text and higher contrast, kept in a cookie.

The static site's script (`assets/portal.js`) and these pages read the same cookie,
`portal_large=1` on path `/`, so the choice follows a person from the site to the forms and
back. `/settings/large-text?on=1&next=/courses/` sets it without JavaScript; the server then
marks `<html>` with the class itself (form pages through `base.html`, the built site's pages
through `mark_page`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, Request, current_app, redirect, request
from werkzeug.wrappers import Response

COOKIE = "portal_large"
CLASS = "portal-large"
ONE_YEAR = 365 * 24 * 3600

bp = Blueprint("large_text", __name__)


def is_on(req: Request) -> bool:
    return req.cookies.get(COOKIE) == "1"


def local_path(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the home page (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def switch_href(*, on: bool, next_path: str) -> str:
    return "/settings/large-text?" + urlencode({"on": "1" if on else "0", "next": next_path})


def mark_page(html: str) -> str:
    """Add the class to the first `<html …>` tag of a built page."""
    start = html.find("<html")
    end = html.find(">", start)
    if start < 0 or end < 0:
        return html
    tag = html[start:end]
    if 'class="' in tag:
        tag = tag.replace('class="', f'class="{CLASS} ', 1)
    else:
        tag += f' class="{CLASS}"'
    return html[:start] + tag + html[end:]


@bp.get("/settings/large-text")
def switch() -> Response:
    """Turn the large-text mode on (`on=1`) or off, then go back to `next`."""
    response = redirect(local_path(request.args.get("next")), 303)
    # Production serves HTTPS only (SESSION_COOKIE_SECURE is set there), even when a proxy in
    # front does not say so: the cookie is Secure like the session's.
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure
    if request.args.get("on") == "1":
        response.set_cookie(COOKIE, "1", max_age=ONE_YEAR, path="/", samesite="Lax", secure=secure)
    else:
        response.delete_cookie(COOKIE, path="/", samesite="Lax", secure=secure)
    response.headers["Cache-Control"] = "no-store"
    return response


def _template_values() -> dict[str, Any]:
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return {
        "large_text": is_on(request),
        "large_text_on_href": switch_href(on=True, next_path=here),
        "large_text_off_href": switch_href(on=False, next_path=here),
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_template_values)
