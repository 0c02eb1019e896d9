"""The hash-chained journal: every state change appended as canonical JSON, each record hashing the
one before it, so that any edit of history breaks the chain (``verify_chain``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, literal_column, select, update

from pos.core.store.prepared import Prepared
from pos.core.store.schema import journal, journal_head

GENESIS = "0" * 64


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(prev_hash: str, seq: int, kind: str, body: str, created_at: int) -> str:
    text = f"{prev_hash}|{seq}|{kind}|{created_at}|{body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_head(conn: Connection) -> None:
    if conn.execute(select(journal_head.c.id)).first() is None:
        conn.execute(insert(journal_head).values(id=1, seq=0, hash=GENESIS))


_HEAD_ROW = journal_head.c.id == literal_column("1")
_LOCK_HEAD = Prepared(select(journal_head.c.seq, journal_head.c.hash).where(_HEAD_ROW).with_for_update())
_INSERT_RECORD = Prepared(insert(journal).values({c.name: bindparam(c.name) for c in journal.c}))
_MOVE_HEAD = Prepared(
    update(journal_head).where(_HEAD_ROW).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)


def append(conn: Connection, kind: str, body: Mapping[str, object], now_us: int) -> int:
    """Append one record in the caller's transaction; the head row lock orders all writers.

    The core's writes do not call it: they register records with ``UnitOfWork.journal``, and the
    unit appends them last, because the head stays locked until commit and work after it would
    hold up every other writer.
    """
    text = canonical_json(body)
    head = _LOCK_HEAD.one(conn)
    seq = head.seq + 1
    digest = record_hash(head.hash, seq, kind, text, now_us)
    _INSERT_RECORD.run(
        conn,
        {"seq": seq, "kind": kind, "body": text, "prev_hash": head.hash, "hash": digest, "created_at": now_us},
    )
    _MOVE_HEAD.rowcount(conn, {"new_seq": seq, "new_hash": digest})
    return int(seq)


def records(conn: Connection) -> Iterator[Row[Any]]:
    yield from conn.execute(select(journal).order_by(journal.c.seq)).yield_per(2000)


def verify_chain(conn: Connection) -> list[str]:
    """Recompute the chain; return what is wrong (empty when intact)."""
    problems: list[str] = []
    prev, expected_seq = GENESIS, 1
    for row in records(conn):
        if row.seq != expected_seq:
            problems.append(f"journal: record {expected_seq} is missing (next is {row.seq})")
        if row.prev_hash != prev:
            problems.append(f"journal: record {row.seq} does not link to the record before it")
        if record_hash(row.prev_hash, row.seq, row.kind, row.body, row.created_at) != row.hash:
            problems.append(f"journal: record {row.seq} ({row.kind}) was altered")
        prev, expected_seq = row.hash, row.seq + 1
    head = conn.execute(select(journal_head)).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        problems.append("journal: the head does not match the last record (records were removed)")
    return problems
