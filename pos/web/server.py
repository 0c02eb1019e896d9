"""The production server (waitress) with the app's bounds, and JSON errors for what it refuses itself.

Waitress refuses some requests before the app ever sees them: a malformed header (a control character
in ``Idempotency-Key``), a header block over ``SERVER_MAX_HEADER_BYTES``, a body over
``MAX_CONTENT_LENGTH``, a transfer coding it does not know. Its answer is plain text; for a request
under ``/api/`` we answer in the API's error shape instead, ``{"error": {"code", "message"}}``:

    waitress refusal                    status  code
    malformed request line or header    400     MALFORMED_REQUEST
    body too large                      413     REQUEST_TOO_LARGE
    header block too large              431     HEADERS_TOO_LARGE
    unknown Transfer-Encoding           501     NOT_IMPLEMENTED

Both limits are bounds before parsing: waitress stops reading at them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from pos.web.jsonio import MIMETYPE, dumps

CODES = {400: "MALFORMED_REQUEST", 413: "REQUEST_TOO_LARGE", 431: "HEADERS_TOO_LARGE", 501: "NOT_IMPLEMENTED",
         500: "INTERNAL_ERROR"}
_KEPT = 8192  # bytes of a request's start kept to find its path, whatever broke later


class RecordingParser(HTTPRequestParser):
    """Waitress's parser, keeping the first bytes it was sent: the request line survives any error."""

    def __init__(self, adj):
        super().__init__(adj)
        self.start = b""

    def received(self, data: bytes) -> int:
        if len(self.start) < _KEPT:
            self.start += data[: _KEPT - len(self.start)]
        return super().received(data)


def is_api_request(start: bytes) -> bool:
    """Whether the request line at the start of ``start`` targets ``/api/`` (origin or absolute form)."""
    line = start.lstrip(b"\r\n").split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    parts = line.split(b" ")
    if len(parts) < 2:
        return False
    target = parts[1]
    path = urlsplit(target).path if b"://" in target else target
    return path.startswith(b"/api/")


class JsonErrorTask(ErrorTask):
    """Waitress's error answer, in the API's JSON shape when the request was for the API."""

    def execute(self) -> None:
        if not is_api_request(getattr(self.request, "start", b"")):
            super().execute()
            return
        error = self.request.error
        body = dumps({"error": {"code": CODES.get(error.code, "MALFORMED_REQUEST"),
                                "message": f"{error.reason}: {error.body}"}}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", MIMETYPE))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    parser_class = RecordingParser
    error_task_class = JsonErrorTask


def create(app, *, host: str, port: int, threads: int, **adjustments):
    """A waitress server for ``app``: bounded headers and bodies, JSON refusals under /api/."""
    bounds = dict(
        # waitress refuses at ">= limit"; the app's bounds are inclusive
        max_request_header_size=int(app.config["SERVER_MAX_HEADER_BYTES"]) + 1,
        max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]) + 1,
    )
    server = create_server(app, host=host, port=port, threads=threads, ident="qrpos", **{**bounds, **adjustments})
    for wsgi_server in [server, *getattr(server, "map", {}).values()]:
        if isinstance(wsgi_server, BaseWSGIServer):
            wsgi_server.channel_class = JsonErrorChannel
    return server
