"""Security headers on every class of response a real `qrpos serve --https` gives (issue 12, item 9), and
a session cookie that is ``Secure`` under HTTPS: API answers and API errors, pages and error pages, the
API docs, static files, event streams, the server's own refusals (JSON under /api/, plain elsewhere,
too many streams) and the plain-HTTP side port. The client trusts the test's CA and nothing else."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from pos.core import parties, payments
from pos.core.bootstrap import open_core
from pos.core.platform.context import Settings
from tests.core.worlds import ramen_shop
from tests.serving.conftest import DEADLINE
from tests.serving.rawhttp import request
from tests.serving.test_serve_command import Serve, sqlite_url  # noqa: F401  (a fixture)

PAGE = {"content-security-policy": "frame-ancestors 'self'", "x-frame-options": "SAMEORIGIN"}
API = {"content-security-policy": "default-src 'none'"}
DOCS = {"content-security-policy": "frame-ancestors 'none'", "x-frame-options": "DENY"}


def tls_exchange(port: int, raw: bytes, context: ssl.SSLContext) -> tuple[int, dict[str, str]]:
    """``raw`` over TLS on a real socket: the status and the (lower-case) headers of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as plain, \
            context.wrap_socket(plain, server_hostname="localhost") as sock:
        sock.sendall(raw)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    lines = answer.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    return int(lines[0].split(" ")[1]), {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}


def check(what: str, headers, expected: dict[str, str]) -> None:
    assert headers.get("x-content-type-options") == "nosniff", (what, dict(headers))
    for name, part in expected.items():
        assert part in headers.get(name, ""), (what, name, dict(headers))


@pytest.fixture
def shop(sqlite_url):  # noqa: F811
    core = open_core(sqlite_url, settings=Settings(pin_scrypt_n=2**4))
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="Hanako", currency="JPY", pin="1234", balance=10_000)
    request_id = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                         amount=500, currency="JPY")["id"]
    core.db.dispose()
    return {"url": sqlite_url, "key": shop["api_key"], "wallet": wallet["wallet_id"], "request": request_id}


def test_every_response_class_carries_security_headers_and_the_session_cookie_is_secure_over_https(shop, tmp_path):
    folder = tmp_path / "tls"
    server = Serve(shop["url"], "--https", "--port", "0", "--http-port", "0", "--cert-dir", str(folder),
                   "--streams", "1")
    try:
        context = ssl.create_default_context(cafile=str(folder / "ca.crt"))
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        side = server.line("  phones: trust the CA once at ").split(" at ", 1)[1].split(" ", 1)[0]
        merchant = {"Authorization": f"Bearer {shop['key']}"}
        with httpx.Client(base_url=server.url, verify=context, timeout=DEADLINE) as http:
            token = http.post("/api/v1/sessions", json={"wallet": shop["wallet"], "pin": "1234"}).json()["token"]
            answers = {
                "API JSON": (http.get("/api/v1/wallet", headers={"Authorization": f"Bearer {token}"}), 200, API),
                "API error": (http.get("/api/v1/wallet"), 401, API),
                "API not found": (http.get("/api/v1/nothing-here"), 404, API),
                "page": (http.get("/"), 200, PAGE),
                "error page": (http.get("/no-such-page"), 404, PAGE),
                "docs page": (http.get("/api/v1/docs"), 200, DOCS),
                "static file": (http.get("/static/swagger-ui/swagger-ui-bundle.js"), 200, {}),
            }
            for what, (response, status, expected) in answers.items():
                assert response.status_code == status, (what, response.status_code)
                check(what, response.headers, expected)

            # a client with no cookie yet, so that the answer sets one
            login = httpx.get(server.url.rstrip("/") + "/wallet/login", verify=context, timeout=DEADLINE)
            cookie = login.headers["set-cookie"]
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
            check("sign-in page", login.headers, PAGE)

            events = f"/api/v1/payment-requests/{shop['request']}/events"
            with http.stream("GET", events, headers=merchant) as stream:  # holds the one stream slot
                assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
                check("event stream", stream.headers, API)
                status, refused = tls_exchange(port, request("GET", events, merchant), context)
                assert status == 503, refused
                check("too many streams (the server's own)", refused, {"retry-after": ""})

        status, headers = tls_exchange(port, request("POST", "/api/v1/sessions", {"Idempotency-Key": "a\x01b"}),
                                       context)
        assert status == 400 and headers["content-type"] == "application/json"
        check("the server's own API refusal", headers, {})
        status, headers = tls_exchange(port, request("GET", "/wallet/login", {"X-Note": "a\x01b"}), context)
        assert status == 400 and headers["content-type"].startswith("text/plain")
        check("the server's own page refusal", headers, {})

        for path in ("/trust", "/ca.crt", "/wallet/"):
            response = httpx.get(side.rsplit("/", 1)[0] + path, timeout=DEADLINE)
            check(f"side port {path}", response.headers, {})
    finally:
        assert server.stop() == 0
