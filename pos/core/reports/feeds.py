"""Event feeds for screens: everything that happens at one terminal, in order, from a cursor.

The customer display follows its till with this feed (the till's own page follows one request with
:func:`pos.core.reports.request_events`). Events come from the outbox, so a screen never shows a
change that was rolled back, and a reconnecting screen resumes at its ``Last-Event-ID``.
"""

from __future__ import annotations

from sqlalchemy import func, select

from pos.core.payments import states
from pos.core.platform.context import Core
from pos.core.platform.webhooks import event_view
from pos.core.shapes import View
from pos.core.store.schema import events, payment_requests


def terminal_events(core: Core, *, merchant_id: str, terminal_id: str, after_seq: int = 0,
                    limit: int = 100) -> list[tuple[int, View]]:
    with core.db.read() as conn:
        rows = conn.execute(
            select(events).join(payment_requests, payment_requests.c.id == events.c.request_id)
            .where(events.c.merchant_id == merchant_id, payment_requests.c.terminal_id == terminal_id,
                   events.c.seq > after_seq)
            .order_by(events.c.seq).limit(limit)
        ).all()
    return [(r.seq, event_view(r)) for r in rows]


def terminal_state(core: Core, *, merchant_id: str, terminal_id: str) -> View:
    """Where a screen joining now starts: the feed's cursor and the request still open, if any."""
    with core.db.read() as conn:
        cursor = conn.execute(select(func.max(events.c.seq)).where(events.c.merchant_id == merchant_id)).scalar()
        row = conn.execute(
            select(payment_requests.c.id, payment_requests.c.status)
            .where(payment_requests.c.merchant_id == merchant_id, payment_requests.c.terminal_id == terminal_id,
                   payment_requests.c.kind == "dynamic")
            .order_by(payment_requests.c.created_at.desc()).limit(1)
        ).first()
    open_request = row.id if row is not None and row.status in states.OPEN else None
    return {"cursor": int(cursor or 0), "open_request_id": open_request}
