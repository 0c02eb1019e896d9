"""The webhook tables: endpoints merchants register, deliveries queued with each event, and every attempt.

Part of :mod:`pos.core.store.schema`, which re-exports every table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table

from pos.core.store.metadata import Ts, metadata

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("url", String(500), nullable=False),
    Column("secret", String(80), nullable=False),
    Column("created_at", Ts, nullable=False),
    Column("disabled_at", Ts),
    Index("ix_webhook_endpoints_merchant", "merchant_id"),
)

# Queued in the same transaction as the event they carry (the outbox), sent by the worker.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("endpoint_id", String(24), ForeignKey("webhook_endpoints.id"), nullable=False),
    Column("event_id", String(24), nullable=False),
    Column("status", String(12), nullable=False),  # pending | succeeded | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Ts),
    Column("last_status_code", Integer),
    Column("last_error", String(500)),
    Column("created_at", Ts, nullable=False),
    Column("updated_at", Ts, nullable=False),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(24), ForeignKey("webhook_deliveries.id"), nullable=False),
    Column("attempted_at", Ts, nullable=False),
    Column("status_code", Integer),
    Column("error", String(500)),
    Column("duration_us", BigInteger, nullable=False),
    Index("ix_webhook_attempts_delivery", "delivery_id"),
)
