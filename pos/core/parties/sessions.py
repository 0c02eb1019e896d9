"""Wallet sessions: a PIN buys a bearer token that expires; only the token's SHA-256 is stored.

A stolen database therefore holds no usable token, and an unknown, expired or forged token all get
the same answer, so a caller learns nothing from the difference.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, insert, select

from pos.core.errors import Unauthorized
from pos.core.parties.wallet_lock import authenticate as authenticate_wallet
from pos.core.platform.clock import US, iso
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import wallet_sessions

TOKEN_PREFIX = "ws_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(core: Core, *, wallet_id: str, pin: str) -> View:
    """Check the PIN and open a session; the token is shown only here.

    :raises Unauthorized: BAD_CREDENTIALS for an unknown wallet or a wrong PIN alike; WALLET_LOCKED after a
        few wrong PINs in a row (pos.core.parties.wallet_lock).
    """
    authenticate_wallet(core, wallet_id, pin)
    token = TOKEN_PREFIX + core.ids.token(40)

    def effect(uow: UnitOfWork) -> int:
        now = uow.now
        expires_at = now + uow.settings.session_ttl_seconds * US
        uow.conn.execute(delete(wallet_sessions).where(wallet_sessions.c.expires_at <= now))  # keep the table small
        uow.conn.execute(
            insert(wallet_sessions).values(token_hash=_hash(token), wallet_id=wallet_id, created_at=now,
                                           expires_at=expires_at)
        )
        return expires_at

    expires_at = core.transact(effect)
    return {"object": "session", "token": token, "wallet_id": wallet_id, "expires_at": iso(expires_at)}


def authenticate(core: Core, token: str | None) -> str:
    """The wallet id a live session token belongs to.

    :raises Unauthorized: BAD_TOKEN when the token is unknown, malformed or expired.
    """
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthorized("session token is not valid; sign in again", code="BAD_TOKEN")
    with core.db.read() as conn:
        row = conn.execute(
            select(wallet_sessions.c.wallet_id, wallet_sessions.c.expires_at).where(
                wallet_sessions.c.token_hash == _hash(token)
            )
        ).first()
    if row is None or row.expires_at <= core.now():
        raise Unauthorized("session token is not valid; sign in again", code="BAD_TOKEN")
    return str(row.wallet_id)


def sign_out(core: Core, token: str) -> None:
    """End a session now (the token stops working at once)."""

    def effect(uow: UnitOfWork) -> None:
        uow.conn.execute(delete(wallet_sessions).where(wallet_sessions.c.token_hash == _hash(token)))

    core.transact(effect)
