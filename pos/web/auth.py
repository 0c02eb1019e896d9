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


def _credential_required(authenticate, name: str):
    """A view decorator: authenticate the bearer token with ``authenticate`` and keep what it returns in ``g``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            setattr(g, name, authenticate(core(), _require_token()))
            return view(*args, **kwargs)

        return wrapper

    return decorator


#: the API key's merchant and terminal in ``g.merchant``
merchant_required = _credential_required(parties.authenticate_api_key, "merchant")
#: the session's wallet id in ``g.wallet_id``
wallet_required = _credential_required(sessions.authenticate, "wallet_id")


def merchant_id() -> str:
    """The merchant whose API key signed this request (in a view under :data:`merchant_required`)."""
    return g.merchant["merchant_id"]


def terminal_id() -> str:
    """The terminal whose API key signed this request (every key is issued to a terminal)."""
    return g.merchant["terminal_id"]


def idempotency_key() -> str | None:
    return request.headers.get("Idempotency-Key")
