"""A bound on event streams, so that streams never take the threads normal requests need.

A server-sent event stream holds its worker thread for as long as it is open (minutes). The server
runs ``threads + streams`` workers and this middleware lets at most ``streams`` responses of type
``text/event-stream`` run at once: ``threads`` workers are always left for everything else. The
stream over the bound is answered 503 with ``Retry-After`` and the API's error shape, at once.

Streams are counted in two layers on purpose, this one and :mod:`pos.web.stream_quota`: here per
process, around the app (the threads normal requests need, 503); there per credential, inside the app
(one client's fair share of these slots, 429), so that one client cannot take them all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator

RETRY_AFTER_SECONDS = 5
BODY = (b'{"error": {"code": "TOO_MANY_STREAMS", "message": "Too many open event streams on this server; '
        b'try again in a few seconds."}}\n')
HEADERS = [("Content-Type", "application/json"), ("Retry-After", str(RETRY_AFTER_SECONDS)),
           ("Content-Length", str(len(BODY))), ("Cache-Control", "no-store"),
           # the app's security headers for API answers, since this one never reaches the app
           ("X-Content-Type-Options", "nosniff"),
           ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")]


def is_event_stream(headers: list[tuple[str, str]]) -> bool:
    return any(k.lower() == "content-type" and v.split(";")[0].strip().lower() == "text/event-stream"
               for k, v in headers)


class StreamSlots:
    """WSGI middleware: at most ``slots`` event streams at once; a slot is freed when its response closes."""

    def __init__(self, app: Callable, slots: int) -> None:
        self.app = app
        self.slots = slots
        self._lock = threading.Lock()
        self._open = 0

    @property
    def open(self) -> int:
        """Event streams running now."""
        return self._open

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        state = {"held": False, "refused": False}

        def guarded_start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable:
            if is_event_stream(headers) and not state["held"]:
                if not self._take():
                    state["refused"] = True
                    return start_response("503 Service Unavailable", list(HEADERS), exc_info)
                state["held"] = True
            return start_response(status, headers, exc_info)

        body = self.app(environ, guarded_start_response)
        return _Body(body, state, self._give_back)

    def _take(self) -> bool:
        with self._lock:
            if self._open >= self.slots:
                return False
            self._open += 1
            return True

    def _give_back(self) -> None:
        with self._lock:
            self._open -= 1


class _Body:
    """The app's body, replaced by the 503's when the stream was refused; closing frees the slot."""

    def __init__(self, body: Iterable[bytes], state: dict, give_back: Callable[[], None]) -> None:
        self.body, self.state, self.give_back = body, state, give_back

    def __iter__(self) -> Iterator[bytes]:
        if not self.state["refused"]:
            for chunk in self.body:
                if self.state["refused"]:  # an app that starts its response lazily, on the first chunk
                    break
                yield chunk
        if self.state["refused"]:
            yield BODY

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            if self.state["held"]:
                self.state["held"] = False
                self.give_back()
