"""End of day: the day's report, the X report (what is open now) and numbered, immutable Z reports.

How Z reports work, as on the tills they imitate: a Z report *closes* a scope (one till, or a whole
store) and covers everything since that scope's previous Z, however many days that was. A second Z
on the same day is allowed and is simply the next number, covering only what happened after the
first; nothing is ever counted twice or left out, because the boundary between two Zs is a journal
sequence number (see :mod:`pos.core.reports.totals`). Numbers run 1, 2, 3... per merchant across all
scopes (a unique constraint), like a fiscal printer's Z counter.

Immutable: a Z is written once, with its totals in columns and the whole report as canonical JSON;
its journal record carries the snapshot's SHA-256, so an edited Z breaks against the hash chain.
The code never updates or deletes a Z. An X report is the same computation, not stored, at any time.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, insert, select

from pos.core.errors import InvalidInput, NotFound, StateConflict
from pos.core.parties.merchants import get_merchant_row
from pos.core.platform.clock import iso
from pos.core.platform.context import Core
from pos.core.platform.journal import canonical_json
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.reports.daily import day_bounds
from pos.core.reports.totals import rows_between, rows_in_journal, summarise
from pos.core.shapes import View
from pos.core.store.schema import journal_head, stores, terminals, z_reports

Z_SCOPES = ("terminal", "store")


def day_report(core: Core, *, merchant_id: str, day: str, tz: str, scope: str = "merchant",
               scope_id: str | None = None) -> View:
    """A calendar day's takings in the shop's time zone (what ``qrpos report daily`` prints)."""
    start, end = day_bounds(day, tz)
    with core.db.read() as conn:
        merchant = get_merchant_row(conn, merchant_id)
        _check_scope(conn, merchant_id, scope, scope_id)
        pays, refs = rows_between(conn, merchant_id, start, end, scope=scope, scope_id=scope_id)
    body = summarise(pays, refs, currency=merchant.currency, tz=tz)
    return {"object": "day_report", "merchant_id": merchant_id, "date": day, "timezone": tz, "scope": scope,
            "scope_id": scope_id, **body}


def x_report(core: Core, *, merchant_id: str, scope: str, scope_id: str, tz: str) -> View:
    """What the next Z of this till or store would close, now, without closing it."""
    with core.db.read() as conn:
        merchant = get_merchant_row(conn, merchant_id)
        _check_z_scope(conn, merchant_id, scope, scope_id)
        after = _last_seq(conn, scope, scope_id)
        head = int(conn.execute(select(journal_head.c.seq)).scalar_one())
        pays, refs = rows_in_journal(conn, merchant_id, after, head, scope=scope, scope_id=scope_id)
        last = _last_z(conn, scope, scope_id)
    body = summarise(pays, refs, currency=merchant.currency, tz=tz)
    return {"object": "x_report", "merchant_id": merchant_id, "scope": scope, "scope_id": scope_id,
            "since_z": last.number if last else None, "since": iso(last.created_at) if last else None, **body}


def close(core: Core, *, merchant_id: str, scope: str, scope_id: str, staff_id: str, tz: str,
          since_z: int | None = None) -> View:
    """Close a till or a store with the next numbered Z report, and return it.

    :param since_z: the number of the scope's last Z as the caller saw it (0 for none): if another Z
        closed the scope since, refuse with Z_ALREADY_CLOSED rather than close an empty one (a double tap).
    """

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        merchant = get_merchant_row(conn, merchant_id)
        _check_z_scope(conn, merchant_id, scope, scope_id)
        # Lock the journal's head: every writer holds it from its append to its commit, so once we have
        # it, every record up to `head` is committed and visible, and every later one comes after us.
        head = int(conn.execute(select(journal_head.c.seq).with_for_update()).scalar_one())
        last = _last_z(conn, scope, scope_id)
        if since_z is not None and (last.number if last else 0) != since_z:
            raise StateConflict(f"{scope} {scope_id} was closed by Z {last.number} meanwhile", code="Z_ALREADY_CLOSED")
        after = int(last.to_seq) if last else 0
        pays, refs = rows_in_journal(conn, merchant_id, after, head, scope=scope, scope_id=scope_id)
        number = int(conn.execute(select(func.coalesce(func.max(z_reports.c.number), 0))
                                  .where(z_reports.c.merchant_id == merchant_id)).scalar_one()) + 1
        day = datetime.fromtimestamp(uow.now / 1_000_000, UTC).astimezone(ZoneInfo(tz)).date().isoformat()
        z_id = uow.ids.new("z", 16)
        figures = summarise(pays, refs, currency=merchant.currency, tz=tz)
        payments_part, refunds_part = cast(View, figures["payments"]), cast(View, figures["refunds"])
        report: View = {"object": "z_report", "id": z_id, "number": number, "merchant_id": merchant_id,
                        "scope": scope, "scope_id": scope_id, "business_date": day, "timezone": tz,
                        "from_seq": after, "to_seq": head, "closed_by": staff_id, "created_at": iso(uow.now),
                        **figures}
        snapshot = canonical_json(report)
        conn.execute(insert(z_reports).values(
            id=z_id, merchant_id=merchant_id, number=number, scope=scope, scope_id=scope_id, business_date=day,
            from_seq=after, to_seq=head, currency=merchant.currency, payments_count=payments_part["count"],
            gross=payments_part["gross"], refunds=refunds_part["amount"], fees=figures["fees"], net=figures["net"],
            snapshot=snapshot, closed_by=staff_id, created_at=uow.now,
        ))
        uow.journal("z_report.closed", {"z_report": z_id, "merchant": merchant_id, "number": number,
                                        "scope": scope, "scope_id": scope_id, "from_seq": after, "to_seq": head,
                                        "snapshot_sha256": hashlib.sha256(snapshot.encode()).hexdigest()})
        return report

    return core.transact(effect)


def list_z_reports(core: Core, *, merchant_id: str, limit: int = 50) -> list[View]:
    """The merchant's Z reports, newest first: number, scope, day and totals (not the snapshot)."""
    with core.db.read() as conn:
        rows = conn.execute(select(z_reports).where(z_reports.c.merchant_id == merchant_id)
                            .order_by(z_reports.c.number.desc()).limit(limit)).all()
    return [{"id": r.id, "number": r.number, "scope": r.scope, "scope_id": r.scope_id,
             "business_date": r.business_date, "currency": r.currency, "payments_count": r.payments_count,
             "gross": r.gross, "refunds": r.refunds, "fees": r.fees, "net": r.net, "closed_by": r.closed_by,
             "created_at": r.created_at} for r in rows]


