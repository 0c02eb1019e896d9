"""Bearer credentials: merchants (and their terminals) by API key, wallets by session token.

The views read ``g.merchant`` (``{"merchant_id", "terminal_id"}``) or ``g.wallet_id``.
"""

from __future__ import annotations

import functools

from flask import current_app, g, request

from pos.core import parties
from pos.core.errors import Unauthorized
from pos.core.parties import sessions


def core():
    return current_app.extensions["qrpos.core"]


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _require_token() -> str:
    token = bearer_token()
    if token is None:
        raise Unauthorized("send 'Authorization: Bearer <credential>'", code="UNAUTHORIZED")
    return token


def merchant_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.merchant = parties.authenticate_api_key(core(), _require_token())
        return view(*args, **kwargs)

    return wrapper


def wallet_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.wallet_id = sessions.authenticate(core(), _require_token())
        return view(*args, **kwargs)

    return wrapper


def idempotency_key() -> str | None:
    return request.headers.get("Idempotency-Key")
