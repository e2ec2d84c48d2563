"""Rate limits (Flask-Limiter): sending applications, failed look-ups.

Sending an application is limited per applicant, not per address: a fair desk, a community
computer room or a mobile network puts hundreds of honest people behind one address. The key
is the address plus the keyed hash of the ID number sent (every submission without a valid ID
number from one address shares one key), and a generous ceiling per address stops floods of
made-up people. Why, and the numbers: docs/rate-limits.md.

Each app gets its own Limiter so that test apps never share counters. With several server
processes the storage must be shared (Redis), or each process would count on its own.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from form_service import settings
from form_service.accounts.sign_in_limits import SignInLimits, network_of
from form_service.applications.identity import InvalidValue, parse_id_number
from form_service.web import services
from site_builder.catalog import today


def _not_a_submission() -> bool:
    return request.method != "POST" or request.form.get("action") != "submit"


def _never_counted() -> bool:
    """Form pages, check-answers steps and confirmations: no limit counts them, skip the checks.

    Three of the four requests of an application; the submit step is checked as before.
    """
    return request.blueprint == "apply" and _not_a_submission()


def _applicant_key() -> str:
    """Key a submission by address and applicant: the keyed hash, never the number itself."""
    address = get_remote_address()
    try:
        number = parse_id_number(request.form.get("id_number", ""), today=today()).number
    except InvalidValue:
        return f"{address}|no-valid-id"
    return f"{address}|{services.cipher().keyed_hash(number)[:32]}"


def _client_network() -> str:
    """Key a look-up by client address, an IPv6 one by its /64 (one subscriber's network)."""
    return network_of(get_remote_address())


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
    per_applicant = limiter.limit(
        app.config["PORTAL_RATELIMIT_SUBMIT"],
        key_func=_applicant_key,
        exempt_when=_not_a_submission,
    )
    per_address = limiter.limit(
        app.config["PORTAL_RATELIMIT_SUBMIT_ADDRESS"], exempt_when=_not_a_submission
    )
    lookup = limiter.limit(
        app.config["PORTAL_RATELIMIT_LOOKUP"],
        key_func=_client_network,
        methods=["POST"],
        deduct_when=_failed_lookup,
    )
    views = app.view_functions
    views["apply.flow"] = per_address(per_applicant(views["apply.flow"]))  # type: ignore[assignment]
    views["status.lookup"] = lookup(views["status.lookup"])  # type: ignore[assignment]
    app.extensions[_SIGN_IN] = _sign_in_limits(app)


# --- staff sign-in (form_service/accounts/sign_in_limits.py: the keys and why) ---------------

_SIGN_IN = "portal.sign_in_limits"
MAX_DELAY = 10.0  # seconds: the brake holds a worker, so it stays short


def sign_in_limits(app: Flask | None = None) -> SignInLimits:
    """Return the app's staff sign-in limits (the current app's by default)."""
    return (app or current_app).extensions[_SIGN_IN]  # type: ignore[no-any-return]


def _sign_in_limits(app: Flask) -> SignInLimits:
    """Build the sign-in limits from the settings, in the same storage as the other limits."""
    config = app.config
    for name, default in settings.LOGIN_LIMITS.items():
        config.setdefault(name, default)
    problems = []
    for name in settings.LOGIN_LIMITS:
        if name != "PORTAL_RATELIMIT_LOGIN_DELAY" and not _parses(str(config[name])):
            problems.append(f"{name} 写法不对:{config[name]!r}(应像 10/15 minutes 或 10/hour)")
    try:
        delay = float(config["PORTAL_RATELIMIT_LOGIN_DELAY"])
    except (TypeError, ValueError):
        delay = -1.0
    if not 0 <= delay <= MAX_DELAY:
        problems.append(f"PORTAL_RATELIMIT_LOGIN_DELAY 应是 0 到 {MAX_DELAY:g} 之间的秒数")
    if problems:
        raise settings.UnsafeSettings(problems)
    return SignInLimits(
        storage_uri=config["RATELIMIT_STORAGE_URI"],
        user_ip=config["PORTAL_RATELIMIT_LOGIN_USER_IP"],
        ip=config["PORTAL_RATELIMIT_LOGIN_IP"],
        user=config["PORTAL_RATELIMIT_LOGIN_USER"],
        code=config["PORTAL_RATELIMIT_LOGIN_CODE"],
        delay=delay,
    )


def _parses(value: str) -> bool:
    try:
        return bool(parse_many(value))
    except ValueError:
        return False
