"""The wallet's scanner: frame sources (image, video, camera, stream) -> one QR pipeline -> payloads.

    scan(source)              -> str             the first code in a file, camera or stream (the CLI)
    decode_image_bytes(data)  -> list[str]       every code in an uploaded photo (the server)
    decode_all(frame)         -> list[Decoded]   every code in one frame, with the step that read it
    decode_frame(frame)       -> Decoded | None  the first code in one frame (live scanning)

No network calls of its own beyond opening a stream URL, and no API knowledge: it returns text.
It imports nothing from ``pos``, so the server can use it as it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from wallet_app.scanner.decode import Decoded, decode_all, decode_frame
from wallet_app.scanner.errors import NoCodeFound, ScanError, SourceUnavailable
from wallet_app.scanner.live import LatestFrame
from wallet_app.scanner.sources import Source, decode_image, frames, parse_source, read_image

__all__ = ["Decoded", "LatestFrame", "NoCodeFound", "ScanError", "Source", "SourceUnavailable", "decode_all",
           "decode_frame", "decode_image_bytes", "frames", "parse_source", "read_image", "scan"]


def scan(
    source: str, *, max_frames: int = 300, timeout: float = 10.0, clock: Callable[[], float] = time.monotonic
) -> str:
    """The text of the first QR code found in ``source``, reading at most ``max_frames`` for ``timeout`` s.

    :param source: an image or video path, a camera index ("0") or an http(s) stream URL.
    :raises SourceUnavailable: the source cannot be opened or read.
    :raises NoCodeFound: no QR code within the bounds.
    """
    parsed, count = parse_source(source), 0
    for frame in frames(parsed, max_frames=max_frames, timeout=timeout, clock=clock):
        count += 1
        decoded = decode_frame(frame)
        if decoded is not None:
            return decoded.text
    plural = "" if count == 1 else "s"
    raise NoCodeFound(f"{parsed}: no QR code found in {count} frame{plural}")


def decode_image_bytes(data: bytes) -> list[str]:
    """The text of every QR code in an image file's bytes (an uploaded photo), in the order read.

    :raises SourceUnavailable: the bytes are not a readable image.
    """
    return [code.text for code in decode_all(decode_image(data))]
