"""Rate limits per client address (Flask-Limiter): sending applications, failed look-ups.

Each app gets its own Limiter so that test apps never share counters. With several server
processes the storage must be shared (Redis), or each process would count on its own.
"""

from __future__ import annotations

from flask import Flask, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def _not_a_submission() -> bool:
    return request.method != "POST" or request.form.get("action") != "submit"


def _never_counted() -> bool:
    """Form pages, check-answers steps and confirmations: no limit counts them, skip the checks.

    Three of the four requests of an application; the submit step is checked as before.
    """
    return request.blueprint == "apply" and _not_a_submission()


def _failed_lookup(response: ResponseReturnValue) -> bool:
    return getattr(response, "status_code", 200) == 404


def init_app(app: Flask) -> None:
    """Limit the submit step of every flow and failed progress look-ups."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy="fixed-window",
    )
    limiter.init_app(app)
    limiter.request_filter(_never_counted)
    app.extensions["portal.limiter"] = limiter
    submit = limiter.limit(app.config["PORTAL_RATELIMIT_SUBMIT"], exempt_when=_not_a_submission)
    lookup = limiter.limit(
        app.config["PORTAL_RATELIMIT_LOOKUP"], methods=["POST"], deduct_when=_failed_lookup
    )
    views = app.view_functions
    views["apply.flow"] = submit(views["apply.flow"])  # type: ignore[assignment]
    views["status.lookup"] = lookup(views["status.lookup"])  # type: ignore[assignment]
