"""Idempotency keys, stored in the same transaction as the effect they guard.

Same key and same body: the first result again, no second effect. Same key, other body:
IDEMPOTENCY_KEY_REUSED. Keys are scoped (per wallet, per merchant) so callers cannot collide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from sqlalchemy import Connection, insert, select, update

from pos.core.errors import IdempotencyKeyReused, InvalidInput
from pos.core.journal import canonical_json
from pos.core.store.schema import idempotency_keys

MAX_KEY_LENGTH = 255


def body_hash(operation: str, body: dict) -> str:
    return hashlib.sha256(canonical_json({"op": operation, "body": body}).encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            f"an idempotency key is 1-{MAX_KEY_LENGTH} printable characters", code="INVALID_IDEMPOTENCY_KEY"
        )
    return key


def run(
    core,
    *,
    scope: str,
    key: str | None,
    operation: str,
    body: dict,
    effect: Callable[[Connection], dict],
) -> dict:
    """Run ``effect`` once per (scope, key) in one write transaction and return its JSON result."""
    key = check_key(key)
    digest = body_hash(operation, body)

    def transaction(conn: Connection) -> dict:
        if key is None:
            return json.loads(canonical_json(effect(conn)))
        where = (idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        row = conn.execute(select(idempotency_keys.c.body_hash, idempotency_keys.c.response).where(*where)).first()
        if row is not None:
            if row.body_hash != digest:
                raise IdempotencyKeyReused(f"idempotency key {key!r} was already used with a different request")
            return json.loads(row.response)
        # Claim the key before the effect: a concurrent twin blocks on this row until we commit,
        # then fails on the unique key, is rerun by Database.transact, and replays our result.
        conn.execute(
            insert(idempotency_keys).values(scope=scope, key=key, body_hash=digest, response="", created_at=core.now())
        )
        text = canonical_json(effect(conn))
        conn.execute(update(idempotency_keys).where(*where).values(response=text))
        return json.loads(text)  # the exact shape a replay returns

    return core.db.transact(transaction)
