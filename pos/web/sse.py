"""Server-sent events of a payment request's status changes, read from the events table (the outbox).

Each event carries ``id: <seq>`` so that a reconnecting client (``Last-Event-ID``) resumes where it
stopped and never misses a change. A stream wakes when this process commits a change (the notifier)
and otherwise polls, which covers changes made by other processes; it sends ``retry:`` first and a
keep-alive comment while idle, and ends once the request can change no more (expired, cancelled,
refunded) or after ``SSE_MAX_SECONDS`` (clients reconnect).
"""

from __future__ import annotations

import threading
import time

from flask import Response, stream_with_context

from pos.core import reports
from pos.core.errors import InvalidInput
from pos.web.jsonio import dumps

DESCRIPTION = (
    "`text/event-stream`: one `event: <type>` with `id: <seq>` and `data: <event JSON>` per status change, "
    "from the start (or after `Last-Event-ID` / `?after=`). Ends when the request is expired, cancelled or "
    "refunded."
)


class Notifier:
    """'Something changed' for the streams of this process: a counter and a condition."""

    def __init__(self):
        self._cond = threading.Condition()
        self._version = 0
        self.closed = False

    def close(self) -> None:
        """The server is stopping: wake every stream so that it ends and frees its thread."""
        self.closed = True
        self.notify()

    def notify(self) -> None:
        with self._cond:
            self._version += 1
            self._cond.notify_all()

    def version(self) -> int:
        with self._cond:
            return self._version

    def wait(self, seen: int, timeout: float) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self._version != seen, timeout)
            return self._version


def last_event_id(header: str | None, query: str | None) -> int:
    text = header if header is not None else query
    if text is None or text == "":
        return 0
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput("Last-Event-ID must be an event sequence number", code="INVALID_EVENT_ID")
    return int(text)


def frame(seq: int, event: dict) -> str:
    return f"id: {seq}\nevent: {event['type']}\ndata: {dumps(event)}\n\n"


def stream(app, core, *, merchant_id: str, request_id: str, after: int) -> Response:
    """One payment request's events (404 first if it is not this merchant's)."""

    def fetch(cursor: int) -> tuple[list, bool]:
        feed = reports.request_events(core, request_id=request_id, merchant_id=merchant_id, after_seq=cursor)
        return list(feed["events"]), bool(feed["final"])  # type: ignore[call-overload]

    return stream_feed(app, fetch, after=after)


def stream_feed(app, fetch, *, after: int) -> Response:
    """Stream ``fetch(cursor) -> (events, final)`` as server-sent events, waking on each change.

    The first fetch runs before the response starts, so that a refusal (404, 401) is a plain error.
    """
    notifier: Notifier = app.extensions["qrpos.notifier"]
    cfg = app.config
    seen = notifier.version()
    first = fetch(after)

    def generate():
        nonlocal seen
        events, final = first
        cursor = after
        yield f"retry: {int(cfg['SSE_RETRY_MS'])}\n\n"
        deadline = time.monotonic() + float(cfg["SSE_MAX_SECONDS"])
        idle_since = time.monotonic()
        while True:
            for seq, event in events:
                cursor = seq
                idle_since = time.monotonic()
                yield frame(seq, event)
            if final and len(events) < 100:
                return
            if time.monotonic() >= deadline or notifier.closed:
                return
            seen = notifier.wait(seen, float(cfg["SSE_POLL_SECONDS"]))
            if notifier.closed:
                return
            if time.monotonic() - idle_since >= float(cfg["SSE_KEEPALIVE_SECONDS"]):
                idle_since = time.monotonic()
                yield ": keep-alive\n\n"
            events, final = fetch(cursor)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(generate()), mimetype="text/event-stream", headers=headers)
