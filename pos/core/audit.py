"""``qrpos ledger verify``: the ledger's invariants and the journal chain, checked on a live database."""

from __future__ import annotations

from sqlalchemy import func, select

from pos.core import ledger
from pos.core.store.schema import entries, journal, transactions


def audit(core) -> dict:
    with core.db.read() as conn:
        problems = ledger.verify(conn)
        counts = {
            "transactions": conn.execute(select(func.count()).select_from(transactions)).scalar_one(),
            "entries": conn.execute(select(func.count()).select_from(entries)).scalar_one(),
            "journal_records": conn.execute(select(func.count()).select_from(journal)).scalar_one(),
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
