"""The wallet's client of the qrpos payment API: sign in with wallet id and PIN, scan, pay, look.

Errors, all with a stable ``code`` (the API's own where it answered)::

    ApiError(code, message, status)   the API refused: its {"error": {"code", "message"}} and HTTP status
    └── ServerUnreachable             SERVER_UNREACHABLE: no connection, or no answer in time (status None)

A payment carries an ``Idempotency-Key`` made once per attempt to pay and sent again on every retry
after a timeout or a dropped connection, so a lost response never charges twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

API = "/api/v1"


class ApiError(Exception):
    """The API said no (or could not be asked); ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


class ServerUnreachable(ApiError):
    def __init__(self, message: str):
        super().__init__("SERVER_UNREACHABLE", message, None)


def new_idempotency_key() -> str:
    return f"wallet-{uuid.uuid4().hex}"


class WalletClient:
    """One wallet's session with the API. Signs in on first use, and again once if the session expired.

    :param transport: an httpx transport; ``httpx.WSGITransport(app=create_app(...))`` in tests.
    :param retries: how many times a payment (or a read) is sent again after a network failure.
    """

    def __init__(self, base_url: str, wallet_id: str, pin: str, *, transport: httpx.BaseTransport | None = None,
                 timeout: float = 10.0, retries: int = 2, backoff: float = 0.25,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url, self.wallet_id, self.pin = base_url.rstrip("/"), wallet_id, pin
        self.retries, self.backoff, self.sleep = retries, backoff, sleep
        self.token: str | None = None
        try:
            self.http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout)
        except (httpx.InvalidURL, TypeError) as exc:
            raise ApiError("INVALID_SERVER_URL", f"{base_url!r} is not a server URL ({exc})") from None

    def __enter__(self) -> WalletClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def sign_in(self) -> dict:
        """Exchange wallet id and PIN for a session token (``POST /sessions``)."""
        session = self._send("POST", "/sessions", json={"wallet": self.wallet_id, "pin": self.pin})
        self.token = session["token"]
        return session

    def scan(self, payload: str) -> dict:
        """The authoritative request behind a scanned payload: payee, amount, status and a quote."""
        return self._call("POST", "/scans", json={"payload": payload})

    def pay(self, payload: str, quote_id: str | None = None, miles: int = 0, amount: int | None = None,
            idempotency_key: str | None = None) -> dict:
        """Pay a payload once, whatever the retries; ``amount`` (minor units) only for a static code."""
        body: dict = {"payload": payload, "miles": miles}
        if quote_id is not None:
            body["quote_id"] = quote_id
        if amount is not None:
            body["amount"] = amount
        key = idempotency_key or new_idempotency_key()
        return self._call("POST", "/payments", json=body, headers={"Idempotency-Key": key}, retry=True)

    def wallet(self) -> dict:
        """Balance and miles."""
        return self._call("GET", "/wallet", retry=True)

    def payments(self, limit: int = 20, starting_after: str | None = None) -> dict:
        """One page of the wallet's payments, newest first."""
        params = {"limit": limit, **({"starting_after": starting_after} if starting_after else {})}
        return self._call("GET", "/wallet/payments", params=params, retry=True)

    def payment_code(self) -> dict:
        """A one-time payment code for the till to scan."""
        return self._call("POST", "/payment-codes")

    def _call(self, method: str, path: str, *, retry: bool = False, headers: dict | None = None, **kw):
        if self.token is None:
            self.sign_in()
        try:
            return self._send(method, path, headers={**self._auth(), **(headers or {})}, retry=retry, **kw)
        except ApiError as exc:
            if exc.code != "BAD_TOKEN":
                raise
        self.sign_in()  # the session expired: one fresh sign-in, then the same call (same key) again
        return self._send(method, path, headers={**self._auth(), **(headers or {})}, retry=retry, **kw)

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def _send(self, method: str, path: str, *, retry: bool = False, **kw):
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                response = self.http.request(method, API + path, **kw)
                break
            except httpx.TransportError as exc:
                if attempt + 1 == attempts:
                    raise ServerUnreachable(f"no answer from {self.base_url} ({_reason(exc)})") from None
                self.sleep(self.backoff * 2**attempt)
        return _result(response)


def _reason(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__


def _result(response: httpx.Response):
    if response.status_code == 204:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and body is not None:
        return body
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and "code" in error:
        raise ApiError(str(error["code"]), str(error.get("message", "")), response.status_code)
    raise ApiError(f"HTTP_{response.status_code}", f"unexpected answer from {response.request.url}",
                   response.status_code)
