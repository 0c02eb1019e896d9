"""Errors to HTTP, in this one place. Every API error is ``{"error": {"code", "message"}}``.

    core error (pos.core.errors)      HTTP
    InvalidInput, PayloadError        422  the request was understood but its values are wrong
    NotFound                          404  also for another merchant's or wallet's objects
    WalletLocked                      429  with ``Retry-After`` (the lock's seconds left, also in
                                           ``details.retry_after``): come back later, as for rate limits
    Unauthorized                      401  with ``WWW-Authenticate: Bearer``
    StateConflict                     409  right request, wrong moment (paid, expired, key reused)
    Declined                          402  the payer's money or miles cannot cover it; a refund
                                           larger than what is left
    anything else                     500  a bug (INTERNAL_ERROR)

Unparseable bodies are 400 INVALID_JSON; schema violations 422 VALIDATION_ERROR with ``details``;
429 RATE_LIMITED carries ``Retry-After``. A database that cannot be reached (connection refused or lost,
the pool exhausted) is 503 DATABASE_UNAVAILABLE with ``Retry-After``, mapped here once for every view:
nothing unacknowledged is promised, a retry with the same ``Idempotency-Key`` is done at most once, and
the pool reconnects by itself. Pages outside ``/api`` get a friendly HTML page in the UI's
language (:mod:`pos.web.page_errors`), never a traceback.
"""

from __future__ import annotations

import logging

from flask import request
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sql_errors
from werkzeug.exceptions import HTTPException, InternalServerError

from pos.core import errors as core_errors
from pos.web import page_errors
from pos.web.jsonio import render

log = logging.getLogger(__name__)

STATUS_BY_ERROR = (
    (core_errors.InvalidInput, 422),
    (core_errors.PayloadError, 422),
    (core_errors.NotFound, 404),
    (core_errors.WalletLocked, 429),  # before Unauthorized, its parent: right credentials, wrong moment
    (core_errors.Unauthorized, 401),
    (core_errors.StateConflict, 409),
    (core_errors.Declined, 402),
)

# The DB-API's OperationalError is "not under the programmer's control" (a lost or refused connection, the
# server shutting down, SQLite's busy timeout); InterfaceError is a connection already closed; the pool's
# TimeoutError is no connection free in time. Every one is transient: come back shortly.
UNAVAILABLE = (sql_errors.OperationalError, sql_errors.InterfaceError, sql_errors.DisconnectionError,
               sql_errors.TimeoutError)
DATABASE_RETRY_AFTER_SECONDS = 2

CODE_BY_STATUS = {
    400: "INVALID_JSON", 401: "UNAUTHORIZED", 402: "DECLINED", 403: "FORBIDDEN", 404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 409: "CONFLICT", 413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE", 422: "VALIDATION_ERROR",
    429: "RATE_LIMITED", 500: "INTERNAL_ERROR", 503: "SERVICE_UNAVAILABLE",
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["REQUEST_EXPIRED"]},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


def status_for(error: core_errors.QrposError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 500


def retry_after(error: core_errors.QrposError) -> int | None:
    """Whole seconds to wait before trying again, for an error that says so (never 0), else None."""
    seconds = getattr(error, "retry_after", None)
    return max(1, int(seconds)) if seconds is not None else None


def error_response(status: int, code: str, message: str, *, details=None, headers=None):
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    return render({"error": body}, status, headers)


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _wants_json() -> bool:
    """The API, and the pages' own fetch() calls (JSON bodies or Accept: application/json)."""
    return _is_api() or request.is_json or request.accept_mimetypes.best == "application/json"


def init_app(app) -> None:
    @app.errorhandler(core_errors.QrposError)
    def core_error(error: core_errors.QrposError):
        status = status_for(error)
        if status == 500:
            log.error("core invariant broken: %s", error.message)
        retry = retry_after(error)
        headers = {"Retry-After": str(retry)} if retry else {}
        if not _is_api() and _wants_json():  # a page's fetch(): the code, and the message in its language
            text = page_errors.MESSAGES.get(error.code)
            return error_response(status, error.code, str(text) if text else error.message, headers=headers)
        if not _is_api():
            return page_errors.page(status, code=error.code, message=error.message, headers=headers or None)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        details = {"retry_after": retry} if retry else None
        return error_response(status, error.code, error.message, details=details, headers=headers or None)

    @app.error_processor
    def apiflask_error(error):  # validation errors and apiflask.abort
        status = error.status_code
        code = CODE_BY_STATUS.get(status, "HTTP_ERROR")
        message = "the request does not match the API schema" if status == 422 else error.message
        return error_response(status, code, message, details=error.detail or None, headers=error.headers)

    # after error_processor, which would otherwise turn every page's errors into JSON
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return page_errors.page(400, code="CSRF")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if not _wants_json():
            return page_errors.page(status, headers=headers)
        message = error.description if status != 500 else "internal error: this is a bug"
        return error_response(status, CODE_BY_STATUS.get(status, "HTTP_ERROR"), message, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        if isinstance(error, UNAVAILABLE):
            return database_unavailable(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return http_error(InternalServerError())


def database_unavailable(error: Exception):
    """503 DATABASE_UNAVAILABLE with ``Retry-After``: JSON for the API and fetch(), a friendly page otherwise."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__]
    log.warning("database unavailable on %s %s: %s", request.method, request.path, reason[0])
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
    if not _wants_json():
        return page_errors.page(503, code="DATABASE_UNAVAILABLE", headers=headers)
    text = page_errors.MESSAGES["DATABASE_UNAVAILABLE"]
    message = str(text) if not _is_api() else (
        "the database cannot be reached just now; try again shortly (a write retried with the same Idempotency-Key "
        "is done at most once)")
    return error_response(503, "DATABASE_UNAVAILABLE", message, headers=headers)
