"""Settlement: pay a scanned request exactly once, and the payments that result.

Exactly once: the request row moves to ``paid`` with a conditional UPDATE (only from an open state,
only before expiry), and the payments table allows one row per request. Whatever the concurrency,
one payer wins; every other attempt sees REQUEST_ALREADY_PAID.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Protocol, cast

from sqlalchemy import Connection, bindparam, insert, select

from pos.core.codec import RequestPayload
from pos.core.errors import InvalidAmount, InvalidInput, NotFound, PayloadError
from pos.core.limits import check_amount
from pos.core.money import Money
from pos.core.parties.merchants import MerchantRow, get_merchant_row, get_terminal_row
from pos.core.parties.wallets import WalletRow, get_wallet_row
from pos.core.payments import moves, quotes, states
from pos.core.payments.funding import plan as plan_payment
from pos.core.payments.funding import post_payment
from pos.core.payments.lifecycle import open_request, read_payload
from pos.core.payments.moves import request_row
from pos.core.payments.states import RequestRow
from pos.core.platform import idempotency, outbox
from pos.core.platform.clock import iso
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.prepared import Prepared
from pos.core.store.schema import merchants, payments


class PaymentRow(Protocol):
    """A ``payments`` row, as the views and refunds read it."""

    id: str
    request_id: str
    wallet_id: str
    merchant_id: str
    status: str
    amount: int
    currency: str
    cash_amount: int
    miles_used: int
    charged_amount: int
    charged_currency: str
    quote_id: str | None
    miles_earned: int
    fee: int
    refunded_amount: int
    created_at: int


def pay(
    core: Core,
    *,
    wallet_id: str,
    payload: str,
    quote_id: str | None = None,
    miles: int = 0,
    amount: int | None = None,
    idempotency_key: str | None = None,
) -> View:
    """Pay a scanned request from a wallet: cash (through FX when needed), miles, or both."""
    fields = read_payload(core, payload)
    if fields.amount_minor is None:
        if amount is None:
            raise InvalidAmount("a static merchant code needs the amount the payer enters")
        check_amount(amount)
    elif amount is not None and amount != fields.amount_minor:
        raise InvalidAmount("this request has a fixed amount")
    body: dict[str, object] = {"payload": payload, "quote_id": quote_id, "miles": miles, "amount": amount}

    def effect(uow: UnitOfWork) -> View:
        wallet = get_wallet_row(uow.conn, wallet_id)
        if fields.amount_minor is None:
            assert amount is not None  # checked above
            row = _open_static_request(uow, fields, amount)
        else:
            row = request_row(uow.conn, fields.request_id)
            named = (fields.amount_minor, fields.currency, fields.merchant_id)
            if (row.amount, row.currency, row.merchant_id) != named:
                raise PayloadError("the code does not match the payment request it names", code="PAYLOAD_MISMATCH")
        return settle(uow, row, wallet, quote_id=quote_id, miles=miles)

    return idempotency.run(core, scope=f"wallet:{wallet_id}", key=idempotency_key, operation="pay", body=body,
                           effect=effect)


def _open_static_request(uow: UnitOfWork, fields: RequestPayload, amount: int) -> RequestRow:
    """A payment to a static code is a new request, opened and settled in one transaction."""
    merchant = get_merchant_row(uow.conn, fields.merchant_id)
    terminal = get_terminal_row(uow.conn, fields.terminal_id)
    return open_request(uow, kind="static", merchant_id=merchant.id, terminal_id=terminal.id, amount=amount,
                        currency=merchant.currency, reference=fields.request_id)


_INSERT_PAYMENT = Prepared(insert(payments).values({c.name: bindparam(c.name) for c in payments.c}))
_MERCHANT = Prepared(select(merchants).where(merchants.c.id == bindparam("merchant")))


def settle(
    uow: UnitOfWork, row: RequestRow, wallet: WalletRow, *, quote_id: str | None, miles: int
) -> View:
    """Settle one request inside the caller's transaction: one payment, or a typed refusal."""
    conn, now = uow.conn, uow.now
    merchant: MerchantRow = _MERCHANT.one(conn, {"merchant": row.merchant_id})
    price = Money(row.amount, row.currency)
    rate = None
    if wallet.currency == price.currency and quote_id is not None:  # refused, never silently recorded
        raise InvalidInput("this payment is in the wallet's own currency and takes no quote_id",
                           code="QUOTE_NOT_APPLICABLE")
    if wallet.currency != price.currency:
        rate = quotes.rate_for(uow, wallet=wallet, request_id=row.id, quote_id=quote_id, price=price)
    p = plan_payment(
        price, wallet.currency, miles_used=miles, miles_limit=uow.settings.miles_max_per_payment, rate=rate,
        fee_rate_bp=merchant.fee_rate_bp, earn_per=merchant.miles_earn_per,
    )
    moves.move_or_refuse(uow, row.id, states.PAID)
    values: dict[str, object] = {
        "id": uow.ids.new("pay", 16), "request_id": row.id, "wallet_id": wallet.id, "merchant_id": merchant.id,
        "amount": price.minor, "currency": price.currency, "cash_amount": p.cash_price.minor,
        "miles_used": p.miles_used, "charged_amount": p.charged.minor, "charged_currency": p.charged.currency,
        "quote_id": quote_id, "miles_earned": p.miles_earned, "fee": p.fee, "refunded_amount": 0,
        "status": states.PAID, "created_at": now,
    }
    _INSERT_PAYMENT.run(conn, values)
    payment_id = str(values["id"])
    txs = post_payment(uow, p, payment_id=payment_id, wallet=wallet, merchant=merchant)
    data = payment_view(cast(PaymentRow, SimpleNamespace(**values)), merchant)
    outbox.record_many(uow, merchant.id, [
        outbox.Event("payment_request.paid", {"id": row.id, "status": states.PAID, "payment_id": payment_id},
                     row.id, payment_id),
        outbox.Event("payment.succeeded", data, row.id, payment_id),
    ])
    uow.journal("payment.settled", {"payment": payment_id, "request": row.id, "transactions": txs})
    return data


