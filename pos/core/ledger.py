"""The double-entry ledger: append-only transactions of entries that sum to zero in one currency.

Balances are stored on accounts for speed and proven against the entries by :func:`verify`. A leg
that would take a non-platform account below zero fails the whole posting (the UPDATE is
conditional, so a concurrent spender can never slip past the check).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, func, insert, literal_column, or_, select, update

from pos.core import journal
from pos.core.errors import InsufficientFunds, InsufficientMiles, LedgerInvariantBroken, NotFound
from pos.core.store.prepared import Prepared
from pos.core.store.schema import accounts, entries, payments, refunds, transactions

MILES = "MILES"  # the loyalty unit: not money, but ledgered the same way (1 mile per unit)

# Account kinds. Platform kinds may go negative: they are the other side of money entering the
# system (top-up funding), foreign exchange, and miles issued as a liability.
WALLET_CASH, WALLET_MILES, MERCHANT = "wallet_cash", "wallet_miles", "merchant"
PLATFORM_FX, PLATFORM_FEES, PLATFORM_MILES, PLATFORM_TOPUP = "fx", "fees", "miles_issuance", "topup"
PLATFORM_MILES_FUNDING = "miles_funding"  # pays merchants in cash for prices paid with miles
PLATFORM_KINDS = {PLATFORM_FX, PLATFORM_FEES, PLATFORM_MILES, PLATFORM_TOPUP, PLATFORM_MILES_FUNDING}


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


def open_platform_accounts(conn: Connection, currencies, now_us: int) -> int:
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

    def __init__(self):
        self.transactions: list[dict] = []
        self.entries: list[dict] = []

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
) -> dict:
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
    return {"id": tx_id, "kind": kind, "currency": currency, "legs": [[l.account_id, l.amount] for l in legs]}


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
    params = {"leg_account": leg.account_id, "leg_currency": currency, "leg_check": leg.amount, "leg_amount": leg.amount}
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
    return row.balance


def verify(conn: Connection) -> list[str]:
    """Prove the books on a live database; return every problem found (empty list: all good)."""
    checks = (_currencies_sum_to_zero, _balances_match_entries, _no_forbidden_negatives,
              _transactions_balance, _refunds_match_payments, _verify_entries_against_journal,
              journal.verify_chain)
    return [problem for check in checks for problem in check(conn)]


def _currencies_sum_to_zero(conn: Connection) -> list[str]:
    totals = conn.execute(select(entries.c.currency, func.sum(entries.c.amount)).group_by(entries.c.currency))
    return [f"currency {currency}: entries sum to {total}, not 0" for currency, total in totals if total != 0]


def _balances_match_entries(conn: Connection) -> list[str]:
    sums = (
        select(entries.c.account_id, func.sum(entries.c.amount).label("total"))
        .group_by(entries.c.account_id)
        .subquery()
    )
    rows = conn.execute(
        select(accounts.c.id, accounts.c.balance, func.coalesce(sums.c.total, 0).label("total"))
        .select_from(accounts.outerjoin(sums, sums.c.account_id == accounts.c.id))
        .where(accounts.c.balance != func.coalesce(sums.c.total, 0))
    )
    return [f"account {row.id}: stored balance {row.balance} but entries sum to {row.total}" for row in rows]


def _no_forbidden_negatives(conn: Connection) -> list[str]:
    rows = conn.execute(
        select(accounts.c.id, accounts.c.balance).where(and_(~accounts.c.allow_negative, accounts.c.balance < 0))
    )
    return [f"account {row.id}: negative balance {row.balance}" for row in rows]


def _transactions_balance(conn: Connection) -> list[str]:
    rows = conn.execute(
        select(
            entries.c.transaction_id,
            func.sum(entries.c.amount).label("total"),
            func.count().label("n"),
            func.min(entries.c.currency).label("c1"),
            func.max(entries.c.currency).label("c2"),
            func.max(transactions.c.currency).label("tc"),
        )
        .select_from(entries.join(transactions, transactions.c.id == entries.c.transaction_id))
        .group_by(entries.c.transaction_id)
    )
    return [
        f"transaction {row.transaction_id}: unbalanced or mixed-currency entries"
        for row in rows
        if row.total != 0 or row.n < 2 or not (row.c1 == row.c2 == row.tc)
    ]


def _refunds_match_payments(conn: Connection) -> list[str]:
    refunded = (
        select(refunds.c.payment_id, func.sum(refunds.c.amount).label("total"))
        .group_by(refunds.c.payment_id)
        .subquery()
    )
    rows = conn.execute(
        select(payments.c.id, payments.c.refunded_amount, refunded.c.total)
        .select_from(payments.outerjoin(refunded, refunded.c.payment_id == payments.c.id))
        .where(payments.c.refunded_amount != func.coalesce(refunded.c.total, 0))
    )
    return [f"payment {row.id}: refunded_amount {row.refunded_amount} but refunds sum to {row.total}" for row in rows]


def _verify_entries_against_journal(conn: Connection) -> list[str]:
    """Every ledger transaction appears in the journal with exactly its entries."""
    journaled: dict[str, list] = {}
    for record in journal.records(conn):
        for tx in json.loads(record.body).get("transactions", []):
            journaled[tx["id"]] = sorted(map(tuple, tx["legs"]))
    stored: dict[str, list] = defaultdict(list)
    for row in conn.execute(select(entries.c.transaction_id, entries.c.account_id, entries.c.amount)):
        stored[row.transaction_id].append((row.account_id, row.amount))
    problems = []
    for tx_id, legs in stored.items():
        if journaled.get(tx_id) != sorted(legs):
            problems.append(f"transaction {tx_id}: entries differ from the journal")
    for tx_id in journaled.keys() - stored.keys():
        problems.append(f"transaction {tx_id}: in the journal but its entries are gone")
    return problems
