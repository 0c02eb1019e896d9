"""Wallets: a cash account in the home currency and a miles account, top-ups, PIN sign-in."""

from __future__ import annotations

from typing import Protocol, cast

from sqlalchemy import Connection, bindparam, insert, select

from pos.core import ledger
from pos.core.errors import InvalidAmount, InvalidInput, NotFound, Unauthorized
from pos.core.limits import int_between, is_new_pin
from pos.core.money import Money, check_currency
from pos.core.parties.credentials import check_pin, hash_pin
from pos.core.platform import idempotency
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.prepared import Prepared
from pos.core.store.schema import wallets


class WalletRow(Protocol):
    """A ``wallets`` row."""

    id: str
    owner: str
    currency: str
    pin_hash: str
    cash_account_id: str
    miles_account_id: str
    created_at: int


def create_wallet(core: Core, *, owner: str, currency: str, pin: str, balance: int = 0, miles: int = 0) -> View:
    """Open a wallet with a cash and a miles account; an opening balance is a funded top-up."""
    if not isinstance(owner, str) or not owner.strip() or len(owner) > 80:
        raise InvalidInput("owner must be 1-80 characters")
    check_currency(currency)
    if not is_new_pin(pin):
        raise InvalidInput("a PIN is 4-8 digits", code="INVALID_PIN")
    for value, what in ((balance, "opening balance"), (miles, "opening miles")):
        if not int_between(value, 0):
            raise InvalidAmount(f"{what} must be a non-negative integer")
    wallet_id = core.ids.new("w", 12)
    cash_id, miles_id = f"wallet:{wallet_id}:cash", f"wallet:{wallet_id}:miles"
    pin_hash = hash_pin(pin, core.settings.pin_scrypt_n)

    def effect(uow: UnitOfWork) -> View:
        conn, now = uow.conn, uow.now
        ledger.open_account(conn, cash_id, ledger.WALLET_CASH, currency, now)
        ledger.open_account(conn, miles_id, ledger.WALLET_MILES, ledger.MILES, now)
        conn.execute(
            insert(wallets).values(
                id=wallet_id, owner=owner, currency=currency, pin_hash=pin_hash,
                cash_account_id=cash_id, miles_account_id=miles_id, created_at=now,
            )
        )
        txs = []
        if balance:
            txs.append(_fund(uow, cash_id, currency, balance, ledger.PLATFORM_TOPUP))
        if miles:
            txs.append(_fund(uow, miles_id, ledger.MILES, miles, ledger.PLATFORM_MILES))
        uow.journal("wallet.created", {"wallet": wallet_id, "transactions": txs})
        return {"wallet_id": wallet_id, "owner": owner, "currency": currency, "balance": balance, "miles": miles}

    return core.transact(effect)


def _fund(uow: UnitOfWork, account_id: str, currency: str, amount: int, source_kind: str) -> ledger.PostedTransaction:
    source = ledger.platform_account_id(source_kind, currency)
    return ledger.post(
        uow.conn, tx_id=uow.ids.new("tx"), kind="topup" if currency != ledger.MILES else "miles_grant",
        currency=currency, legs=[ledger.Leg(source, -amount), ledger.Leg(account_id, amount)], now_us=uow.now,
    )


def top_up(core: Core, *, wallet_id: str, amount: int, idempotency_key: str | None = None) -> View:
    """Add money to a wallet from the platform's top-up funding account."""
    if not int_between(amount, 1):
        raise InvalidAmount("a top-up must be a positive integer of minor units")

    def effect(uow: UnitOfWork) -> View:
        wallet = get_wallet_row(uow.conn, wallet_id)
        tx = _fund(uow, wallet.cash_account_id, wallet.currency, amount, ledger.PLATFORM_TOPUP)
        uow.journal("wallet.topped_up", {"wallet": wallet_id, "transactions": [tx]})
        return {
            "wallet_id": wallet_id,
            "topped_up": Money(amount, wallet.currency).to_dict(),
            "balance": Money(ledger.balance(uow.conn, wallet.cash_account_id), wallet.currency).to_dict(),
        }

    return idempotency.run(
        core, scope=f"wallet:{wallet_id}", key=idempotency_key, operation="top_up",
        body={"amount": amount}, effect=effect,
    )


_WALLET = Prepared(select(wallets).where(wallets.c.id == bindparam("wallet")))


def get_wallet_row(conn: Connection, wallet_id: str) -> WalletRow:
    row = _WALLET.first(conn, {"wallet": wallet_id})
    if row is None:
        raise NotFound(f"wallet {wallet_id} does not exist", code="WALLET_NOT_FOUND")
    return cast(WalletRow, row)


def wallet_summary(core: Core, wallet_id: str) -> View:
    with core.db.read() as conn:
        w = get_wallet_row(conn, wallet_id)
        return {
            "id": w.id,
            "owner": w.owner,
            "currency": w.currency,
            "balance": Money(ledger.balance(conn, w.cash_account_id), w.currency).to_dict(),
            "miles": ledger.balance(conn, w.miles_account_id),
        }


def authenticate_wallet(core: Core, wallet_id: str, pin: object) -> dict[str, str]:
    """Check a wallet's PIN; the same error for an unknown wallet and a wrong PIN."""
    with core.db.read() as conn:
        row = conn.execute(select(wallets.c.id, wallets.c.pin_hash).where(wallets.c.id == wallet_id)).first()
    if row is None or not isinstance(pin, str) or not check_pin(pin, row.pin_hash):
        raise Unauthorized("wallet id or PIN is wrong", code="BAD_CREDENTIALS")
    return {"wallet_id": row.id}
