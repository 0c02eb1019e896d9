"""Refunds: full or partial, several per payment, never more than was paid, back to the sources.

Each refund returns cash and miles in proportion to how the price was paid, converts cash back at
the original payment's rate, returns the fee in proportion, and claws back earned miles in
proportion. Cumulative targets make the last refund return exactly what is left.
"""

from __future__ import annotations

from typing import Protocol, cast

from sqlalchemy import insert, select, update

from pos.core import ledger
from pos.core.errors import InvalidAmount, RefundExceedsPayment
from pos.core.ledger import Leg
from pos.core.limits import int_between
from pos.core.parties.merchants import get_merchant_row
from pos.core.parties.wallets import get_wallet_row
from pos.core.payments import states
from pos.core.payments.miles import cumulative_step, share
from pos.core.payments.settlement import PaymentRow, payment_row, payment_view
from pos.core.platform import idempotency, outbox
from pos.core.platform.clock import iso
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import payment_requests, payments, refunds


class RefundRow(Protocol):
    id: str
    payment_id: str
    amount: int
    cash_back: int
    miles_back: int
    miles_clawed: int
    miles_claw_shortfall: int
    fee_back: int
    created_at: int
    approved_by: str | None


def view(row: RefundRow, pay: PaymentRow) -> View:
    """A refund's public shape; ``pay`` (its payment) gives the currencies."""
    return {
        "id": row.id,
        "object": "refund",
        "payment_id": row.payment_id,
        "status": "succeeded",
        "amount": row.amount,
        "currency": pay.currency,
        "cash_back": {"amount": row.cash_back, "currency": pay.charged_currency},
        "miles_back": row.miles_back,
        "miles_clawed": row.miles_clawed,
        "miles_claw_shortfall": row.miles_claw_shortfall,
        "fee_back": {"amount": row.fee_back, "currency": pay.currency},
        "created_at": iso(row.created_at),
        "approved_by": row.approved_by,
    }


def refund(core: Core, *, merchant_id: str, payment_id: str, amount: int, idempotency_key: str | None = None,
           approved_by: str | None = None) -> View:
    """Refund ``amount`` of a payment; ``approved_by`` is the staff id of the manager who authorised it at a till."""
    if not int_between(amount, 1):
        raise InvalidAmount(f"a refund must be a positive integer of minor units, got {amount!r}")

    def effect(uow: UnitOfWork) -> View:
        pay = payment_row(uow.conn, payment_id, merchant_id=merchant_id, lock=True)
        before, after = pay.refunded_amount, pay.refunded_amount + amount
        if after > pay.amount:
            raise RefundExceedsPayment(
                f"refund of {amount} {pay.currency} exceeds the {pay.amount - before} {pay.currency} "
                f"left to refund on payment {payment_id}"
            )
        return _post_refund(uow, pay, before, after, approved_by)

    body: dict[str, object] = {"payment": payment_id, "amount": amount}
    if approved_by is not None:  # API refunds keep the body (and so the replay) they always had
        body["approved_by"] = approved_by
    return idempotency.run(
        core, scope=f"merchant:{merchant_id}", key=idempotency_key, operation="refund", body=body, effect=effect,
    )


