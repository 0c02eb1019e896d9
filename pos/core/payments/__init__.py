"""Payments: what a QR code asks for and how it is paid, exactly once.

    states      the payment request's state machine (awaiting_payment ... refunded)
    lifecycle   create (dynamic, signed, expiring), the static code, scan, cancel, expire
    settlement  pay a request from a wallet and settle it exactly once; the payment's public shape
    funding     how a price is funded (cash, FX, miles) and posted to the ledger
    refunds     partial and full refunds back to the original sources at the original rate
    codes       consumer-presented one-time payment codes, charged by a terminal
    fx, quotes  exchange rates and time-boxed quotes;  miles  earning and proportional clawback
"""

from pos.core.payments.codes import charge, create_payment_code
from pos.core.payments.lifecycle import cancel_request, create_request, expire_due, get_request, scan, static_code
from pos.core.payments.quotes import quote, set_rate
from pos.core.payments.refunds import list_refunds, refund
from pos.core.payments.settlement import get_payment, pay, payment_view

__all__ = [
    "cancel_request", "charge", "create_payment_code", "create_request", "expire_due", "get_payment", "get_request",
    "list_refunds", "pay", "payment_view", "quote", "refund", "scan", "set_rate", "static_code",
]
