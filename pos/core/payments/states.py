"""Payment requests: what a QR code asks for, and the states it moves through.

    awaiting_payment ──▶ customer_confirming ──▶ paid ──▶ partially_refunded ──▶ refunded
           │  │                 │  │              └──────────────────────────────▲
           │  └──▶ cancelled ◀──┘  │
           └─────▶ expired  ◀──────┘

Every other move raises a typed error. A request is "open" while awaiting payment or while the
customer is confirming; the sweeper (:func:`pos.core.payments.lifecycle.expire_due`) closes overdue ones.

This table and :data:`CLOCK_RULE` are the whole rule: the conditional UPDATEs that move a request
(:mod:`pos.core.payments.moves`) are built from them, and :func:`refuse` explains a refused move
from them, so the database and the explanation cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn, Protocol

from pos.core.errors import IllegalTransition, RequestAlreadyPaid, RequestCancelled, RequestExpired
from pos.core.parties.merchants import MerchantRow
from pos.core.platform.clock import iso
from pos.core.shapes import View

AWAITING = "awaiting_payment"
CONFIRMING = "customer_confirming"
PAID = "paid"
EXPIRED = "expired"
CANCELLED = "cancelled"
PARTIALLY_REFUNDED = "partially_refunded"
REFUNDED = "refunded"

OPEN = (AWAITING, CONFIRMING)
SETTLED = (PAID, PARTIALLY_REFUNDED, REFUNDED)
FINAL = (EXPIRED, CANCELLED, REFUNDED)

TRANSITIONS: dict[str, set[str]] = {
    AWAITING: {CONFIRMING, PAID, EXPIRED, CANCELLED},
    CONFIRMING: {CONFIRMING, PAID, EXPIRED, CANCELLED},
    PAID: {PARTIALLY_REFUNDED, REFUNDED},
    PARTIALLY_REFUNDED: {PARTIALLY_REFUNDED, REFUNDED},
    EXPIRED: set(),
    CANCELLED: set(),
    REFUNDED: set(),
}


# Where the clock decides: an open request can be paid or scanned only before it expires, and can
# expire only once it is due. Moves not named here ignore the clock (a merchant may cancel an
# overdue request the sweeper has not reached yet).
BEFORE_EXPIRY, ONCE_DUE = "before_expiry", "once_due"
CLOCK_RULE: Mapping[str, str] = {PAID: BEFORE_EXPIRY, CONFIRMING: BEFORE_EXPIRY, EXPIRED: ONCE_DUE}


def allowed_from(new: str) -> tuple[str, ...]:
    """The states a request may move to ``new`` from (sorted, so the SQL built from it is stable)."""
    return tuple(sorted(state for state, targets in TRANSITIONS.items() if new in targets))


def may_move(current: str, expires_at: int, new: str, now: int) -> bool:
    """The rule the conditional UPDATE enforces, in Python: may a request in ``current`` become ``new``?"""
    if current not in allowed_from(new):
        return False
    clock = CLOCK_RULE.get(new)
    if clock == BEFORE_EXPIRY:
        return expires_at > now
    if clock == ONCE_DUE:
        return expires_at <= now
    return True


def refuse(request_id: str, current: str, expires_at: int, new: str, now: int) -> NoReturn:
    """Raise the error that explains why a request in ``current`` could not become ``new`` at ``now``."""
    if current in allowed_from(new) and CLOCK_RULE.get(new) == BEFORE_EXPIRY and expires_at <= now:
        raise RequestExpired(f"payment request {request_id} has expired")
    check_transition(request_id, current, new)
    raise IllegalTransition(f"payment request {request_id} cannot go from {current} to {new} yet")


def check_transition(request_id: str, current: str, new: str) -> None:
    """Raise the error that explains why ``current`` cannot become ``new``."""
    if new in TRANSITIONS.get(current, set()):
        return
    if current in SETTLED and new in (PAID, CONFIRMING, CANCELLED, EXPIRED):
        raise RequestAlreadyPaid(f"payment request {request_id} is already paid")
    if current == EXPIRED:
        raise RequestExpired(f"payment request {request_id} has expired")
    if current == CANCELLED:
        raise RequestCancelled(f"payment request {request_id} was cancelled")
    raise IllegalTransition(f"payment request {request_id} cannot go from {current} to {new}")


class RequestRow(Protocol):
    """A ``payment_requests`` row, as the views read it."""

    id: str
    kind: str
    status: str
    amount: int
    currency: str
    reference: str | None
    merchant_id: str
    terminal_id: str
    payload: str | None
    created_at: int
    expires_at: int
    updated_at: int


def view(row: RequestRow, merchant: MerchantRow | None = None) -> View:
    """The public shape of a payment request (API, CLI, wallet)."""
    data: View = {
        "id": row.id,
        "object": "payment_request",
        "kind": row.kind,
        "status": row.status,
        "amount": row.amount,
        "currency": row.currency,
        "reference": row.reference,
        "merchant_id": row.merchant_id,
        "terminal_id": row.terminal_id,
        "payload": row.payload,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
    }
    if merchant is not None:
        data["payee"] = view_payee(merchant)
    return data


def view_payee(merchant: MerchantRow) -> View:
    """Who is paid, in Latin and local script, as the wallet shows it."""
    return {
        "merchant_id": merchant.id,
        "name": merchant.name,
        "name_local": merchant.name_local,
        "city": merchant.city,
        "city_local": merchant.city_local,
        "country": merchant.country,
        "mcc": merchant.mcc,
    }
