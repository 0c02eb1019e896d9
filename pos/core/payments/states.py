"""Payment requests: what a QR code asks for, and the states it moves through.

    awaiting_payment ──▶ customer_confirming ──▶ paid ──▶ partially_refunded ──▶ refunded
           │  │                 │  │              └──────────────────────────────▲
           │  └──▶ cancelled ◀──┘  │
           └─────▶ expired  ◀──────┘

Every other move raises a typed error. A request is "open" while awaiting payment or while the
customer is confirming; the sweeper (:func:`pos.core.payment_requests.expire_due`) closes overdue ones.
"""

from __future__ import annotations

from pos.core.errors import IllegalTransition, RequestAlreadyPaid, RequestCancelled, RequestExpired
from pos.core.platform.clock import iso

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


def view(row, merchant=None) -> dict:
    """The public shape of a payment request (API, CLI, wallet)."""
    data = {
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


def view_payee(merchant) -> dict:
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
