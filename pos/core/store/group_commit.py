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
* if the commit itself fails, every unit of the batch is rerun alone: nothing of it was committed.

Nothing is acknowledged before the commit that makes it durable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, exc

from pos.core.errors import QrposError

if TYPE_CHECKING:
    from pos.core.store.db import Database

T = TypeVar("T")

_PENDING, _DONE, _FAILED, _ALONE = range(4)


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
        self._local = threading.local()

    def submit(self, fn: Callable[[Connection], T], run_alone: Callable[[Callable[[Connection], T]], T]) -> T:
        """Run ``fn(conn)`` in a shared transaction; ``run_alone(fn)`` is the one-transaction fallback."""
        if getattr(self._local, "leading", False):
            return run_alone(fn)  # a unit that starts a transaction of its own: no deadlock on ourselves
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
                self._local.leading = True
                self._run(batch)
            finally:
                self._local.leading = False
                with self._cv:
                    self._leading = False
                    self._cv.notify_all()
        if unit.state == _DONE:
            return unit.value  # what fn returned
        if unit.state == _FAILED:
            assert isinstance(unit.value, BaseException)
            raise unit.value
        return run_alone(fn)

    def wait_for_queue(self, length: int, timeout: float = 30) -> bool:
        """Block until ``length`` units wait (for tests that need units to share a batch)."""
        with self._cv:
            return self._cv.wait_for(lambda: len(self._queue) >= length, timeout)

    def _run(self, batch: list[_Unit]) -> None:
        if len(batch) == 1:
            return self._run_single(batch[0])
        done: list[_Unit] = []
        try:
            with self._db.write() as conn:
                for unit in batch:
                    self._run_one(conn, unit, done)
        except Exception:  # the shared transaction failed (commit, or a savepoint that would not roll back)
            for unit in batch:
                if unit.state == _PENDING:
                    unit.state = _ALONE  # nothing of it was committed: its caller reruns it alone
            return
        for unit in done:
            unit.state = _DONE

    def _run_single(self, unit: _Unit) -> None:
        """Nobody else waiting: an ordinary transaction, no savepoint to pay for."""
        try:
            with self._db.write() as conn:
                value = unit.fn(conn)
        except QrposError as error:
            unit.state, unit.value = _FAILED, error
        except exc.DBAPIError:
            unit.state = _ALONE  # a conflict or a failed commit: rerun alone, with retries
        except Exception as error:
            unit.state, unit.value = _FAILED, error
        else:
            unit.state, unit.value = _DONE, value

    @staticmethod
    def _run_one(conn: Connection, unit: _Unit, done: list[_Unit]) -> None:
        savepoint = conn.begin_nested()
        try:
            value = unit.fn(conn)
        except QrposError as error:
            savepoint.rollback()
            unit.state, unit.value = _FAILED, error
            return
        except exc.DBAPIError:
            savepoint.rollback()
            unit.state = _ALONE
            return
        except Exception as error:  # a bug in the unit: its caller sees it, the others go on
            savepoint.rollback()
            unit.state, unit.value = _FAILED, error
            return
        savepoint.commit()
        unit.value = value
        done.append(unit)
