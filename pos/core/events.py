"""The outbox: every request and payment event is written in the same transaction as the change,
so that live status (SSE), webhooks and audits never miss one nor see one that was rolled back."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from pos.core.journal import canonical_json
from pos.core.store.schema import events, webhook_deliveries, webhook_endpoints


def record(
    conn: Connection,
    core,
    type_: str,
    *,
    merchant_id: str,
    data: dict,
    request_id: str | None = None,
    payment_id: str | None = None,
) -> str:
    event_id = core.ids.new("evt")
    conn.execute(
        insert(events).values(
            id=event_id,
            merchant_id=merchant_id,
            request_id=request_id,
            payment_id=payment_id,
            type=type_,
            body=canonical_json(data),
            created_at=core.now(),
        )
    )
    _queue_webhooks(conn, core, merchant_id, event_id)
    return event_id


def _queue_webhooks(conn: Connection, core, merchant_id: str, event_id: str) -> None:
    """One pending delivery per active endpoint, in the event's own transaction."""
    endpoint_ids = conn.execute(
        select(webhook_endpoints.c.id).where(
            webhook_endpoints.c.merchant_id == merchant_id, webhook_endpoints.c.disabled_at.is_(None)
        )
    ).scalars().all()
    now = core.now()
    for endpoint_id in endpoint_ids:
        conn.execute(
            insert(webhook_deliveries).values(
                id=core.ids.new("whd", 16), endpoint_id=endpoint_id, event_id=event_id, status="pending",
                attempts=0, next_attempt_at=now, created_at=now, updated_at=now,
            )
        )
