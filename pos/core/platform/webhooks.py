"""Webhooks: endpoints a merchant registers, signed deliveries of its events, retries, resends.

Deliveries are queued by :mod:`pos.core.events` in the event's own transaction (the outbox), so a
crash between "paid" and "told the merchant" loses nothing. A sender (``qrpos worker``) claims due
deliveries with a lease, POSTs them, and records every attempt here. Delivery is at least once:
receivers deduplicate by the event id, which a retry or a resend never changes.

Signature: ``Qrpos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`` keyed
with the endpoint's secret; :func:`verify` is the reference check (constant-time, with a tolerance
against replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Row, Select, bindparam, insert, select, update

from pos.core.errors import InvalidInput, NotFound
from pos.core.platform import webhook_targets
from pos.core.platform.clock import US, iso
from pos.core.platform.context import Core
from pos.core.platform.journal import canonical_json
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import events, webhook_attempts, webhook_deliveries, webhook_endpoints

# Seconds to wait after the n-th failed attempt; the first attempt is immediate. After the last
# entry the delivery is marked failed (it can still be resent by hand).
RETRY_SCHEDULE = (10, 60, 300, 1800, 7200, 21600, 86400)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
LEASE_SECONDS = 60  # a claimed delivery is due again after this if its sender died mid-flight
SIGNATURE_HEADER = "Qrpos-Signature"
SIGNATURE_TOLERANCE = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Qrpos-Signature`` header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = SIGNATURE_TOLERANCE) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is at most ``tolerance`` seconds old."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError, AttributeError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _check_url(url: object) -> str:
    if not isinstance(url, str) or len(url) > 500:
        raise InvalidInput("a webhook URL is at most 500 characters", code="INVALID_URL")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("a webhook URL must be an absolute http(s) URL", code="INVALID_URL")
    return url


def endpoint_view(row: Row[Any], *, secret: bool = False) -> View:
    data: View = {"id": row.id, "object": "webhook_endpoint", "url": row.url,
                  "status": "disabled" if row.disabled_at else "enabled", "created_at": iso(row.created_at)}
    if secret:
        data["secret"] = row.secret
    return data


def register_endpoint(core: Core, *, merchant_id: str, url: str) -> View:
    """Add an endpoint; its signing secret is returned only here."""
    _check_url(url)
    webhook_targets.check_registration(url, allow_private=core.settings.webhooks_allow_private)
    endpoint_id, secret = core.ids.new("we", 16), "whsec_" + core.ids.secret_hex(24)

    def effect(uow: UnitOfWork) -> View:
        uow.conn.execute(insert(webhook_endpoints).values(id=endpoint_id, merchant_id=merchant_id, url=url,
                                                          secret=secret, created_at=uow.now))
        uow.journal("webhook_endpoint.registered", {"merchant": merchant_id, "endpoint": endpoint_id, "url": url})
        return endpoint_view(_endpoint_row(uow.conn, merchant_id, endpoint_id), secret=True)

    return core.transact(effect)


def _endpoint_row(conn: Connection, merchant_id: str, endpoint_id: str) -> Row[Any]:
    row = conn.execute(select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)).first()
    if row is None or row.merchant_id != merchant_id:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist", code="WEBHOOK_ENDPOINT_NOT_FOUND")
    return row


def list_endpoints(core: Core, *, merchant_id: str) -> list[View]:
    with core.db.read() as conn:
        rows = conn.execute(select(webhook_endpoints).where(webhook_endpoints.c.merchant_id == merchant_id)
                            .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id))
        return [endpoint_view(r) for r in rows]


def disable_endpoint(core: Core, *, merchant_id: str, endpoint_id: str) -> View:
    """Stop queueing new events for an endpoint (deliveries already queued still go out)."""

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        _endpoint_row(conn, merchant_id, endpoint_id)
        conn.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id,
                                                     webhook_endpoints.c.disabled_at.is_(None))
                     .values(disabled_at=uow.now))
        uow.journal("webhook_endpoint.disabled", {"merchant": merchant_id, "endpoint": endpoint_id})
        return endpoint_view(_endpoint_row(conn, merchant_id, endpoint_id))

    return core.transact(effect)


def event_view(row: Row[Any]) -> View:
    """An event as webhooks and SSE carry it."""
    return {"id": row.id, "object": "event", "type": row.type, "created_at": iso(row.created_at),
            "request_id": row.request_id, "payment_id": row.payment_id, "data": json.loads(row.body)}


def claim_due(core: Core, *, limit: int = 20) -> list[dict[str, object]]:
    """Deliveries due now, each leased to the caller so that a second sender skips it."""
    query = (
        select(webhook_deliveries, webhook_endpoints.c.url, webhook_endpoints.c.secret)
        .join(webhook_endpoints, webhook_endpoints.c.id == webhook_deliveries.c.endpoint_id)
        .join(events, events.c.id == webhook_deliveries.c.event_id)
        .where(webhook_deliveries.c.status == "pending", webhook_deliveries.c.next_attempt_at <= bindparam("now"))
        .order_by(webhook_deliveries.c.next_attempt_at, events.c.seq)
        .limit(limit)
    )

    def effect(uow: UnitOfWork) -> list[dict[str, object]]:
        conn, now = uow.conn, uow.now
        claimed: list[dict[str, object]] = []
        for row in conn.execute(query, {"now": now}).mappings().all():
            leased = conn.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.id == row["id"], webhook_deliveries.c.status == "pending",
                       webhook_deliveries.c.next_attempt_at == row["next_attempt_at"])
                .values(next_attempt_at=now + LEASE_SECONDS * US, updated_at=now)
            )
            if leased.rowcount == 1:
                event = conn.execute(select(events).where(events.c.id == row["event_id"])).one()
                claimed.append({"delivery_id": row["id"], "event_id": row["event_id"], "url": row["url"],
                                "secret": row["secret"], "attempt": row["attempts"] + 1,
                                "body": canonical_json(event_view(event))})
        return claimed

    return core.transact(effect)


def record_attempt(
    core: Core, *, delivery_id: str, status_code: int | None, error: str | None, duration_us: int
) -> View:
    """Log one attempt; a 2xx succeeds, anything else is retried on :data:`RETRY_SCHEDULE`."""

    def effect(uow: UnitOfWork) -> View:
        conn, now = uow.conn, uow.now
        row = conn.execute(select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)).one()
        attempts = row.attempts + 1
        ok = status_code is not None and 200 <= status_code < 300
        if ok:
            status, next_at = "succeeded", None
        elif attempts >= MAX_ATTEMPTS:
            status, next_at = "failed", None
        else:
            status, next_at = "pending", now + RETRY_SCHEDULE[attempts - 1] * US
        conn.execute(insert(webhook_attempts).values(delivery_id=delivery_id, attempted_at=now,
                                                     status_code=status_code, error=(error or None) and error[:500],
                                                     duration_us=duration_us))
        conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id).values(
            status=status, attempts=attempts, next_attempt_at=next_at, last_status_code=status_code,
            last_error=(error or None) and error[:500], updated_at=now))
        return {"delivery_id": delivery_id, "status": status, "attempts": attempts, "next_attempt_at": iso(next_at)}

    return core.transact(effect)


def _delivery_view(conn: Connection, row: Row[Any]) -> View:
    tries = conn.execute(select(webhook_attempts).where(webhook_attempts.c.delivery_id == row.id)
                         .order_by(webhook_attempts.c.id)).all()
    return {
        "id": row.id, "object": "webhook_delivery", "endpoint_id": row.endpoint_id, "event_id": row.event_id,
        "status": row.status, "attempts": row.attempts, "next_attempt_at": iso(row.next_attempt_at),
        "last_status_code": row.last_status_code, "last_error": row.last_error,
        "created_at": iso(row.created_at),
        "attempt_log": [{"attempted_at": iso(a.attempted_at), "status_code": a.status_code, "error": a.error,
                         "duration_ms": round(a.duration_us / 1000, 1)} for a in tries],
    }


def _merchant_deliveries(merchant_id: str) -> Select[Any]:
    return (select(webhook_deliveries)
            .join(webhook_endpoints, webhook_endpoints.c.id == webhook_deliveries.c.endpoint_id)
            .where(webhook_endpoints.c.merchant_id == merchant_id))


def list_deliveries(core: Core, *, merchant_id: str, event_id: str | None = None, status: str | None = None,
                    limit: int = 50) -> list[View]:
    """Recent deliveries with their attempt log, newest first."""
    query = _merchant_deliveries(merchant_id)
    if event_id is not None:
        query = query.where(webhook_deliveries.c.event_id == event_id)
    if status is not None:
        query = query.where(webhook_deliveries.c.status == status)
    query = query.order_by(webhook_deliveries.c.created_at.desc(), webhook_deliveries.c.id.desc()).limit(limit)
    with core.db.read() as conn:
        return [_delivery_view(conn, r) for r in conn.execute(query).all()]


def resend(core: Core, *, merchant_id: str, delivery_id: str) -> View:
    """Queue a delivery again now, with a fresh retry schedule (same event id, so receivers dedupe)."""

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        row = conn.execute(_merchant_deliveries(merchant_id).where(webhook_deliveries.c.id == delivery_id)).first()
        if row is None:
            raise NotFound(f"webhook delivery {delivery_id} does not exist", code="WEBHOOK_DELIVERY_NOT_FOUND")
        conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id).values(
            status="pending", attempts=0, next_attempt_at=uow.now, updated_at=uow.now))
        return _delivery_view(conn, conn.execute(select(webhook_deliveries)
                                                 .where(webhook_deliveries.c.id == delivery_id)).one())

    return core.transact(effect)
