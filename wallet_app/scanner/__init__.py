"""The wallet's scanner: frame sources (image, video, camera, stream) -> QR decoders -> a payload.

No network calls of its own beyond opening a stream URL, and no API knowledge: it returns text.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from wallet_app.scanner.decode import Decoded, decode_frame
from wallet_app.scanner.errors import NoCodeFound, ScanError, SourceUnavailable
from wallet_app.scanner.sources import Source, frames, parse_source

__all__ = ["Decoded", "NoCodeFound", "ScanError", "Source", "SourceUnavailable", "decode_frame", "frames",
           "parse_source", "scan"]


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
