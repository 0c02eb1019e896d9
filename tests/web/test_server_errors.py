"""What the real server (waitress) refuses before the app runs is still a typed JSON error under
/api/ (issue 12, item 8), and its header and body bounds hold before anything is parsed (item 1)."""

from __future__ import annotations

import json
import socket

import pytest

from pos.web import server as web_server
from tests.core.worlds import ramen_shop
from tests.web.test_live_server import server  # noqa: F401  (the fixture)


@pytest.fixture
def served(server):  # noqa: F811
    """A real `qrpos serve` process (tests.web.test_live_server); yields its port."""
    return int(server.url.rsplit(":", 1)[1])


def exchange(port: int, raw: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes, read the whole answer (the server closes after an error): status, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                head, _, body = answer.partition(b"\r\n\r\n")
                length = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(
                    b"content-length:")]
                if length and len(body) >= length[0]:
                    break
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), {k.lower(): v for k, v in headers.items()}, body


def request(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             *(f"{k}: {v}" for k, v in (headers or {}).items())]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def api_error(answer) -> str:
    status, headers, body = answer
    assert headers["content-type"] == "application/json", (status, body)
    error = json.loads(body)
    assert set(error) == {"error"} and set(error["error"]) == {"code", "message"}, error
    return error["error"]["code"]


def test_what_the_server_refuses_itself_under_api_is_a_typed_json_error(served, server):  # noqa: F811
    key = ramen_shop(server.core)["api_key"]
    chunk = b"x" * (70 * 1024)
    chunked = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    json_body = {"Content-Type": "application/json"}
    refusals = [
        ("a control character in Idempotency-Key", 400, "MALFORMED_REQUEST",
         request("POST", "/api/v1/payment-requests", {"Authorization": f"Bearer {key}", "Idempotency-Key": "ab\x01c",
                                                      **json_body}, b'{"amount": 100, "currency": "JPY"}')),
        ("a header block over 32 KiB", 431, "HEADERS_TOO_LARGE",
         request("GET", "/api/v1/ping", {f"X-Filler-{i}": "x" * 1000 for i in range(40)})),
        # the body is never sent: the server answers from the length alone
        ("a body over 1 MiB", 413, "REQUEST_TOO_LARGE",
         request("POST", "/api/v1/sessions", {**json_body, "Content-Length": "5000000"})),
        ("a chunked body over the API's 64 KiB", 413, "REQUEST_TOO_LARGE",
         request("POST", "/api/v1/sessions", {**json_body, "Transfer-Encoding": "chunked"}) + chunked),
        ("an unknown transfer coding", 501, "NOT_IMPLEMENTED",
         request("POST", "/api/v1/sessions", {"Transfer-Encoding": "gzip"})),
        ("JSON nested 1000 levels", 400, "JSON_TOO_DEEP",
         request("POST", "/api/v1/sessions", json_body, b"[" * 1000 + b"]" * 1000)),
    ]
    for what, status, code, raw in refusals:
        answer = exchange(served, raw)
        assert (answer[0], api_error(answer)) == (status, code), what


def test_the_same_refusal_on_a_page_stays_the_servers_own(served):
    status, headers, _ = exchange(served, request("GET", "/terminal/login", {"X-Note": "a\x01b"}))
    assert status == 400 and headers["content-type"].startswith("text/plain")


def test_a_header_block_under_the_bound_is_served(served):
    answer = exchange(served, request("GET", "/api/v1/ping", {f"X-Filler-{i}": "x" * 1000 for i in range(20)}))
    assert answer[0] == 200 and json.loads(answer[2]) == {"status": "ok"}


@pytest.mark.parametrize(("start", "api"), [
    (b"GET /api/v1/ping HTTP/1.1\r\n", True), (b"\r\nPOST /api/v1/x?y=1 HTTP/1.1\r\nX: \x01", True),
    (b"GET http://shop.example/api/v1/ping HTTP/1.1\r\n", True), (b"GET /terminal HTTP/1.1\r\n", False),
    (b"GET /apis HTTP/1.1\r\n", False), (b"", False), (b"garbage", False),
])
def test_an_api_request_is_told_from_its_request_line(start, api):
    assert web_server.is_api_request(start) is api
