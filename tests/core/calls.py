"""Work run in other threads, waited for with a bound: a stuck group commit fails a test in seconds.

A broken leader loop (a lost wake-up, a leader that never hands over, a unit waiting on itself)
shows as a caller that never returns. Each call here runs in a daemon thread, and every wait on it
is bounded by ``WAIT`` and fails with a message that says what never happened; a stuck thread is
left behind without holding up the end of the run. Nothing sleeps: waits are on events.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

WAIT = 10.0  # seconds: what is waited for here takes milliseconds, even on a loaded machine


class Call:
    """``fn(*args, **kwargs)`` running in a daemon thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        self._name = getattr(fn, "__name__", repr(fn))
        self._done = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(fn, args, kwargs), daemon=True).start()

    def _run(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        try:
            self._value = fn(*args, **kwargs)
        except BaseException as error:  # handed to the test, which decides
            self._error = error
        finally:
            self._done.set()

    def finished(self) -> bool:
        return self._done.wait(WAIT)

    def outcome(self) -> Any:
        """What the call returned, or the exception it raised."""
        assert self.finished(), f"{self._name} did not return within {WAIT:g} s: the group commit is stuck"
        return self._value if self._error is None else self._error

    def result(self) -> Any:
        outcome = self.outcome()
        if self._error is not None:
            raise self._error
        return outcome

    def error(self) -> BaseException:
        outcome = self.outcome()
        assert self._error is not None, f"{self._name} returned {outcome!r} instead of raising"
        return self._error


def waited(flag: threading.Event, what: str) -> None:
    assert flag.wait(WAIT), f"{what} did not happen within {WAIT:g} s"


def queued(core, length: int) -> None:
    """Wait until ``length`` units wait together for the leader (so that they share one batch)."""
    assert core.db._group.wait_for_queue(length, timeout=WAIT), f"{length} units never waited together"


@contextmanager
def leader_held(core) -> Iterator[threading.Event]:
    """Keep the leader busy with a blocker unit until the yielded event is set: the units submitted
    meanwhile queue up and run as one batch. The block ends, and the blocker is waited for, on exit."""
    started, release = threading.Event(), threading.Event()

    def blocker(conn):
        started.set()
        waited(release, "the test's release of the leader")
        return "blocker"

    holder = Call(core.db.transact, blocker)
    waited(started, "the blocker unit's start")
    try:
        yield release
    finally:
        release.set()
        holder.finished()


def commits(core) -> list[int]:
    """A counter of the commits on ``core``'s engine from now on (``[n]``)."""
    count = [0]
    event.listen(core.db.engine, "commit", lambda conn: count.__setitem__(0, count[0] + 1))
    return count
