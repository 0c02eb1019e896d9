"""The platform's tables: idempotency keys (one per scope), the hash-chained journal and its head, the events
feed, and the keys that sign QR payloads.

Part of :mod:`pos.core.store.schema`, which re-exports every table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from pos.core.store.metadata import Ts, metadata

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(60), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("body_hash", String(64), nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", Ts, nullable=False),
)

journal = Table(
    "journal",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("body", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("created_at", Ts, nullable=False),
)

# One row: the chain's head. Appending locks it, which orders every journal write.
journal_head = Table(
    "journal_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # delivery order (SSE, webhooks)
    Column("id", String(24), nullable=False, unique=True),
    Column("merchant_id", String(20), nullable=False),
    Column("request_id", String(25)),
    Column("payment_id", String(24)),
    Column("type", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", Ts, nullable=False),
    Index("ix_events_request", "request_id", "created_at"),
    Index("ix_events_merchant", "merchant_id", "created_at"),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("key_id", String(8), primary_key=True),
    Column("secret", String(128), nullable=False),  # hex
    Column("active", Boolean, nullable=False),
    Column("created_at", Ts, nullable=False),
)
