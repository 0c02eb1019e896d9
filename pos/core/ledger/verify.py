"""``qrpos ledger verify``: the ledger's invariants and the journal chain, checked on a live database.

Each check is a named function returning the problems it found; :func:`verify` runs them all.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, and_, func, select

from pos.core.platform import journal
from pos.core.platform.context import Core
from pos.core.shapes import View
from pos.core.store.schema import accounts, entries, payments, refunds, transactions
from pos.core.store.schema import journal as journal_table


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
    journaled: dict[str, list[tuple[object, ...]]] = {}
    for record in journal.records(conn):
        for tx in json.loads(record.body).get("transactions", []):
            journaled[tx["id"]] = sorted(map(tuple, tx["legs"]))
    stored: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for row in conn.execute(select(entries.c.transaction_id, entries.c.account_id, entries.c.amount)):
        stored[row.transaction_id].append((row.account_id, row.amount))
    problems = []
    for tx_id, legs in stored.items():
        if journaled.get(tx_id) != sorted(legs):
            problems.append(f"transaction {tx_id}: entries differ from the journal")
    for tx_id in journaled.keys() - stored.keys():
        problems.append(f"transaction {tx_id}: in the journal but its entries are gone")
    return problems


def audit(core: Core) -> View:
    """Run every check and count the books, all in one snapshot: no false alarm under load."""
    with core.db.read_snapshot() as conn:
        problems = verify(conn)
        counts = {
            "transactions": conn.execute(select(func.count()).select_from(transactions)).scalar_one(),
            "entries": conn.execute(select(func.count()).select_from(entries)).scalar_one(),
            "journal_records": conn.execute(select(func.count()).select_from(journal_table)).scalar_one(),
        }
    ok = not problems
    summary = (
        f"ledger OK: {counts['transactions']} transactions, {counts['entries']} entries, "
        f"{counts['journal_records']} journal records; every currency sums to zero, balances match "
        "their entries, the journal chain is intact"
        if ok
        else f"ledger BROKEN: {len(problems)} problem(s)"
    )
    return {"ok": ok, "summary": summary, "problems": problems, **counts}