def payment_view(row: PaymentRow, merchant: MerchantRow | None = None) -> View:
    data: View = {
        "id": row.id,
        "object": "payment",
        "request_id": row.request_id,
        "wallet_id": row.wallet_id,
        "merchant_id": row.merchant_id,
        "status": row.status,
        "amount": row.amount,
        "currency": row.currency,
        "charged": {"amount": row.charged_amount, "currency": row.charged_currency},
        "cash": {"amount": row.cash_amount, "currency": row.currency},
        "miles_used": row.miles_used,
        "miles_earned": row.miles_earned,
        "fee": {"amount": row.fee, "currency": row.currency},
        "refunded": {"amount": row.refunded_amount, "currency": row.currency},
        "quote_id": row.quote_id,
        "created_at": iso(row.created_at),
    }
    if merchant is not None:
        data["payee"] = states.view_payee(merchant)
    return data


def get_payment(core: Core, payment_id: str, *, merchant_id: str | None = None, wallet_id: str | None = None) -> View:
    with core.db.read() as conn:
        row = payment_row(conn, payment_id, merchant_id=merchant_id, wallet_id=wallet_id)
        return payment_view(row, get_merchant_row(conn, row.merchant_id))


def payment_row(
    conn: Connection, payment_id: str, *, merchant_id: str | None = None, wallet_id: str | None = None,
    lock: bool = False,
) -> PaymentRow:
    query = select(payments).where(payments.c.id == payment_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if (
        row is None
        or (merchant_id is not None and row.merchant_id != merchant_id)
        or (wallet_id is not None and row.wallet_id != wallet_id)
    ):
        raise NotFound(f"payment {payment_id} does not exist", code="PAYMENT_NOT_FOUND")
    return cast(PaymentRow, row)
