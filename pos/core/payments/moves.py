"""Conditional moves of a payment request, built from the state machine's table.

A move is one UPDATE whose WHERE is "the request is in a state :data:`states.TRANSITIONS` allows
the move from, and the clock agrees (:data:`states.CLOCK_RULE`)": whatever the concurrency, one
caller wins, the others match no row. A loser reads the row again and :func:`states.refuse`
explains why, from the same table. The SQL is compiled once per target state.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import BindParameter, ColumnElement, Connection, bindparam, literal_column, select, update

from pos.core.errors import NotFound
from pos.core.payments import states
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store.prepared import Prepared
from pos.core.store.schema import payment_requests

_ID, _STATUS, _EXPIRES = payment_requests.c.id, payment_requests.c.status, payment_requests.c.expires_at
_NOW: BindParameter[int] = bindparam("now")


def where_movable(new: str) -> list[ColumnElement[bool]]:
    """The SQL form of :func:`states.may_move` for a move to ``new``, at the ``now`` parameter."""
    # Literal states (not parameters): the statement runs prepared, with only id and now bound.
    allowed: list[ColumnElement[str]] = [literal_column(f"'{state}'") for state in states.allowed_from(new)]
    clauses: list[ColumnElement[bool]] = [_STATUS.in_(allowed)]
    clock = states.CLOCK_RULE.get(new)
    if clock == states.BEFORE_EXPIRY:
        clauses.append(_EXPIRES > _NOW)
    elif clock == states.ONCE_DUE:
        clauses.append(_EXPIRES <= _NOW)
    return clauses


_MOVES = {
    new: Prepared(
        update(payment_requests)
        .where(bindparam("request") == _ID, *where_movable(new))
        .values(status=literal_column(f"'{new}'"), updated_at=_NOW)
    )
    for new in (states.CONFIRMING, states.PAID, states.CANCELLED, states.EXPIRED)
}
_REQUEST = Prepared(select(payment_requests).where(bindparam("request") == _ID))


def request_row(conn: Connection, request_id: str, merchant_id: str | None = None) -> states.RequestRow:
    """The request row (for ``merchant_id``'s eyes only, when given), or REQUEST_NOT_FOUND."""
    row = _REQUEST.first(conn, {"request": request_id})
    if row is None or (merchant_id is not None and row.merchant_id != merchant_id):
        raise NotFound(f"payment request {request_id} does not exist", code="REQUEST_NOT_FOUND")
    return cast(states.RequestRow, row)


def move(uow: UnitOfWork, request_id: str, new: str) -> bool:
    """Move the request to ``new`` if the rule allows it now; False when it did not."""
    return _MOVES[new].rowcount(uow.conn, {"request": request_id, "now": uow.now}) == 1


def move_or_refuse(uow: UnitOfWork, request_id: str, new: str) -> None:
    """Move the request to ``new``, or raise the typed error that says why it cannot."""
    if not move(uow, request_id, new):
        current = request_row(uow.conn, request_id)
        states.refuse(request_id, current.status, current.expires_at, new, uow.now)
