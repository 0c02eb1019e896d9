"""What the server refuses before the app runs, answered in the app's JSON error shape where it wants one.

cheroot refuses some requests itself, before any WSGI app sees them; its own answer is plain text.
For a request whose path starts with one of :attr:`Refusals.json_under` (the API's ``/api/``) the
answer is ``{"error": {"code", "message"}}`` instead, the shape every API error has:

    refused by the server                                   status  code
    malformed request line or header (a control character)  400     MALFORMED_REQUEST
    body over the server's bound (from Content-Length)      413     REQUEST_TOO_LARGE
    header block over the server's bound                    431     HEADERS_TOO_LARGE
    a transfer coding other than chunked                    501     NOT_IMPLEMENTED

(and, rarer, 405, 408, 414, 500, 503, 505 with the codes in :data:`CODES`). Every refusal closes the
connection and says ``X-Content-Type-Options: nosniff``; other paths keep cheroot's plain text.
A request whose line could not be read has no path: it gets the plain text.

cheroot accepts any byte but CR and LF in a header value; here a control character (other than a
tab) in a header, or a name that is not an RFC 9110 token, is a 400 before the app runs: a malformed
``Idempotency-Key`` must not reach the app as a key.

Nothing here imports the web app: the prefixes come from whoever starts the server (``qrpos serve``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cheroot import errors
from cheroot.server import HeaderReader, HTTPRequest

CODES = {400: "MALFORMED_REQUEST", 405: "METHOD_NOT_ALLOWED", 408: "REQUEST_TIMEOUT", 413: "REQUEST_TOO_LARGE",
         414: "URI_TOO_LONG", 431: "HEADERS_TOO_LARGE", 500: "INTERNAL_ERROR", 501: "NOT_IMPLEMENTED",
         503: "SERVER_BUSY", 505: "HTTP_VERSION_NOT_SUPPORTED"}
MESSAGES = {400: "The request is malformed.", 405: "This method is not allowed here.",
            408: "The request did not arrive in time.", 413: "The request body is too large.",
            414: "The request target is too long.", 431: "The request's header block is too large.",
            500: "The server failed to answer.", 501: "This transfer coding is not supported; use chunked or none.",
            503: "The server is busy; try again in a moment.", 505: "Only HTTP/1.0 and HTTP/1.1 are served."}
HEADERS_TOO_LARGE = "431 Request Header Fields Too Large"
CRLF = b"\r\n"

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 field-name
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # CTL except HTAB; CR and LF end the line before


@dataclass(frozen=True)
class Refusals:
    """How the server words its refusals: JSON for paths under ``json_under``, plain text elsewhere."""

    json_under: tuple[str, ...] = ()

    def wants_json(self, target: bytes | None) -> bool:
        """Whether the request target (origin or absolute form, as sent) is under a JSON prefix."""
        if not target or not self.json_under:
            return False
        try:
            path = urlsplit(target).path if b"://" in target else target.split(b"?", 1)[0]
        except ValueError:
            return False
        return any(path.startswith(prefix.encode("ascii")) for prefix in self.json_under)


PLAIN = Refusals()  # every refusal in cheroot's plain text: a server that serves no JSON API


def json_body(status: int, message: str = "") -> bytes:
    """The API's error shape for a refusal with ``status``; ``message`` replaces the default wording."""
    error = {"code": CODES.get(status, "MALFORMED_REQUEST"), "message": message or MESSAGES.get(status, "Refused.")}
    return json.dumps({"error": error}).encode()


class StrictHeaderReader(HeaderReader):
    """cheroot's header reader, refusing control characters in values and non-token names (ValueError: 400)."""

    def __call__(self, rfile, hdict=None):
        return super().__call__(_CheckedLines(rfile), hdict)


class _CheckedLines:
    """Reads header lines from ``rfile``, raising ValueError on a line cheroot would let through."""

    def __init__(self, rfile) -> None:
        self.rfile = rfile

    def readline(self, size: int | None = None) -> bytes:
        line = self.rfile.readline(size)
        if line == CRLF or not line.endswith(CRLF):
            return line  # the end of the block, or cheroot's own refusal of a bare LF
        body = line[:-2]
        if _CONTROL.search(body):
            raise ValueError("A header contains a control character.")
        if body[:1] not in (b" ", b"\t"):  # not a continuation line: a name before the colon
            name = body.split(b":", 1)[0]
            if b":" in body and not _TOKEN.fullmatch(name):
                raise ValueError("A header name is not a token.")
        return line


class RefusingRequest(HTTPRequest):
    """A request whose server refusals are worded by ``server.refusals``, with 431 for a header block
    over ``max_request_header_size`` (cheroot says 413, as for a body)."""

    header_reader = StrictHeaderReader()
    uri: bytes | None = None  # set by read_request_line once the line splits into method, target, version

    def read_request_headers(self) -> bool:
        try:
            return super().read_request_headers()
        except errors.MaxSizeExceeded:
            self.simple_response(HEADERS_TOO_LARGE, "")
            return False

    def simple_response(self, status, msg="") -> None:
        status = str(status)
        code = int(status[:3])
        refusals: Refusals = getattr(self.server, "refusals", PLAIN)
        if refusals.wants_json(self.uri):
            content_type, body = "application/json", json_body(code, msg if isinstance(msg, str) else "")
        else:
            content_type = "text/plain"
            body = msg.encode("ISO-8859-1", "replace") if isinstance(msg, str) else bytes(msg)
            if code in (413, 414, 431) and self.response_protocol != "HTTP/1.1":
                status = "400 Bad Request"  # HTTP/1.0 has none of them (cheroot does the same)
        self.close_connection = True  # the rest of the request is unread: nothing after it can be trusted
        head = (f"{self.server.protocol} {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n")
        try:
            self.conn.wfile.write(head.encode("ISO-8859-1") + body)
        except OSError as error:
            if error.args[0] not in errors.socket_errors_to_ignore:
                raise
