"""Frame sources: an image file, a video file, a camera index or an http(s) stream (MJPEG, video).

Every source is read within bounds (a number of frames and a deadline), so a scan never hangs on a
stalled stream or an endless camera. A video file gives every frame in order; a live source (camera,
stream) gives the newest frame each time, skipping what arrived while the last one was decoded.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from wallet_app.scanner.errors import SourceUnavailable
from wallet_app.scanner.live import LatestFrame

MAX_IMAGE_BYTES = 25 * 2**20  # a phone photo is 2-8 MB
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})


@dataclass(frozen=True, slots=True)
class Source:
    """What the user named: ``kind`` is image, video, camera or stream; ``target`` what OpenCV opens."""

    kind: str
    target: str | int

    def __str__(self) -> str:
        return f"camera {self.target}" if self.kind == "camera" else str(self.target)


def parse_source(text: str) -> Source:
    """Tell a camera index ("0"), a URL (http/https) and a file path apart."""
    text = text.strip()
    if text.isdigit():
        return Source("camera", int(text))
    if text.lower().startswith(("http://", "https://")):
        return Source("stream", text)
    kind = "image" if Path(text).suffix.lower() in IMAGE_SUFFIXES else "video"
    return Source(kind, text)


@contextmanager
def quiet_opencv():
    """Silence OpenCV's and FFmpeg's own stderr lines; our errors say what went wrong, once."""
    previous = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(previous)


def frames(
    source: Source, *, max_frames: int, timeout: float, clock: Callable[[], float] = time.monotonic
) -> Iterator[np.ndarray]:
    """Yield at most ``max_frames`` frames, until ``timeout`` seconds have passed or the source ends.

    :raises SourceUnavailable: the source cannot be opened or gives no frame at all.
    """
    if source.kind == "image":
        yield read_image(str(source.target))
        return
    deadline = clock() + timeout
    capture = _open_capture(source, timeout)
    if source.kind in ("camera", "stream"):
        yield from _live_frames(source, capture, max_frames=max_frames, timeout=timeout, deadline=deadline, clock=clock)
        return
    try:
        for count in range(max_frames):
            if count and clock() >= deadline:
                return
            with quiet_opencv():
                ok, frame = capture.read()
            if not ok or frame is None:
                if count == 0:
                    raise SourceUnavailable(f"{source}: no frame could be read")
                return
            yield frame
    finally:
        capture.release()


def _live_frames(source: Source, capture: cv2.VideoCapture, *, max_frames: int, timeout: float, deadline: float,
                 clock: Callable[[], float]) -> Iterator[np.ndarray]:
    """The newest frame each time it is asked for: decoding never falls behind the camera."""
    with quiet_opencv(), LatestFrame(capture) as latest:
        seen = 0
        for count in range(max_frames):
            if count and clock() >= deadline:
                return
            newest = latest.newer_than(seen, timeout)
            if newest is None:
                if count == 0:
                    raise SourceUnavailable(f"{source}: no frame could be read")
                return
            seen, frame = newest
            yield frame


def read_image(path: str) -> np.ndarray:
    """The image file at ``path`` as BGR.

    :raises SourceUnavailable: no such file, or not an image OpenCV can read.
    """
    if not os.path.isfile(path):
        raise SourceUnavailable(f"{path}: no such file")
    with quiet_opencv():
        image = cv2.imread(path)
    if image is None:
        raise SourceUnavailable(f"{path}: not a readable image")
    return image


def decode_image(data: bytes) -> np.ndarray:
    """Image bytes (an uploaded photo: JPEG, PNG, WebP...) as BGR, turned upright by its EXIF orientation.

    :raises SourceUnavailable: the bytes are not an image OpenCV can read, or too large a one.
    """
    if not data:
        raise SourceUnavailable("an empty file is not an image")
    if len(data) > MAX_IMAGE_BYTES:
        raise SourceUnavailable(f"an image of more than {MAX_IMAGE_BYTES // 2**20} MB")
    with quiet_opencv():
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise SourceUnavailable("not a readable image")
    return image


def _open_capture(source: Source, timeout: float) -> cv2.VideoCapture:
    if source.kind == "video" and not os.path.isfile(str(source.target)):
        raise SourceUnavailable(f"{source}: no such file")
    with quiet_opencv():
        if source.kind == "stream":
            # FFmpeg would otherwise wait ~30 s on a server that accepts and then says nothing.
            ms = max(1, int(timeout * 1000))
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
            capture = cv2.VideoCapture(source.target, cv2.CAP_FFMPEG, params)
        else:
            capture = cv2.VideoCapture(source.target)
    if not capture.isOpened():
        capture.release()
        raise SourceUnavailable(_cannot_open(source))
    return capture


def _cannot_open(source: Source) -> str:
    if source.kind == "camera":
        return f"camera {source.target} cannot be opened (no such camera on this machine?)"
    if source.kind == "stream":
        return f"{source}: the stream cannot be opened (unreachable, or not a video)"
    return f"{source}: not a readable video or image"
