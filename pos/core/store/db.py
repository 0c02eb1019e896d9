"""Engines and transactions for SQLite and PostgreSQL.

SQLite: WAL, ``synchronous=FULL`` (an acknowledged payment survives a power cut), a busy timeout,
and write transactions opened with ``BEGIN IMMEDIATE`` so that a read-then-write never dies with
"database is locked". PostgreSQL: its durable defaults; READ COMMITTED with row locks taken by the
conditional UPDATEs, and a bounded retry on serialization failures, deadlocks and unique races; pooled
connections are pinged before use, so the server recovers by itself when the database comes back.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, event, exc
from sqlalchemy.engine import Engine

T = TypeVar("T")

DEFAULT_URL = "sqlite:///qrpos.db"
_RETRYABLE_PG = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("QRPOS_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 60, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=64,
        )
        _configure_sqlite(engine)
        return engine
    # pre-ping: a pooled connection is checked (one round trip) before use, so that after the server was
    # restarted no request meets a dead connection; SQLAlchemy also drops the whole pool on a disconnect.
    return create_engine(url, pool_size=pool_size, max_overflow=64, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("qrpos_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One database: ``read()`` and ``write()`` transactions and ``transact(fn)`` with retries."""

    def __init__(self, url: str | None = None, *, pool_size: int = 10, group_commit: bool | None = None):
        from pos.core.store.group_commit import GroupCommit

        self.url = database_url(url)
        self.engine = make_engine(self.url, pool_size=pool_size)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer at a time: queue this process's writers on a lock instead of letting
        # them spin in SQLite's sleeping busy handler (other processes still meet the busy timeout).
        self._writers = threading.RLock() if self.is_sqlite else contextlib.nullcontext()
        if group_commit is None:  # on unless QRPOS_GROUP_COMMIT=0 (for comparisons)
            group_commit = os.environ.get("QRPOS_GROUP_COMMIT", "1") not in ("0", "false", "off")
        self._group = GroupCommit(self) if group_commit else None
        self._alone = threading.local()  # .conn: the transaction transact_alone runs on this thread

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def read_snapshot(self) -> Iterator[Connection]:
        """A read-only transaction in which every statement sees the same committed state.

        For readers that compare tables with each other (``ledger verify``) while writers commit.
        PostgreSQL: REPEATABLE READ READ ONLY (its default READ COMMITTED takes a new snapshot per
        statement). SQLite in WAL mode: ``read()`` already is one snapshot, fixed at its first read
        and kept until it ends.
        """
        if self.is_sqlite:
            with self.read() as conn:
                yield conn
            return
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._writers, self.engine.connect() as conn:
            conn.execution_options(qrpos_write=True)
            with conn.begin():
                yield conn

    def transact(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in a write transaction, committed together with concurrent ones (group commit)."""
        if self._group is None:
            return self.transact_alone(fn)
        return self._group.submit(fn, self.transact_alone)

    def transact_alone(self, fn: Callable[[Connection], T], *, attempts: int = 8) -> T:
        """Run ``fn`` in one write transaction of its own; rerun it whole on a retryable conflict.

        Called again from inside ``fn`` (a service built from other services), it joins the running
        transaction in a savepoint, as group commit does: a transaction of its own would wait for the
        write lock its caller holds (SQLite) or the rows it locked (PostgreSQL), and commit apart.
        """
        outer: Connection | None = getattr(self._alone, "conn", None)
        if outer is not None:
            with outer.begin_nested():
                return fn(outer)
        for attempt in range(attempts):
            try:
                with self.write() as conn:
                    self._alone.conn = conn
                    try:
                        return fn(conn)
                    finally:
                        self._alone.conn = None
            except (exc.IntegrityError, exc.OperationalError) as error:
                if attempt == attempts - 1 or not self._retryable(error):
                    raise
        raise AssertionError("unreachable")

    def _retryable(self, error: exc.DBAPIError) -> bool:
        if isinstance(error, exc.IntegrityError):
            return True  # a unique race (idempotency key, one payment per request): rerun and see
        code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        if code in _RETRYABLE_PG:
            return True
        return "database is locked" in str(error.orig)

    def dispose(self) -> None:
        self.engine.dispose()
