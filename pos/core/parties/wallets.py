"""Wallets: a cash account in the home currency and a miles account, top-ups, PIN sign-in."""

from __future__ import annotations

import re

from sqlalchemy import Connection, bindparam, insert, select

from pos.core import ledger
from pos.core.errors import InvalidAmount, InvalidInput, NotFound, Unauthorized
from pos.core.money import Money, check_currency
from pos.core.parties.credentials import check_pin, hash_pin
from pos.core.platform import idempotency, journal
from pos.core.store.prepared import Prepared
from pos.core.store.schema import wallets


def create_wallet(core, *, owner: str, currency: str, pin: str, balance: int = 0, miles: int = 0) -> dict:
    """Open a wallet with a cash and a miles account; an opening balance is a funded top-up."""
    if not isinstance(owner, str) or not owner.strip() or len(owner) > 80:
        raise InvalidInput("owner must be 1-80 characters")
    check_currency(currency)
    if not isinstance(pin, str) or not re.fullmatch(r"\d{4,8}", pin):
        raise InvalidInput("a PIN is 4-8 digits", code="INVALID_PIN")
    for value, what in ((balance, "opening balance"), (miles, "opening miles")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidAmount(f"{what} must be a non-negative integer")
    now = core.now()
    wallet_id = core.ids.new("w", 12)
    cash_id, miles_id = f"wallet:{wallet_id}:cash", f"wallet:{wallet_id}:miles"
    pin_hash = hash_pin(pin, core.settings.pin_scrypt_n)

    def effect(conn: Connection) -> dict:
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
            txs.append(_fund(conn, core, cash_id, currency, balance, ledger.PLATFORM_TOPUP))
        if miles:
            txs.append(_fund(conn, core, miles_id, ledger.MILES, miles, ledger.PLATFORM_MILES))
        journal.append(conn, "wallet.created", {"wallet": wallet_id, "transactions": txs}, now)
        return {"wallet_id": wallet_id, "owner": owner, "currency": currency, "balance": balance, "miles": miles}

    return core.db.transact(effect)


def _fund(conn, core, account_id: str, currency: str, amount: int, source_kind: str) -> dict:
    now = core.now()
    source = ledger.platform_account_id(source_kind, currency)
    return ledger.post(
        conn, tx_id=core.ids.new("tx"), kind="topup" if currency != ledger.MILES else "miles_grant",
        currency=currency, legs=[ledger.Leg(source, -amount), ledger.Leg(account_id, amount)], now_us=now,
    )


def top_up(core, *, wallet_id: str, amount: int, idempotency_key: str | None = None) -> dict:
    """Add money to a wallet from the platform's top-up funding account."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount("a top-up must be a positive integer of minor units")

    def effect(conn: Connection) -> dict:
        wallet = get_wallet_row(conn, wallet_id)
        tx = _fund(conn, core, wallet.cash_account_id, wallet.currency, amount, ledger.PLATFORM_TOPUP)
        journal.append(conn, "wallet.topped_up", {"wallet": wallet_id, "transactions": [tx]}, core.now())
        return {
            "wallet_id": wallet_id,
            "topped_up": Money(amount, wallet.currency).to_dict(),
            "balance": Money(ledger.balance(conn, wallet.cash_account_id), wallet.currency).to_dict(),
        }

    return idempotency.run(
        core, scope=f"wallet:{wallet_id}", key=idempotency_key, operation="top_up",
        body={"amount": amount}, effect=effect,
    )


_WALLET = Prepared(select(wallets).where(wallets.c.id == bindparam("wallet")))


def get_wallet_row(conn: Connection, wallet_id: str):
    row = _WALLET.first(conn, {"wallet": wallet_id})
    if row is None:
        raise NotFound(f"wallet {wallet_id} does not exist", code="WALLET_NOT_FOUND")
    return row


def wallet_summary(core, wallet_id: str) -> dict:
    with core.db.read() as conn:
        w = get_wallet_row(conn, wallet_id)
        return {
            "id": w.id,
            "owner": w.owner,
            "currency": w.currency,
            "balance": Money(ledger.balance(conn, w.cash_account_id), w.currency).to_dict(),
            "miles": ledger.balance(conn, w.miles_account_id),
        }


def authenticate_wallet(core, wallet_id: str, pin: str) -> dict:
    """Check a wallet's PIN; the same error for an unknown wallet and a wrong PIN."""
    with core.db.read() as conn:
        row = conn.execute(select(wallets.c.id, wallets.c.pin_hash).where(wallets.c.id == wallet_id)).first()
    if row is None or not isinstance(pin, str) or not check_pin(pin, row.pin_hash):
        raise Unauthorized("wallet id or PIN is wrong", code="BAD_CREDENTIALS")
    return {"wallet_id": row.id}
