"""The double-entry ledger: append-only transactions of entries that sum to zero in one currency.

Balances are stored on accounts for speed and proven against the entries by :func:`verify`. A leg
that would take a non-platform account below zero fails the whole posting (the UPDATE is
conditional, so a concurrent spender can never slip past the check).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, insert, literal_column, or_, select, update

from pos.core.errors import InsufficientFunds, InsufficientMiles, LedgerInvariantBroken, NotFound
from pos.core.store.prepared import Prepared
from pos.core.store.schema import accounts, entries, transactions

MILES = "MILES"  # the loyalty unit: not money, but ledgered the same way (1 mile per unit)

# Account kinds. Platform kinds may go negative: they are the other side of money entering the
# system (top-up funding), foreign exchange, and miles issued as a liability.
WALLET_CASH, WALLET_MILES, MERCHANT = "wallet_cash", "wallet_miles", "merchant"
PLATFORM_FX, PLATFORM_FEES, PLATFORM_MILES, PLATFORM_TOPUP = "fx", "fees", "miles_issuance", "topup"
PLATFORM_MILES_FUNDING = "miles_funding"  # pays merchants in cash for prices paid with miles
PLATFORM_KINDS = {PLATFORM_FX, PLATFORM_FEES, PLATFORM_MILES, PLATFORM_TOPUP, PLATFORM_MILES_FUNDING}


PostedTransaction = dict[str, object]  # a posting's journal form (empty when every leg was zero)


def platform_account_id(kind: str, currency: str) -> str:
    return f"platform:{kind}:{currency}"


@dataclass(frozen=True)
class Leg:
    account_id: str
    amount: int  # signed minor units; positive credits the account


def open_account(conn: Connection, account_id: str, kind: str, currency: str, now_us: int) -> None:
    conn.execute(
        insert(accounts).values(
            id=account_id,
            kind=kind,
            currency=currency,
            balance=0,
            allow_negative=kind in PLATFORM_KINDS,
            created_at=now_us,
        )
    )


def open_platform_accounts(conn: Connection, currencies: Iterable[str], now_us: int) -> int:
    """Open every platform account the core posts to (idempotent); return how many were new."""
    wanted = {platform_account_id(PLATFORM_MILES, MILES): (PLATFORM_MILES, MILES)}
    for currency in currencies:
        for kind in (PLATFORM_FX, PLATFORM_FEES, PLATFORM_TOPUP, PLATFORM_MILES_FUNDING):
            wanted[platform_account_id(kind, currency)] = (kind, currency)
    existing = set(conn.execute(select(accounts.c.id).where(accounts.c.id.in_(list(wanted)))).scalars())
    for account_id, (kind, currency) in wanted.items():
        if account_id not in existing:
            open_account(conn, account_id, kind, currency, now_us)
    return len(wanted) - len(existing)


class Batch:
    """Transaction and entry rows waiting to be written together (see :func:`post`)."""

    def __init__(self) -> None:
        self.transactions: list[dict[str, object]] = []
        self.entries: list[dict[str, object]] = []

    def flush(self, conn: Connection) -> None:
        if self.transactions:
            _INSERT_TRANSACTION.many(conn, self.transactions)
            _INSERT_ENTRY.many(conn, self.entries)
        self.transactions, self.entries = [], []


def post(
    conn: Connection,
    *,
    tx_id: str,
    kind: str,
    currency: str,
    legs: list[Leg],
    now_us: int,
    payment_id: str | None = None,
    refund_id: str | None = None,
    link_id: str | None = None,
    batch: Batch | None = None,
) -> PostedTransaction:
    """Post one balanced transaction; return its journal form (for the caller's journal record).

    Balances move at once; with ``batch`` the transaction and entry rows are written by
    ``batch.flush()``, several transactions in one statement each.
    """
    legs = [leg for leg in legs if leg.amount != 0]
    if not legs:
        return {}
    if len(legs) < 2 or sum(leg.amount for leg in legs) != 0:
        raise LedgerInvariantBroken(f"transaction {tx_id} does not balance: {legs}")
    # Lock rows in one global order (account id) so that concurrent postings cannot deadlock.
    for leg in sorted(legs, key=lambda leg: leg.account_id):
        _apply(conn, leg, currency)
    own = batch or Batch()
    own.transactions.append(
        {"id": tx_id, "kind": kind, "currency": currency, "payment_id": payment_id, "refund_id": refund_id,
         "link_id": link_id, "created_at": now_us}
    )
    own.entries.extend(
        {"transaction_id": tx_id, "account_id": leg.account_id, "currency": currency, "amount": leg.amount}
        for leg in legs
    )
    if batch is None:
        own.flush(conn)
    return {"id": tx_id, "kind": kind, "currency": currency, "legs": [[leg.account_id, leg.amount] for leg in legs]}


# Built once: the hot path executes prepared constructs with parameters (no per-call SQL building).
_INSERT_TRANSACTION = Prepared(insert(transactions).values({c.name: bindparam(c.name) for c in transactions.c}))
_INSERT_ENTRY = Prepared(
    insert(entries).values({c: bindparam(c) for c in ("transaction_id", "account_id", "currency", "amount")})
)
_APPLY_LEG = Prepared(
    update(accounts)
    .where(
        accounts.c.id == bindparam("leg_account"),
        accounts.c.currency == bindparam("leg_currency"),
        or_(accounts.c.allow_negative, accounts.c.balance + bindparam("leg_check") >= literal_column("0")),
    )
    .values(balance=accounts.c.balance + bindparam("leg_amount"))
)


def _apply(conn: Connection, leg: Leg, currency: str) -> None:
    params = {"leg_account": leg.account_id, "leg_currency": currency, "leg_check": leg.amount,
              "leg_amount": leg.amount}
    if _APPLY_LEG.rowcount(conn, params) == 1:
        return
    row = conn.execute(select(accounts).where(accounts.c.id == leg.account_id)).first()
    if row is None:
        raise NotFound(f"account {leg.account_id} does not exist", code="ACCOUNT_NOT_FOUND")
    if row.currency != currency:
        raise LedgerInvariantBroken(f"account {leg.account_id} holds {row.currency}, not {currency}")
    if currency == MILES:
        raise InsufficientMiles(f"account {leg.account_id} has {row.balance} miles, needs {-leg.amount}")
    raise InsufficientFunds(f"account {leg.account_id} has {row.balance} {currency}, needs {-leg.amount}")


def balance(conn: Connection, account_id: str) -> int:
    row = conn.execute(select(accounts.c.balance).where(accounts.c.id == account_id)).first()
    if row is None:
        raise NotFound(f"account {account_id} does not exist", code="ACCOUNT_NOT_FOUND")
    return int(row.balance)
