"""At most ``SSE_MAX_PER_CREDENTIAL`` open event streams per credential, counted in this process.

The server bounds streams per process (``qrpos serve --streams``, :mod:`pos.serving.streams`); this
bound keeps one merchant key, wallet or till from taking all of them, so that one careless or hostile
client cannot shut the others out. A credential is the bearer token (API keys and wallet tokens,
hashed: the secret itself is never kept), else the signed-in wallet of a phone session, else the
signed-in till (merchant, terminal and member of staff), else the client's address. The next stream
over the bound is 429 TOO_MANY_STREAMS with ``Retry-After``; a slot is released when its stream's
response is closed (ended, cut by the client, or never read), whichever way it ends.

Streams are counted in two layers on purpose, this one and :mod:`pos.serving.streams`: here per
credential, inside the app (a client's fair share, 429); there per process, in the WSGI server (the
threads normal requests need, 503), which also counts streams that this layer lets through.
"""

from __future__ import annotations

import hashlib
import threading

from flask import Flask, Response, request, session

from pos.web.auth import bearer_token

RETRY_AFTER_SECONDS = 5


def credential() -> str:
    """Who holds the stream being opened, as a key to count by (no secret in it)."""
    token = bearer_token()
    if token is not None:
        return "bearer:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    wallet = session.get("wallet")
    if isinstance(wallet, dict) and wallet.get("id"):
        return f"wallet:{wallet['id']}"
    if "staff_id" in session:
        return f"till:{session.get('merchant_id')}:{session.get('terminal_id')}:{session['staff_id']}"
    return "addr:" + (request.remote_addr or "unknown")


class StreamQuota:
    """Open streams per credential in this process; thread-safe."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str, limit: int) -> bool:
        with self._lock:
            held = self._open.get(key, 0)
            if held >= limit:
                return False
            self._open[key] = held + 1
            return True

    def release(self, key: str) -> None:
        with self._lock:
            held = self._open.get(key, 0) - 1
            if held > 0:
                self._open[key] = held
            else:
                self._open.pop(key, None)

    def held(self, key: str) -> int:
        with self._lock:
            return self._open.get(key, 0)


def quota(app: Flask) -> StreamQuota:
    return app.extensions.setdefault("qrpos.stream_quota", StreamQuota())


class Slot:
    """One stream's place in the quota, released once when its response closes."""

    def __init__(self, quota: StreamQuota, key: str) -> None:
        self._quota, self._key = quota, key
        self._released = False
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._quota.release(self._key)

    def bind(self, response: Response) -> Response:
        response.call_on_close(self.release)
        return response


def take_slot(app: Flask) -> Slot | None:
    """A slot for a new stream of the current request's credential, or None when it holds its share."""
    key, limit = credential(), int(app.config["SSE_MAX_PER_CREDENTIAL"])
    streams = quota(app)
    return Slot(streams, key) if streams.acquire(key, limit) else None