def get_z_report(core: Core, *, merchant_id: str, number: int) -> View:
    """One Z report exactly as it was closed (its stored snapshot)."""
    with core.db.read() as conn:
        row = conn.execute(select(z_reports.c.snapshot).where(z_reports.c.merchant_id == merchant_id,
                                                              z_reports.c.number == number)).first()
    if row is None:
        raise NotFound(f"Z report {number} does not exist", code="Z_REPORT_NOT_FOUND")
    report: View = json.loads(row.snapshot)
    return report


def _last_z(conn: Connection, scope: str, scope_id: str) -> Any:
    return conn.execute(select(z_reports.c.number, z_reports.c.to_seq, z_reports.c.created_at)
                        .where(z_reports.c.scope == scope, z_reports.c.scope_id == scope_id)
                        .order_by(z_reports.c.to_seq.desc()).limit(1)).first()


def _last_seq(conn: Connection, scope: str, scope_id: str) -> int:
    last = _last_z(conn, scope, scope_id)
    return int(last.to_seq) if last else 0


def _check_z_scope(conn: Connection, merchant_id: str, scope: str, scope_id: str) -> None:
    if scope not in Z_SCOPES:
        raise InvalidInput(f"a Z report closes a terminal or a store, not {scope!r}", code="INVALID_SCOPE")
    _check_scope(conn, merchant_id, scope, scope_id)


def _check_scope(conn: Connection, merchant_id: str, scope: str, scope_id: str | None) -> None:
    """The till or store must be this merchant's (a foreign id is as unknown as a missing one)."""
    if scope == "merchant":
        return
    table = {"terminal": terminals, "store": stores}.get(scope)
    if table is None:
        raise InvalidInput(f"scope must be merchant, store or terminal, not {scope!r}", code="INVALID_SCOPE")
    owner = conn.execute(select(table.c.merchant_id).where(table.c.id == scope_id)).scalar()
    if owner != merchant_id:
        raise NotFound(f"{scope} {scope_id} does not exist", code=f"{scope.upper()}_NOT_FOUND")
