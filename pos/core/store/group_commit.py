"""Group commit: concurrent write transactions of one process share one database commit.

A durable commit costs a WAL flush (about 2 ms on PostgreSQL here), and the journal's head row
orders every writer, so one commit per settlement caps throughput whatever the concurrency. Real
ledgers batch instead (TigerBeetle commits thousands of transfers per flush). Here the first
waiting thread becomes the leader, runs every queued unit of work in one transaction, each inside
its own SAVEPOINT, commits once, and hands each caller its own outcome:

* a unit that raises a domain error (QrposError) is rolled back to its savepoint alone and its
  caller gets the error; the others still commit;
* a unit that meets a retryable conflict (a unique race, a deadlock) is rolled back to its
  savepoint and rerun alone by its caller, as an ordinary transaction;
* a unit that opens a transaction of its own (calls ``transact`` again) gets a savepoint inside its
  own transaction: the inner work commits with the unit or not at all (a second transaction could
  only wait on the first one's locks, which it holds itself);
* if the COMMIT raises, what happened is asked before anything is rerun, because rerunning work
  that was in fact committed would refuse it (409 "already paid") or do it twice (a static-code
  payment, a top-up): committed, each caller gets its answer; not committed, each unit is rerun
  alone; nobody can tell (the server is gone too), each caller gets the error and nothing is rerun
  (a retry with the same idempotency key then replays or does it, once).

Nothing is acknowledged before the commit that makes it durable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, exc, text

if TYPE_CHECKING:
    from pos.core.store.db import Database

T = TypeVar("T")

_PENDING, _DONE, _FAILED, _ALONE = range(4)

# PostgreSQL 13+: the running transaction's id (NULL while it has written nothing), and later, from
# another connection, whether that transaction committed: made for a COMMIT whose answer was lost.
_TRANSACTION_ID = text("SELECT pg_current_xact_id_if_assigned()::text")
_TRANSACTION_STATUS = text("SELECT pg_xact_status(CAST(:xid AS xid8))")
_OUTCOMES = {"committed": True, "aborted": False}


class _Unit:
    __slots__ = ("fn", "state", "value")

    def __init__(self, fn: Callable[[Connection], Any]):
        self.fn, self.state = fn, _PENDING
        self.value: Any = None  # the result, or the error raised


class GroupCommit:
    def __init__(self, db: Database, *, max_batch: int = 64):
        self._db = db
        self._max = max_batch
        self._cv = threading.Condition()
        self._queue: list[_Unit] = []
        self._leading = False
        self._local = threading.local()  # .conn: the transaction this thread is running a unit in

    def submit(self, fn: Callable[[Connection], T], run_alone: Callable[[Callable[[Connection], T]], T]) -> T:
        """Run ``fn(conn)`` in a shared transaction; ``run_alone(fn)`` is the one-transaction fallback."""
        outer: Connection | None = getattr(self._local, "conn", None)
        if outer is not None:  # called from inside a unit: join its transaction, never wait on ourselves
            with outer.begin_nested():
                return fn(outer)
        unit = _Unit(fn)
        with self._cv:
            self._queue.append(unit)
            self._cv.notify_all()  # lets observers (tests) see the queue grow without polling
        while True:
            with self._cv:
                while self._leading and unit.state == _PENDING:
                    self._cv.wait()
                if unit.state != _PENDING:
                    break
                self._leading = True
                batch, self._queue = self._queue[: self._max], self._queue[self._max :]
            try:
                self._run(batch)
            finally:
                with self._cv:
                    self._leading = False
                    self._cv.notify_all()
        if unit.state == _DONE:
            return unit.value  # what fn returned
        if unit.state == _FAILED:
            assert isinstance(unit.value, BaseException)
            raise unit.value
        return run_alone(partial(self._call, fn))

    def wait_for_queue(self, length: int, timeout: float = 30) -> bool:
        """Block until ``length`` units wait (for tests that need units to share a batch)."""
        with self._cv:
            return self._cv.wait_for(lambda: len(self._queue) >= length, timeout)

    def _call(self, fn: Callable[[Connection], T], conn: Connection) -> T:
        """Run a unit on ``conn``; a transaction it opens joins this one (see ``submit``)."""
        self._local.conn = conn
        try:
            return fn(conn)
        finally:
            self._local.conn = None

    def _run(self, batch: list[_Unit]) -> None:
        if len(batch) == 1:
            return self._run_single(batch[0])
        done: list[_Unit] = []
        xid, committing = None, False
        try:
            with self._db.write() as conn:
                for unit in batch:
                    self._run_one(conn, unit, done)
                xid, committing = _transaction_id(conn), True
        except Exception as error:  # the shared transaction failed (commit, or a savepoint that would not roll back)
            if committing:
                return self._after_failed_commit(done, xid, error)
            for unit in batch:
                if unit.state == _PENDING:
                    unit.state = _ALONE  # nothing of it was committed: its caller reruns it alone
            return
        for unit in done:
            unit.state = _DONE

    def _run_single(self, unit: _Unit) -> None:
        """Nobody else waiting: an ordinary transaction, no savepoint to pay for."""
        xid, committing = None, False
        try:
            with self._db.write() as conn:
                unit.value = self._call(unit.fn, conn)
                xid, committing = _transaction_id(conn), True
        except Exception as error:
            if committing:
                return self._after_failed_commit([unit], xid, error)
            _settle_error(unit, error)
            return
        unit.state = _DONE

    def _run_one(self, conn: Connection, unit: _Unit, done: list[_Unit]) -> None:
        savepoint = conn.begin_nested()
        try:
            value = self._call(unit.fn, conn)
        except Exception as error:
            savepoint.rollback()
            _settle_error(unit, error)
            return
        savepoint.commit()
        unit.value = value
        done.append(unit)

    def _after_failed_commit(self, units: list[_Unit], xid: str | None, error: Exception) -> None:
        """The COMMIT of ``units`` (each holding its result) raised: answer, rerun or fail each one."""
        committed = self._committed(xid)
        for unit in units:
            if committed is None:
                unit.state, unit.value = _FAILED, error  # nobody can tell: a rerun might do it twice
            else:
                unit.state = _DONE if committed else _ALONE

    def _committed(self, xid: str | None) -> bool | None:
        """Whether the transaction ``xid``, whose COMMIT raised, was committed (None: nobody can tell)."""
        if self._db.is_sqlite:
            return False  # in-process, nothing lost in transit: a COMMIT that fails did not commit
        if xid is None:
            return True  # it wrote nothing: committed or not, every answer stands as it is
        try:
            with self._db.engine.connect() as conn:  # a bare read, rolled back: no commit of its own to fail
                status = conn.execute(_TRANSACTION_STATUS, {"xid": xid}).scalar_one()
        except Exception:  # not only DBAPIError: SQLAlchemy can trip over a connection closed under it
            return None  # the server cannot be asked either
        return _OUTCOMES.get(status)  # "in progress" (its COMMIT still running): nobody can tell yet


def _transaction_id(conn: Connection) -> str | None:
    """The id a lost COMMIT's outcome can be asked by (PostgreSQL only; None before any write)."""
    if conn.dialect.name != "postgresql":
        return None
    value: str | None = conn.execute(_TRANSACTION_ID).scalar()
    return value


def _settle_error(unit: _Unit, error: Exception) -> None:
    """A unit that raised before any commit: its transaction, or savepoint, was rolled back."""
    if isinstance(error, exc.DBAPIError):
        unit.state = _ALONE  # a conflict, or the connection failing: rerun alone, with retries
    else:
        unit.state, unit.value = _FAILED, error  # a domain refusal, or a bug in the unit: its caller sees it
