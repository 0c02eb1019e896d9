"""Read models: payment listings (merchant and wallet), the daily report, a request's event feed.

Listings page with a cursor (``starting_after`` = the last id seen), newest first, ordered by
(created_at, id) so that a page boundary never skips or repeats a row, even when rows share a time.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, func, or_, select

from pos.core.errors import InvalidInput, NotFound
from pos.core.limits import PAGE_MAX, int_between
from pos.core.parties.merchants import get_merchant_row
from pos.core.payments import states
from pos.core.payments.settlement import payment_view
from pos.core.platform.clock import US
from pos.core.platform.context import Core
from pos.core.platform.webhooks import event_view
from pos.core.shapes import View
from pos.core.store.schema import events, payment_requests, payments, refunds

MAX_PAGE = PAGE_MAX
# Days a report can cover: one day inside the calendar's ends, so that a day's bounds in any time
# zone (up to a day away from UTC) are still dates Python can represent.
FIRST_DAY, LAST_DAY = Date(1, 1, 2), Date(9999, 12, 30)
PAYMENT_STATUSES = states.SETTLED


def list_payments(
    core: Core,
    *,
    merchant_id: str | None = None,
    wallet_id: str | None = None,
    status: str | None = None,
    created_gte: int | None = None,
    created_lt: int | None = None,
    limit: int = 20,
    starting_after: str | None = None,
) -> View:
    """One page of a merchant's (or a wallet's) payments, newest first.

    :param created_gte: / :param created_lt: bounds in epoch microseconds.
    :raises InvalidInput: for a bad limit, status or cursor.
    """
    if (merchant_id is None) == (wallet_id is None):
        raise ValueError("list payments of exactly one merchant or one wallet")
    if not int_between(limit, 1, MAX_PAGE):
        raise InvalidInput(f"limit must be 1-{MAX_PAGE}", code="INVALID_LIMIT")
    if status is not None and status not in PAYMENT_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(PAYMENT_STATUSES)}", code="INVALID_STATUS")
    owner = payments.c.merchant_id == merchant_id if merchant_id else payments.c.wallet_id == wallet_id
    query = select(payments).where(owner)
    if status is not None:
        query = query.where(payments.c.status == status)
    if created_gte is not None:
        query = query.where(payments.c.created_at >= created_gte)
    if created_lt is not None:
        query = query.where(payments.c.created_at < created_lt)
    with core.db.read() as conn:
        if starting_after is not None:
            cursor = conn.execute(select(payments.c.created_at, payments.c.id)
                                  .where(owner, payments.c.id == starting_after)).first()
            if cursor is None:
                raise InvalidInput(f"cursor {starting_after!r} is not one of these payments", code="INVALID_CURSOR")
            query = query.where(or_(payments.c.created_at < cursor.created_at,
                                    and_(payments.c.created_at == cursor.created_at, payments.c.id < cursor.id)))
        rows = conn.execute(query.order_by(payments.c.created_at.desc(), payments.c.id.desc()).limit(limit + 1)).all()
        page = rows[:limit]
        payees = {}
        for row in page:
            if row.merchant_id not in payees:
                payees[row.merchant_id] = get_merchant_row(conn, row.merchant_id)
        data = [payment_view(r, payees[r.merchant_id]) for r in page]
    has_more = len(rows) > limit
    return {"object": "list", "data": data, "has_more": has_more,
            "next_cursor": data[-1]["id"] if has_more else None}


def day_bounds(day: str, tz: str) -> tuple[int, int]:
    """[start, end) of a calendar day in a time zone, in epoch microseconds.

    :raises InvalidInput: INVALID_TIMEZONE, INVALID_DATE, or DATE_OUT_OF_RANGE for a day at the calendar's ends.
    """
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {tz!r}", code="INVALID_TIMEZONE") from None
    try:
        d = Date.fromisoformat(day)
    except (TypeError, ValueError):
        raise InvalidInput(f"date must be YYYY-MM-DD, got {day!r}", code="INVALID_DATE") from None
    if not FIRST_DAY <= d <= LAST_DAY:
        raise InvalidInput(f"date must be between {FIRST_DAY} and {LAST_DAY}, got {day}", code="DATE_OUT_OF_RANGE")
    start = datetime.combine(d, time(), zone)
    end = datetime.combine(d + timedelta(days=1), time(), zone)
    return int(start.timestamp()) * US, int(end.timestamp()) * US


def daily_report(core: Core, *, merchant_id: str, day: str, tz: str = "UTC") -> View:
    """What a merchant took in one day: payments, refunds, fees, net, and requests by status."""
    start, end = day_bounds(day, tz)
    with core.db.read() as conn:
        merchant = get_merchant_row(conn, merchant_id)
        pay = conn.execute(
            select(func.count(), func.coalesce(func.sum(payments.c.amount), 0),
                   func.coalesce(func.sum(payments.c.fee), 0), func.coalesce(func.sum(payments.c.miles_used), 0))
            .where(payments.c.merchant_id == merchant_id, payments.c.created_at >= start, payments.c.created_at < end)
        ).one()
        ref = conn.execute(
            select(func.count(), func.coalesce(func.sum(refunds.c.amount), 0),
                   func.coalesce(func.sum(refunds.c.fee_back), 0))
            .select_from(refunds.join(payments, payments.c.id == refunds.c.payment_id))
            .where(payments.c.merchant_id == merchant_id, refunds.c.created_at >= start, refunds.c.created_at < end)
        ).one()
        by_status: dict[str, int] = dict(conn.execute(
            select(payment_requests.c.status, func.count()).where(
                payment_requests.c.merchant_id == merchant_id, payment_requests.c.created_at >= start,
                payment_requests.c.created_at < end).group_by(payment_requests.c.status)
        ).all())
    currency = merchant.currency
    gross, fees = int(pay[1]), int(pay[2]) - int(ref[2])

    def money(amount: int) -> View:
        return {"amount": int(amount), "currency": currency}

    return {
        "object": "daily_report", "merchant_id": merchant_id, "date": day, "timezone": tz,
        "payments": {"count": int(pay[0]), "gross": money(gross), "miles_redeemed": int(pay[3])},
        "refunds": {"count": int(ref[0]), "amount": money(ref[1])},
        "fees": money(fees),
        "net": money(gross - int(ref[1]) - fees),
        "requests": {status: int(by_status.get(status, 0)) for status in states.TRANSITIONS},
    }


def request_events(
    core: Core, *, request_id: str, merchant_id: str, after_seq: int = 0, limit: int = 100
) -> View:
    """A request's events after ``after_seq`` (the SSE cursor), and whether it can change again."""
    with core.db.read() as conn:
        row = conn.execute(select(payment_requests.c.merchant_id, payment_requests.c.status)
                           .where(payment_requests.c.id == request_id)).first()
        if row is None or row.merchant_id != merchant_id:
            raise NotFound(f"payment request {request_id} does not exist", code="REQUEST_NOT_FOUND")
        rows = conn.execute(select(events).where(events.c.request_id == request_id, events.c.seq > after_seq)
                            .order_by(events.c.seq).limit(limit)).all()
    return {"status": row.status, "final": row.status in states.FINAL,
            "events": [(r.seq, event_view(r)) for r in rows]}

