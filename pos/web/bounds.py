"""Request bounds, checked before a body is read or parsed, so no input can cost a 500 or a heap.

    bound            default         refusal
    API body         64 KiB          413 REQUEST_TOO_LARGE, from Content-Length alone (nothing is read);
                                     a chunked body is read up to one byte past the bound
    any body         1 MiB           413 (pages: Werkzeug's answer; MAX_CONTENT_LENGTH)
    JSON nesting     32 levels       400 JSON_TOO_DEEP, from a linear scan before ``json.loads`` recurses
    header block     32 KiB          431 HEADERS_TOO_LARGE from the server before the app runs (pos.serving.refusals)

Every JSON parse of the app goes through :class:`BoundedJSONProvider` (``request.get_json`` anywhere,
including the rate limiter's look at a sign-in body), so the depth bound has no way around it.
Settings: ``QRPOS_API_MAX_BODY_BYTES``, ``QRPOS_MAX_CONTENT_LENGTH``, ``QRPOS_JSON_MAX_DEPTH``,
``QRPOS_SERVER_MAX_HEADER_BYTES``.
"""

from __future__ import annotations

import json
import re

from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

DEFAULTS = {"API_MAX_BODY_BYTES": 64 * 1024, "MAX_CONTENT_LENGTH": 1024 * 1024, "JSON_MAX_DEPTH": 32,
            "SERVER_MAX_HEADER_BYTES": 32 * 1024}

_STRUCTURE = re.compile(r'[\[\]{}"]')
_STRING_REST = re.compile(r'(?:[^"\\]++|\\.)*+"', re.DOTALL)  # possessive: linear even when unterminated


class BoundExceeded(HTTPException):
    """A request over one of the bounds; ``error_code`` is the API's stable code for it."""

    error_code = "REQUEST_REFUSED"


class BodyTooLarge(BoundExceeded):
    code = 413
    error_code = "REQUEST_TOO_LARGE"


class JsonTooDeep(BoundExceeded):
    code = 400
    error_code = "JSON_TOO_DEEP"


def nesting_exceeds(text: str, limit: int) -> bool:
    """True when JSON ``text`` opens more than ``limit`` arrays/objects inside each other.

    One pass, skipping string contents; no recursion and no backtracking, so its cost is linear in
    the body whatever the body is. Invalid JSON is left for the parser to refuse.
    """
    depth, pos = 0, 0
    while (found := _STRUCTURE.search(text, pos)) is not None:
        char, pos = found.group(), found.end()
        if char == '"':
            rest = _STRING_REST.match(text, pos)
            if rest is None:
                return False  # an unterminated string: everything after it is inside it
            pos = rest.end()
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with the nesting bound checked before parsing."""

    def loads(self, s: str | bytes, **kwargs):
        text = s.decode(json.detect_encoding(s), "surrogatepass") if isinstance(s, bytes | bytearray) else s
        limit = int(current_app.config["JSON_MAX_DEPTH"]) if current_app else DEFAULTS["JSON_MAX_DEPTH"]
        if nesting_exceeds(text, limit):
            raise JsonTooDeep(f"JSON nested deeper than {limit} levels")
        return super().loads(text, **kwargs)


def _limit_api_body():
    if not request.path.startswith("/api/"):
        return
    limit = int(current_app.config["API_MAX_BODY_BYTES"])
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"a request body is at most {limit} bytes")
    if request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        # A streamed body: Werkzeug stops reading at max_content_length without an error when the limit
        # falls on a read's end, handing the app a truncated body. Read one byte past the bound instead
        # (the body is cached for the view), and refuse what got that far.
        request.max_content_length = limit + 1
        if len(request.get_data(cache=True)) > limit:
            raise BodyTooLarge(f"a request body is at most {limit} bytes")
    request.max_content_length = limit


def init_app(app) -> None:
    """Install the bounds: config defaults, the JSON provider, the body check, their JSON errors."""
    from pos.web.errors import error_response

    for key, value in DEFAULTS.items():
        if key not in app.config or app.config[key] is None:
            app.config[key] = value
    provider = BoundedJSONProvider(app)
    for name in ("ensure_ascii", "sort_keys", "compact", "mimetype"):
        setattr(provider, name, getattr(app.json, name))
    app.json = provider
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_api_body)  # before auth and rate limits

    @app.errorhandler(BoundExceeded)
    def bound_exceeded(error: BoundExceeded):
        if not request.path.startswith("/api/"):
            return error
        return error_response(error.code or 400, error.error_code, error.description or "request refused")
