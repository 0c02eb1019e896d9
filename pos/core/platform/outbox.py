"""The outbox: every request and payment event is written in the same transaction as the change,
so that live status (SSE), webhooks and audits never miss one nor see one that was rolled back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, text

from pos.core.platform.journal import canonical_json
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store.prepared import Prepared
from pos.core.store.schema import events, webhook_deliveries, webhook_endpoints

_EVENT_COLUMNS = ("id", "merchant_id", "request_id", "payment_id", "type", "body", "created_at")
_INSERT_EVENT = Prepared(insert(events).values({c: bindparam(c) for c in _EVENT_COLUMNS}))
_INSERT_DELIVERY = insert(webhook_deliveries)
# PostgreSQL delivers a NOTIFY at commit, and only then, to every listening process (pos.web.live):
# live status wakes at once, in every server process. The payload names whom to wake, nothing more.
_NOTIFY = text("SELECT pg_notify('qrpos_events', :ids)")
_ENDPOINTS = Prepared(
    select(webhook_endpoints.c.id).where(
        webhook_endpoints.c.merchant_id == bindparam("merchant"), webhook_endpoints.c.disabled_at.is_(None)
    )
)


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, object]
    request_id: str | None = None
    payment_id: str | None = None


def record(
    uow: UnitOfWork,
    type_: str,
    *,
    merchant_id: str,
    data: dict[str, object],
    request_id: str | None = None,
    payment_id: str | None = None,
) -> str:
    return record_many(uow, merchant_id, [Event(type_, data, request_id, payment_id)])[0]


def record_many(uow: UnitOfWork, merchant_id: str, batch: list[Event]) -> list[str]:
    """Write events and queue one webhook delivery per event and active endpoint."""
    conn, now = uow.conn, uow.now
    rows = [
        {"id": uow.ids.new("evt"), "merchant_id": merchant_id, "request_id": e.request_id,
         "payment_id": e.payment_id, "type": e.type, "body": canonical_json(e.data), "created_at": now}
        for e in batch
    ]
    _INSERT_EVENT.many(conn, rows)
    if conn.dialect.name == "postgresql":
        ids = " ".join(dict.fromkeys([merchant_id, *(str(row["request_id"]) for row in rows if row["request_id"])]))
        conn.execute(_NOTIFY, {"ids": ids if len(ids) < 8000 else "*"})  # 8000 bytes at most; "*": everyone
    endpoint_ids = [row[0] for row in _ENDPOINTS.all(conn, {"merchant": merchant_id})]
    if endpoint_ids:
        conn.execute(
            _INSERT_DELIVERY,
            [
                {"id": uow.ids.new("whd", 16), "endpoint_id": endpoint_id, "event_id": row["id"],
                 "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now, "updated_at": now}
                for row in rows
                for endpoint_id in endpoint_ids
            ],
        )
    return [str(row["id"]) for row in rows]
