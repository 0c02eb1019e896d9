"""The outbox: every request and payment event is written in the same transaction as the change,
so that live status (SSE), webhooks and audits never miss one nor see one that was rolled back."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from pos.core.journal import canonical_json
from pos.core.store.schema import events


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
    return event_id
