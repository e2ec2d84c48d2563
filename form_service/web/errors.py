"""Error pages in Chinese: never a stack trace, never an English framework page."""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from form_service.messages import Form

log = logging.getLogger(__name__)

PAGES = {
    400: ("请求无法处理", Form.REFUSED),
    403: ("无法访问", "您没有权限访问这个页面。"),
    404: ("页面不存在", "没有找到这个页面,请检查地址,或从首页重新进入。"),
    405: ("请求无法处理", "这个地址不接受这种请求。"),
    413: ("提交的内容太多", "提交的内容超过了允许的大小,请删减后重新提交。"),
    429: ("操作太频繁", Form.TOO_MANY),
    500: ("系统出错了", "系统出了问题,您的操作可能没有完成。请稍后再试,或拨打电话咨询。"),
    503: ("系统繁忙", Form.BUSY),
}
# A page that only reads (nothing was being submitted) when the database does not answer.
BUSY_READING = "系统繁忙,请稍后刷新页面再试。"


def error_page(
    code: int, *, detail: str | None = None, ticket: str | None = None
) -> ResponseReturnValue:
    title, message = PAGES.get(code, PAGES[500])
    if request.path.startswith("/api/"):
        return jsonify({"error": title, "message": detail or message}), code
    page = render_template(
        "errors/error.html", title=title, message=detail or message, code=code, ticket=ticket
    )
    return page, code


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return error_page(exc.code or 500)


# Flask-WTF's reasons (CSRFError.description), each told as what happened.
CSRF_REASONS = {
    "The CSRF token has expired.": Form.EXPIRED,
    "The CSRF token is missing.": Form.TOKEN_MISSING,
    "The CSRF session token is missing.": Form.NO_COOKIE,
    "The CSRF token is invalid.": Form.TOKEN_FOREIGN,
    "The CSRF tokens do not match.": Form.TOKEN_FOREIGN,
    "The referrer header is missing.": Form.WRONG_ORIGIN,
    "The referrer does not match the host.": Form.WRONG_ORIGIN,
}


def csrf_message(exc: CSRFError) -> str:
    """Say why a form's CSRF check failed: expired, missing, another browser's, no cookie."""
    return CSRF_REASONS.get(str(exc.description), Form.TOKEN_FOREIGN)


def _csrf_error(exc: CSRFError) -> ResponseReturnValue:
    return error_page(400, detail=csrf_message(exc))


def _store_unavailable(exc: sa.exc.OperationalError) -> ResponseReturnValue:
    # The database is down, restarting, locked or full: say "busy", never "error" (DUR-10).
    log.error(
        "store unavailable on %s %s: %s", request.method, request.path, type(exc.orig).__name__
    )
    return error_page(503, detail=None if request.method == "POST" else BUSY_READING)


def _unexpected(exc: Exception) -> ResponseReturnValue:
    ticket = uuid.uuid4().hex[:8]
    # The engine hides SQL parameters, so the traceback carries no submitted values.
    log.error(
        "unhandled %s on %s %s, ticket %s",
        type(exc).__name__,
        request.method,
        request.path,
        ticket,
        exc_info=exc,
    )
    return error_page(500, ticket=ticket)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sa.exc.OperationalError, _store_unavailable)
    app.register_error_handler(Exception, _unexpected)
