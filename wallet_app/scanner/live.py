"""The newest frame of a live source (camera, stream), never a backlog.

A camera or an MJPEG stream keeps producing frames whether or not anyone decodes them; OpenCV buffers
what is not read, so a scanner that reads one frame per decode falls further behind the longer it
runs. ``LatestFrame`` reads on a thread of its own and keeps only the newest frame: whoever asks gets
the frame that is current now, and the frames in between are dropped.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np


class LatestFrame:
    """Reads ``capture`` on a daemon thread; ``newer_than(n)`` waits for a frame after the n-th and returns the newest.

    Use as a context manager: leaving it stops the thread, which then releases the capture.
    """

    def __init__(self, capture: cv2.VideoCapture) -> None:
        self._capture = capture
        self._changed = threading.Condition()
        self._frame: np.ndarray | None = None
        self._count = 0  # frames read so far; the newest is number ``_count``
        self._ended = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qrpos-frame-grabber", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                ok, frame = self._capture.read()
                if not ok or frame is None:
                    break
                with self._changed:
                    self._frame, self._count = frame, self._count + 1
                    self._changed.notify_all()
        finally:
            self._capture.release()  # here, not in close(): never while this thread may be inside read()
            with self._changed:
                self._ended = True
                self._changed.notify_all()

    def newer_than(self, count: int, timeout: float) -> tuple[int, np.ndarray] | None:
        """The newest frame and its number, once there is one after frame ``count``.

        :returns: None when the source ended (or ``timeout`` seconds passed) with nothing newer.
        """
        with self._changed:
            self._changed.wait_for(lambda: self._count > count or self._ended, timeout)
            if self._count <= count or self._frame is None:
                return None
            return self._count, self._frame

    @property
    def frames_read(self) -> int:
        """How many frames the thread has read from the source (most of them never decoded)."""
        with self._changed:
            return self._count

    def close(self) -> None:
        """Stop reading; the thread releases the capture after its current read (bounded by the read timeout)."""
        self._stop.set()
        self._thread.join(timeout=5)

    def __enter__(self) -> LatestFrame:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
