"""Live sources decode the newest frame: a stream's frames that arrive while one is decoded are skipped."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

import cv2

from tests.wallet.images import blank_frame, mjpeg_stream, on_canvas, qr_image
from wallet_app.scanner import LatestFrame, decode_frame, parse_source, scan
from wallet_app.scanner.sources import frames

FRAMES = 12


def numbered_frames(count: int = FRAMES) -> list:
    """Frames a camera sends one after the other, each showing a code with its number."""
    return [on_canvas(qr_image(f"frame {number}", box_size=6)) for number in range(1, count + 1)]


def open_stream(url: str) -> cv2.VideoCapture:
    capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 10_000,
                                                     cv2.CAP_PROP_READ_TIMEOUT_MSEC, 10_000])
    assert capture.isOpened()
    return capture


@contextmanager
def reading(shown, **stream):
    """A LatestFrame on an MJPEG stream of ``shown``; the server stops first, so the reader's last read returns."""
    with ExitStack() as stack:
        readers = []
        stack.callback(lambda: readers and readers[0].close())
        url = stack.enter_context(mjpeg_stream(shown, **stream))
        readers.append(LatestFrame(open_stream(url)))
        yield readers[0]


def test_a_reader_that_fell_behind_gets_the_newest_frame_not_the_next_one():
    with reading(numbered_frames(), then="hold") as latest:
        # Wait (on the grabber's condition, not a sleep) until the camera's twelve frames have all arrived.
        count, _frame = latest.newer_than(FRAMES - 1, timeout=20)
        assert count == FRAMES == latest.frames_read
        # A decoder that last saw frame 1 is handed frame 12: frames 2 to 11 were never queued.
        count, frame = latest.newer_than(1, timeout=1)
        assert count == FRAMES
        assert decode_frame(frame).text == f"frame {FRAMES}"


def test_nothing_newer_within_the_timeout_is_none_not_the_same_frame_again():
    with reading(numbered_frames(2), then="hold") as latest:
        count, _frame = latest.newer_than(1, timeout=20)
        assert latest.newer_than(count, timeout=0.05) is None


def test_a_stream_that_ends_ends_the_live_frames():
    with reading(numbered_frames(3)) as latest:
        seen, texts = 0, []
        while (newest := latest.newer_than(seen, timeout=20)) is not None:
            seen, frame = newest
            texts.append(decode_frame(frame).text)
    assert texts and texts[-1] == "frame 3"  # the last frame is always seen; earlier ones may be skipped


def test_a_live_scan_reads_the_code_the_camera_shows_now_and_stops_at_max_frames():
    shown = [blank_frame()] * 5 + [on_canvas(qr_image("the till's code", box_size=6))]
    with mjpeg_stream(shown, then="repeat") as url:
        assert scan(url, max_frames=100, timeout=20) == "the till's code"
        live = frames(parse_source(url), max_frames=3, timeout=20)
        assert len(list(live)) == 3
