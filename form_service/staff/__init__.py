"""Blueprint `staff`: the console under /staff/ for 市总工会 and unit staff.

Deny by default: every route of the blueprint needs a signed-in person (`_require_sign_in`)
except the login page and the stylesheet; admin-only routes carry `admin_only`; every query
takes the reader's scope, so another unit's application is a 404. `tests/form_service/staff/test_access.py`
walks `app.url_map` against the expected access table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, logout_user

from form_service.accounts import audit
from form_service.accounts import users as accounts
from form_service.accounts.audit import Actor
from form_service.settings import PRODUCTION
from form_service.web.services import catalogue, store
from site_builder.catalog.clock import SHANGHAI

bp = Blueprint(
    "staff",
    __name__,
    url_prefix="/staff",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
# The code and first-enrolment steps of signing in serve a person who has given the password
# only: they read the pending sign-in from the cookie themselves and show no data.
OPEN_ENDPOINTS = frozenset({"staff.login", "staff.login_code", "staff.login_enrol", "staff.static"})
F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


def me() -> accounts.StaffUser:
    """Return the signed-in person (only called behind `_require_sign_in`)."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return cast(accounts.StaffUser, user)


def scope() -> frozenset[str] | None:
    """Return the routed units the signed-in person may see (None: all)."""
    return me().scope(catalogue())


@bp.app_template_filter("staff_time")
def staff_time(value: datetime) -> str:
    """Show a stored UTC time as Shanghai wall-clock time."""
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    def unit_label(user: accounts.StaffUser) -> str:
        if user.unit_id is None:
            return "市总工会"
        unit = catalogue().units.get(user.unit_id)
        return unit.name if unit else user.unit_id

    return {"unit_label": unit_label}


def client_ip() -> str:
    return request.remote_addr or ""


def acting() -> Actor:
    """Return the signed-in person as the audit log names them, with their address."""
    return Actor(me().username, client_ip())


def admin_only(view: F) -> F:
    """Refuse (403, audited) unless the signed-in person is 市总工会 staff."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not me().is_admin:
            with store().write() as conn:
                audit.record(
                    conn,
                    by=Actor(me().username, client_ip()),
                    action="denied",
                    unit_id=me().unit_id,
                    target=request.path[:120],
                )
            abort(403)
        return view(*args, **kwargs)

    wrapped.admin_only = True  # type: ignore[attr-defined]
    return cast(F, wrapped)


@bp.before_request
def _require_sign_in() -> ResponseReturnValue | None:
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        target = request.full_path if request.method == "GET" else ""
        return redirect(url_for("staff.login", next=target.rstrip("?") or None))
    if second_factor_required() and not me().second_factor:
        # A session from before the second factor was required (or a forged way around it).
        with store().write() as conn:
            accounts.end_session(conn, token=me().token, reason="no_2fa")
        logout_user()
        session.clear()
        return redirect(url_for("staff.login"))
    g.staff_user = me()
    return None


def second_factor_required() -> bool:
    """Tell whether every account must give a second factor (production: yes)."""
    return bool(current_app.config["PORTAL_ENV"] == PRODUCTION)


@bp.after_request
def _no_store(response: Any) -> Any:
    # Pages and files here hold personal data: never keep them in a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _load_user(token: str) -> accounts.StaffUser | None:
    with store().read() as conn:
        check = accounts.check_session(
            conn,
            token=token,
            idle=current_app.config["STAFF_IDLE"],
            absolute=current_app.config["STAFF_ABSOLUTE"],
        )
    if check.needs_write:
        with store().write() as conn:
            accounts.settle_session(conn, check=check)
    return check.user


def init_app(app: Flask) -> None:
    """Register the console and its sessions (sign-in limits: `web.limits`, used by `auth`)."""
    app.config.setdefault("STAFF_IDLE", accounts.IDLE)
    app.config.setdefault("STAFF_ABSOLUTE", accounts.ABSOLUTE)
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["STAFF_ABSOLUTE"]
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    manager.init_app(app)
    app.register_blueprint(bp)


from form_service.staff import (  # noqa: E402,F401  (routes register)
    admin,
    auth,
    bulk,
    content,
    imports,
    reports,
    review,
    two_factor,
    walk_in,
    work,
)
