"""Idempotency keys, stored in the same transaction as the effect they guard.

Same key and same body: the first result again, no second effect. Same key, other body:
IDEMPOTENCY_KEY_REUSED. Keys are scoped (per wallet, per merchant) so callers cannot collide.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos.core.errors import IdempotencyKeyReused, InvalidInput
from pos.core.limits import IDEMPOTENCY_KEY_MAX_LENGTH, is_idempotency_key
from pos.core.platform.journal import canonical_json
from pos.core.platform.unit_of_work import Effect, UnitOfWork
from pos.core.shapes import View
from pos.core.store.prepared import Prepared
from pos.core.store.schema import idempotency_keys

if TYPE_CHECKING:
    from pos.core.platform.context import Core

MAX_KEY_LENGTH = IDEMPOTENCY_KEY_MAX_LENGTH

_MATCH = (idempotency_keys.c.scope == bindparam("idem_scope"), idempotency_keys.c.key == bindparam("idem_key"))
_FIND = Prepared(select(idempotency_keys.c.body_hash, idempotency_keys.c.response).where(*_MATCH))
_CLAIM = Prepared(
    sqlite_insert(idempotency_keys).values({c.name: bindparam(c.name) for c in idempotency_keys.c})
    .on_conflict_do_nothing(),
    postgresql=postgresql_insert(idempotency_keys).values({c.name: bindparam(c.name) for c in idempotency_keys.c})
    .on_conflict_do_nothing(),
)
_ANSWER = Prepared(update(idempotency_keys).where(*_MATCH).values(response=bindparam("answer")))


def body_hash(operation: str, body: dict[str, object]) -> str:
    return hashlib.sha256(canonical_json({"op": operation, "body": body}).encode()).hexdigest()


def check_key(key: object) -> str | None:
    if key is None:
        return None
    if not is_idempotency_key(key):
        raise InvalidInput(
            f"an idempotency key is 1-{MAX_KEY_LENGTH} printable ASCII characters, no space at either end",
            code="INVALID_IDEMPOTENCY_KEY",
        )
    return key


def run(
    core: Core,
    *,
    scope: str,
    key: str | None,
    operation: str,
    body: dict[str, object],
    effect: Effect[View],
) -> View:
    """Run ``effect`` once per (scope, key) in one write transaction and return its JSON result."""
    key = check_key(key)
    digest = body_hash(operation, body)

    def transaction(uow: UnitOfWork) -> View:
        conn = uow.conn
        if key is None:
            return json.loads(canonical_json(effect(uow)))
        ident = {"idem_scope": scope, "idem_key": key}
        # Claim the key before the effect. A concurrent twin's claim waits on our row until we
        # commit, then claims nothing and replays our answer; a key seen before replays at once.
        claim = {"scope": scope, "key": key, "body_hash": digest, "response": "", "created_at": uow.now}
        if _CLAIM.rowcount(conn, claim) != 1:
            row = _FIND.one(conn, ident)
            if row.body_hash != digest:
                raise IdempotencyKeyReused(f"idempotency key {key!r} was already used with a different request")
            return json.loads(row.response)
        text = canonical_json(effect(uow))
        _ANSWER.rowcount(conn, {**ident, "answer": text})
        return json.loads(text)  # the exact shape a replay returns

    return core.transact(transaction)
