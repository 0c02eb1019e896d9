"""A shop's takings over a set of payments and refunds: the figures of X, Z and daily reports.

Every report (the till's X report, a stored Z report, ``qrpos report daily``) is :func:`summarise`
over rows chosen in one of two ways:

* by time: payments and refunds created in ``[start, end)`` (a calendar day in the shop's time zone);
* by journal range: payments and refunds whose journal record's sequence number is in
  ``(after_seq, to_seq]``. The journal is appended under one lock and in commit order, so a range
  never misses a payment that committed late: this is how consecutive Z reports meet without a gap.

Amounts are integers of minor units. ``payments.cash + payments.miles == payments.gross`` (the funding
sources, in the shop's currency), and ``net == gross - refunds - fees`` is what the shop's ledger
account gained. The report's tests check every figure against sums over ledger entries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, Row, and_, select

from pos.core.shapes import View
from pos.core.store.schema import journal, payment_requests, payments, refunds, terminals

ID_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits
SCOPES = ("merchant", "store", "terminal")

_PAYMENT_COLUMNS = (payments.c.id, payments.c.amount, payments.c.currency, payments.c.cash_amount,
                    payments.c.miles_used, payments.c.charged_amount, payments.c.charged_currency,
                    payments.c.miles_earned, payments.c.fee, payments.c.created_at,
                    payment_requests.c.terminal_id, terminals.c.store_id, terminals.c.label)
_REFUND_COLUMNS = (refunds.c.id, refunds.c.amount, refunds.c.cash_back, refunds.c.miles_back, refunds.c.miles_clawed,
                   refunds.c.fee_back, refunds.c.created_at, payments.c.charged_currency,
                   payment_requests.c.terminal_id, terminals.c.store_id, terminals.c.label)


def _scoped(query: Any, merchant_id: str, scope: str, scope_id: str | None) -> Any:
    query = query.where(payments.c.merchant_id == merchant_id)
    if scope == "terminal":
        return query.where(payment_requests.c.terminal_id == scope_id)
    if scope == "store":
        return query.where(terminals.c.store_id == scope_id)
    return query


def _payments_query(merchant_id: str, scope: str, scope_id: str | None) -> Any:
    joined = payments.join(payment_requests, payment_requests.c.id == payments.c.request_id) \
        .join(terminals, terminals.c.id == payment_requests.c.terminal_id)
    return _scoped(select(*_PAYMENT_COLUMNS).select_from(joined), merchant_id, scope, scope_id)


def _refunds_query(merchant_id: str, scope: str, scope_id: str | None) -> Any:
    """Refunds count where their payment was taken (its till and store), whenever they were made."""
    joined = refunds.join(payments, payments.c.id == refunds.c.payment_id) \
        .join(payment_requests, payment_requests.c.id == payments.c.request_id) \
        .join(terminals, terminals.c.id == payment_requests.c.terminal_id)
    return _scoped(select(*_REFUND_COLUMNS).select_from(joined), merchant_id, scope, scope_id)


def rows_between(conn: Connection, merchant_id: str, start: int, end: int, *, scope: str = "merchant",
                 scope_id: str | None = None) -> tuple[list[Row[Any]], list[Row[Any]]]:
    """Payments and refunds created in ``[start, end)`` (epoch microseconds)."""
    pays = list(conn.execute(_payments_query(merchant_id, scope, scope_id)
                             .where(payments.c.created_at >= start, payments.c.created_at < end)))
    refs = list(conn.execute(_refunds_query(merchant_id, scope, scope_id)
                             .where(refunds.c.created_at >= start, refunds.c.created_at < end)))
    return pays, refs


def rows_in_journal(conn: Connection, merchant_id: str, after_seq: int, to_seq: int, *, scope: str = "merchant",
                    scope_id: str | None = None) -> tuple[list[Row[Any]], list[Row[Any]]]:
    """Payments and refunds whose journal record is in ``(after_seq, to_seq]``."""
    records = conn.execute(
        select(journal.c.kind, journal.c.body).where(
            journal.c.seq > after_seq, journal.c.seq <= to_seq,
            journal.c.kind.in_(("payment.settled", "refund.created")))
    ).all()
    payment_ids = [json.loads(r.body)["payment"] for r in records if r.kind == "payment.settled"]
    refund_ids = [json.loads(r.body)["refund"] for r in records if r.kind == "refund.created"]
    pays = _in_chunks(conn, _payments_query(merchant_id, scope, scope_id), payments.c.id, payment_ids)
    refs = _in_chunks(conn, _refunds_query(merchant_id, scope, scope_id), refunds.c.id, refund_ids)
    return pays, refs


def _in_chunks(conn: Connection, query: Any, column: Any, ids: Sequence[str]) -> list[Row[Any]]:
    rows: list[Row[Any]] = []
    for i in range(0, len(ids), ID_CHUNK):
        condition: ColumnElement[bool] = and_(column.in_(ids[i:i + ID_CHUNK]))
        rows.extend(conn.execute(query.where(condition)).all())
    return rows


def _hour(us: int, zone: ZoneInfo) -> int:
    return datetime.fromtimestamp(us / 1_000_000, UTC).astimezone(zone).hour


def summarise(pays: Iterable[Row[Any]], refs: Iterable[Row[Any]], *, currency: str, tz: str) -> View:
    """The report's figures over these payment and refund rows (see the module docstring)."""
    zone = ZoneInfo(tz)
    gross = cash = miles_used = fees = earned = count = 0
    hours = [{"hour": h, "count": 0, "gross": 0} for h in range(24)]
    payer: dict[str, dict[str, int]] = defaultdict(lambda: {"payments": 0, "charged": 0, "refunded": 0})
    tills: dict[str, dict[str, Any]] = {}

    def till(row: Row[Any]) -> dict[str, Any]:
        return tills.setdefault(row.terminal_id, {"terminal_id": row.terminal_id, "label": row.label,
                                                  "payments": 0, "gross": 0, "refunds": 0})

    for p in pays:
        count += 1
        gross += p.amount
        cash += p.amount - p.miles_used
        miles_used += p.miles_used
        fees += p.fee
        earned += p.miles_earned
        hour = hours[_hour(p.created_at, zone)]
        hour["count"] += 1
        hour["gross"] += p.amount
        if p.charged_amount:
            payer[p.charged_currency]["payments"] += 1
            payer[p.charged_currency]["charged"] += p.charged_amount
        t = till(p)
        t["payments"] += 1
        t["gross"] += p.amount
    r_count = r_amount = r_miles = fee_back = clawed = 0
    for r in refs:
        r_count += 1
        r_amount += r.amount
        r_miles += r.miles_back
        fee_back += r.fee_back
        clawed += r.miles_clawed
        if r.cash_back:
            payer[r.charged_currency]["refunded"] += r.cash_back
        till(r)["refunds"] += r.amount
    net_fees = fees - fee_back
    return {
        "currency": currency,
        "payments": {"count": count, "gross": gross, "cash": cash, "miles": miles_used},
        "refunds": {"count": r_count, "amount": r_amount, "cash": r_amount - r_miles, "miles": r_miles,
                    "fee_back": fee_back},
        "fees": net_fees,
        "net": gross - r_amount - net_fees,
        "by_currency": [{"currency": c, **v} for c, v in sorted(payer.items())],
        "miles": {"used": miles_used, "returned": r_miles, "earned": earned, "clawed_back": clawed,
                  "issued": earned - clawed},
        "hours": hours,
        "tills": sorted(tills.values(), key=lambda t: str(t["label"])),
    }
