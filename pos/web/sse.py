"""Server-sent events of a payment request's status changes, read from the events table (the outbox).

Each event carries ``id: <seq>`` so that a reconnecting client (``Last-Event-ID``) resumes where it
stopped and never misses a change. A stream wakes when its request changes, in this process or
another one (pos.web.live), and otherwise polls as a fallback; it sends ``retry:`` first and a
keep-alive comment while idle, and ends once the request can change no more (expired, cancelled,
refunded) or after ``SSE_MAX_SECONDS`` (clients reconnect). Each credential holds at most
``SSE_MAX_PER_CREDENTIAL`` open streams (:mod:`pos.web.stream_quota`).
"""

from __future__ import annotations

import time

from flask import Response, stream_with_context

from pos.core import reports
from pos.core.errors import InvalidInput
from pos.web import stream_quota
from pos.web.jsonio import dumps, render
from pos.web.live.notifier import ANY, Notifier

__all__ = ["DESCRIPTION", "Notifier", "frame", "last_event_id", "stream"]

DESCRIPTION = (
    "`text/event-stream`: one `event: <type>` with `id: <seq>` and `data: <event JSON>` per status change, "
    "from the start (or after `Last-Event-ID` / `?after=`). Ends when the request is expired, cancelled or "
    "refunded."
)


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

    return stream_feed(app, fetch, after=after, topics=[request_id])


def stream_feed(app, fetch, *, after: int, topics: list[str] | None = None) -> Response:
    """Stream ``fetch(cursor) -> (events, final)`` as server-sent events, waking on each change.

    ``topics`` are the request or merchant ids whose changes wake this stream (pos.web.live); None
    wakes it on every change. The first fetch runs before the response starts, so that a refusal
    (404, 401) is a plain error.
    """
    notifier: Notifier = app.extensions["qrpos.notifier"]
    cfg = app.config
    slot = stream_quota.take_slot(app)
    if slot is None:
        return too_many_streams(int(cfg["SSE_MAX_PER_CREDENTIAL"]))
    try:
        first = fetch(after)
    except BaseException:
        slot.release()
        raise

    def generate():
        events, final = first
        cursor = after
        yield f"retry: {int(cfg['SSE_RETRY_MS'])}\n\n"
        deadline = time.monotonic() + float(cfg["SSE_MAX_SECONDS"])
        idle_since = time.monotonic()
        with notifier.subscribe(topics or [ANY]) as wakeups:  # its first wait returns at once: read again
            while True:
                for seq, event in events:
                    cursor = seq
                    idle_since = time.monotonic()
                    yield frame(seq, event)
                if final and len(events) < 100:
                    return
                if time.monotonic() >= deadline or notifier.closed:
                    return
                wakeups.wait(float(cfg["SSE_POLL_SECONDS"]))
                if notifier.closed:
                    return
                if time.monotonic() - idle_since >= float(cfg["SSE_KEEPALIVE_SECONDS"]):
                    idle_since = time.monotonic()
                    yield ": keep-alive\n\n"
                events, final = fetch(cursor)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return slot.bind(Response(stream_with_context(generate()), mimetype="text/event-stream", headers=headers))


def too_many_streams(limit: int) -> Response:
    """429 TOO_MANY_STREAMS: this credential holds its share of streams (the API's error shape)."""
    body = {"error": {"code": "TOO_MANY_STREAMS", "message": (
        f"this credential already holds {limit} open event streams; close one, or try again in a few seconds")}}
    return render(body, 429, {"Retry-After": str(stream_quota.RETRY_AFTER_SECONDS), "Cache-Control": "no-store"})
