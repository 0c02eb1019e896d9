"""'Something changed' for the event streams of this process, by topic (a request id or a merchant id).

Waking every open stream on every change costs one database read per stream per change; a stream
that subscribes to its request's id is woken only by changes to that request (the ids come from the
NOTIFY payload on PostgreSQL, from the events table on SQLite, see :mod:`pos.web.live`). ``notify()``
without topics still wakes everyone: a reconnect, a sweep, anything that cannot say what changed.

A subscription is a flag, not a queue: a wake-up says "read again", the database says what happened.
It starts raised, so the first wait returns at once and the stream reads after it has subscribed
(nothing committed between its first read and its subscription is missed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

ANY = "*"  # a subscription to this topic wakes on every change (a stream that cannot name its ids)


class Subscription:
    """One stream's wake-up flag; use as a context manager so that it is always dropped."""

    def __init__(self, notifier: Notifier, topics: frozenset[str]):
        self.topics = topics
        self._notifier = notifier
        self._flag = threading.Event()
        self._flag.set()

    def wait(self, timeout: float) -> bool:
        """Block until woken or ``timeout``; True when woken. Read the database after it returns."""
        woken = self._flag.wait(timeout)
        self._flag.clear()  # a wake-up after this point raises it again: the next wait returns at once
        return woken

    def wake(self) -> None:
        self._flag.set()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc) -> None:
        self._notifier.unsubscribe(self)


class Notifier:
    """Subscriptions by topic; ``notify(topics)`` wakes theirs, ``notify()`` wakes all of them.

    ``on_first_subscription`` starts the process's wake-up source (a LISTEN connection, a watcher)
    only when a stream needs it; ``on_close`` stops it when the server stops.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._by_topic: dict[str, set[Subscription]] = {}
        self._all: set[Subscription] = set()
        self._version = 0
        self._changed = threading.Condition(self._lock)
        self._on_first: Callable[[], None] | None = None
        self._on_close: list[Callable[[], None]] = []
        self.closed = False

    def set_source(self, start: Callable[[], None], stop: Callable[[], None]) -> None:
        """``start`` runs once, at the first subscription; ``stop`` at ``close()``."""
        self._on_first = start
        self._on_close.append(stop)

    def subscribe(self, topics: Iterable[str]) -> Subscription:
        sub = Subscription(self, frozenset(topics))
        with self._lock:
            start, self._on_first = self._on_first, None
            self._all.add(sub)
            for topic in sub.topics:
                self._by_topic.setdefault(topic, set()).add(sub)
        if start is not None and not self.closed:
            start()
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._all.discard(sub)
            for topic in sub.topics:
                subs = self._by_topic.get(topic)
                if subs is not None:
                    subs.discard(sub)
                    if not subs:
                        del self._by_topic[topic]

    def notify(self, topics: Iterable[str] | None = None) -> int:
        """Wake the subscriptions of ``topics`` (all of them if None); returns how many were woken."""
        with self._lock:
            woken = set(self._all) if topics is None else set().union(
                *(self._by_topic.get(t, ()) for t in topics), self._by_topic.get(ANY, ()))
            self._version += 1
            self._changed.notify_all()
        for sub in woken:
            sub.wake()
        return len(woken)

    def close(self) -> None:
        """The server is stopping: stop the wake-up source, wake every stream so that it ends."""
        self.closed = True
        for stop in self._on_close:
            stop()
        self._on_close.clear()
        self.notify()

    # The coarse interface of before: a counter that any notify() bumps.
    def version(self) -> int:
        with self._lock:
            return self._version

    def wait(self, seen: int, timeout: float) -> int:
        with self._lock:
            self._changed.wait_for(lambda: self._version != seen, timeout)
            return self._version