def _post_refund(uow: UnitOfWork, pay: PaymentRow, before: int, after: int, approved_by: str | None) -> View:
    conn, now, ids, price = uow.conn, uow.now, uow.ids, pay.amount
    amount = after - before
    wallet = get_wallet_row(conn, pay.wallet_id)
    merchant = get_merchant_row(conn, pay.merchant_id)
    miles_back = cumulative_step(pay.miles_used, before, after, price)
    cash_back_m = amount - miles_back
    cash_before = before - share(pay.miles_used, before, price)
    cash_after = after - share(pay.miles_used, after, price)
    cash_back = cumulative_step(pay.charged_amount, cash_before, cash_after, pay.cash_amount)
    fee_back = cumulative_step(pay.fee, before, after, price)
    claw = cumulative_step(pay.miles_earned, before, after, price)
    miles_balance = ledger.balance(conn, wallet.miles_account_id) + miles_back
    clawed = min(claw, miles_balance)

    refund_id = ids.new("re", 16)
    fx_rate = pay.charged_currency != pay.currency
    link = ids.new("lnk") if fx_rate and cash_back else None
    legs = [Leg(merchant.account_id, -(amount - fee_back))]
    if fee_back:
        legs.append(Leg(ledger.platform_account_id(ledger.PLATFORM_FEES, pay.currency), -fee_back))
    if miles_back:
        legs.append(Leg(ledger.platform_account_id(ledger.PLATFORM_MILES_FUNDING, pay.currency), miles_back))
    cash_target = ledger.platform_account_id(ledger.PLATFORM_FX, pay.currency) if fx_rate else wallet.cash_account_id
    legs.append(Leg(cash_target, cash_back_m))
    def post(kind: str, currency: str, legs: list[Leg], link_id: str | None = None) -> ledger.PostedTransaction:
        return ledger.post(conn, tx_id=ids.new("tx"), kind=kind, currency=currency, legs=legs, link_id=link_id,
                           now_us=now, payment_id=pay.id, refund_id=refund_id)

    txs = [post("refund", pay.currency, legs, link)]
    if fx_rate and cash_back:
        fx_w = ledger.platform_account_id(ledger.PLATFORM_FX, pay.charged_currency)
        txs.append(post("fx_out", pay.charged_currency, [Leg(fx_w, -cash_back), Leg(wallet.cash_account_id, cash_back)],
                        link))
    issuance = ledger.platform_account_id(ledger.PLATFORM_MILES, ledger.MILES)
    if miles_back:
        txs.append(post("miles_return", ledger.MILES, [Leg(issuance, -miles_back),
                                                       Leg(wallet.miles_account_id, miles_back)]))
    if clawed:
        txs.append(post("miles_clawback", ledger.MILES, [Leg(wallet.miles_account_id, -clawed), Leg(issuance, clawed)]))

    status = states.REFUNDED if after == price else states.PARTIALLY_REFUNDED
    request = conn.execute(select(payment_requests).where(payment_requests.c.id == pay.request_id)).one()
    states.check_transition(request.id, request.status, status)
    conn.execute(update(payments).where(payments.c.id == pay.id).values(refunded_amount=after, status=status))
    conn.execute(update(payment_requests).where(payment_requests.c.id == pay.request_id)
                 .values(status=status, updated_at=now))
    conn.execute(
        insert(refunds).values(
            id=refund_id, payment_id=pay.id, amount=amount, cash_back=cash_back, miles_back=miles_back,
            miles_clawed=clawed, miles_claw_shortfall=claw - clawed, fee_back=fee_back, created_at=now,
            approved_by=approved_by,
        )
    )
    row = conn.execute(select(refunds).where(refunds.c.id == refund_id)).one()
    data = view(cast(RefundRow, row), pay)
    data["payment"] = payment_view(payment_row(conn, pay.id))
    outbox.record(uow, "refund.succeeded", merchant_id=pay.merchant_id, request_id=pay.request_id,
                  payment_id=pay.id, data=data)
    record: dict[str, object] = {"refund": refund_id, "payment": pay.id, "transactions": [t for t in txs if t]}
    if approved_by is not None:
        record["approved_by"] = approved_by
    uow.journal("refund.created", record)
    return data


def list_refunds(core: Core, payment_id: str, *, merchant_id: str | None = None) -> list[View]:
    with core.db.read() as conn:
        pay = payment_row(conn, payment_id, merchant_id=merchant_id)
        rows = conn.execute(select(refunds).where(refunds.c.payment_id == payment_id).order_by(refunds.c.created_at))
        return [view(cast(RefundRow, r), pay) for r in rows]
