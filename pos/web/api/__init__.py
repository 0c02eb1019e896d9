"""The JSON API, /api/v1: one blueprint per area, each view a thin call into the core."""

from __future__ import annotations

import re

from pos.core import limits
from pos.web.errors import CODE_BY_STATUS

ERROR_DESCRIPTIONS = {
    400: "The body is not JSON (INVALID_JSON), or nests deeper than 32 levels (JSON_TOO_DEEP).",
    401: "Missing or bad credentials (UNAUTHORIZED, BAD_API_KEY, BAD_TOKEN, BAD_CREDENTIALS).",
    402: "Declined: not enough money or miles, or a refund larger than what is left.",
    404: "No such object for this caller (another merchant's or wallet's objects are 404 too).",
    409: "Right request at the wrong moment: already paid, expired, cancelled, or IDEMPOTENCY_KEY_REUSED.",
    413: "The body is larger than 64 KiB (REQUEST_TOO_LARGE).",
    422: "Values are wrong (VALIDATION_ERROR with details, or a core code such as INVALID_AMOUNT).",
    429: "Rate limited (RATE_LIMITED), or a wallet locked by wrong PINs (WALLET_LOCKED, with details.retry_after); "
         "wait for Retry-After seconds.",
}
assert set(ERROR_DESCRIPTIONS) <= set(CODE_BY_STATUS)

RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}


def document(bp, summary: str, *, auth: str | None = None, errors=(), idempotent=False, description=None,
             responses=None):
    """One ``bp.doc`` per view: security, the error responses it can give, the Idempotency-Key header."""
    codes = set(errors) | {422, 429} | ({401} if auth else set()) | ({409} if idempotent else set())
    codes |= {413} if 400 in codes else set()  # a JSON body is bounded (pos.web.bounds)
    documented: dict[int, object] = {code: ERROR_DESCRIPTIONS[code] for code in sorted(codes)}
    documented[429] = {"description": ERROR_DESCRIPTIONS[429], "headers": RETRY_AFTER,
                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPError"}}}}
    documented.update(responses or {})

    def decorator(view):
        view = bp.doc(summary=summary, description=description, security=auth, responses=documented)(view)
        view._qrpos_idempotent = idempotent
        return view

    return decorator


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": f"Retry-safe key (1-{limits.IDEMPOTENCY_KEY_MAX_LENGTH} printable characters): the same key and "
    "body give the first response again, byte for byte; the same key with another body is 409 IDEMPOTENCY_KEY_REUSED.",
    "schema": {"type": "string", "minLength": 1, "maxLength": limits.IDEMPOTENCY_KEY_MAX_LENGTH,
               "pattern": limits.IDEMPOTENCY_KEY_PATTERN},
}


def add_idempotency_headers(app, spec: dict) -> dict:
    """Document the Idempotency-Key header on every view marked idempotent."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "_qrpos_idempotent", False):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = spec["paths"].get(path, {}).get(method.lower())
            if operation is not None:
                operation.setdefault("parameters", []).append(IDEMPOTENCY_HEADER)
    return spec


def register(app):
    from pos.web.api import meta, payment_requests, payments, sessions, wallet, webhooks

    blueprints = [meta.bp, sessions.bp, payment_requests.bp, payments.bp, wallet.bp, webhooks.bp]
    for bp in blueprints:
        app.register_blueprint(bp)
    app.spec_processor(lambda spec: add_idempotency_headers(app, spec))
    credential = [payment_requests.bp, payments.bp, wallet.bp, webhooks.bp]
    return {"all": blueprints, "credential": credential, "sign_in": sessions.bp}
