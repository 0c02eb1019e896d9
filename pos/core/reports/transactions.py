"""The till's transactions list: a merchant's payments filtered by day, status and till, a page at a time.

Unlike the API's cursor listing (:func:`pos.core.reports.daily.list_payments`) this one pages by number,
because a person at a till wants "page 3 of 5" and a way back; the order (newest first, then id) is
total, so a page never repeats or skips a row that was there when the list was read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from pos.core.errors import InvalidInput
from pos.core.limits import int_between
from pos.core.payments import states
from pos.core.platform.clock import iso
from pos.core.platform.context import Core
from pos.core.reports.daily import day_bounds
from pos.core.shapes import View
from pos.core.store.schema import payment_requests, payments, refunds, staff, terminals

PER_PAGE = 25
MAX_PAGE_NUMBER = 10_000


def list_transactions(core: Core, *, merchant_id: str, day: str, tz: str, status: str | None = None,
                      terminal_id: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> View:
    """One page of the day's payments with their till and refunds (ids, amounts, approvers).

    :raises InvalidInput: INVALID_DATE, INVALID_STATUS, INVALID_PAGE, or TERMINAL_NOT_FOUND for a till
        that is not this merchant's.
    """
    start, end = day_bounds(day, tz)
    if status is not None and status not in states.SETTLED:
        raise InvalidInput(f"status must be one of {', '.join(states.SETTLED)}", code="INVALID_STATUS")
    if not int_between(page, 1, MAX_PAGE_NUMBER):
        raise InvalidInput(f"page must be 1-{MAX_PAGE_NUMBER}", code="INVALID_PAGE")
    joined = payments.join(payment_requests, payment_requests.c.id == payments.c.request_id) \
        .join(terminals, terminals.c.id == payment_requests.c.terminal_id)
    where: list[Any] = [payments.c.merchant_id == merchant_id, payments.c.created_at >= start,
                        payments.c.created_at < end]
    if status is not None:
        where.append(payments.c.status == status)
    with core.db.read() as conn:
        if terminal_id is not None:
            owner = conn.execute(select(terminals.c.merchant_id).where(terminals.c.id == terminal_id)).scalar()
            if owner != merchant_id:
                raise InvalidInput(f"till {terminal_id} is not one of this shop's", code="TERMINAL_NOT_FOUND")
            where.append(payment_requests.c.terminal_id == terminal_id)
        total = int(conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one())
        rows = conn.execute(
            select(payments, terminals.c.label.label("till"), payment_requests.c.terminal_id)
            .select_from(joined).where(*where)
            .order_by(payments.c.created_at.desc(), payments.c.id.desc())
            .limit(per_page).offset((page - 1) * per_page)
        ).all()
        approvals = refund_approvals(conn, [r.id for r in rows])
    data = [{"id": r.id, "created_at": r.created_at, "terminal_id": r.terminal_id, "till": r.till,
             "status": r.status, "amount": r.amount, "currency": r.currency, "refunded": r.refunded_amount,
             "charged": r.charged_amount, "charged_currency": r.charged_currency, "miles_used": r.miles_used,
             "refunds": approvals.get(r.id, [])} for r in rows]
    pages = max(1, -(-total // per_page))
    return {"object": "list", "data": data, "page": page, "pages": pages, "total": total}


def refund_approvals(conn: Connection, payment_ids: list[str]) -> dict[str, list[View]]:
    """Each payment's refunds, oldest first, with the approving manager's name (None for API refunds)."""
    if not payment_ids:
        return {}
    rows = conn.execute(
        select(refunds.c.id, refunds.c.payment_id, refunds.c.amount, refunds.c.created_at, refunds.c.approved_by,
               staff.c.name.label("approver"))
        .select_from(refunds.outerjoin(staff, staff.c.id == refunds.c.approved_by))
        .where(refunds.c.payment_id.in_(payment_ids)).order_by(refunds.c.created_at, refunds.c.id)
    ).all()
    found: dict[str, list[View]] = {}
    for r in rows:
        found.setdefault(r.payment_id, []).append(
            {"id": r.id, "amount": r.amount, "created_at": iso(r.created_at), "at": r.created_at,
             "approved_by": r.approved_by, "approver": r.approver})
    return found
