"""Real pictures of QR codes for the scanner tests: PNGs, degraded photos, videos, an MJPEG stream."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np
import qrcode

FRAME_SIZE = (640, 480)


def qr_image(payload: str, box_size: int = 8) -> np.ndarray:
    """The payload as a BGR image, made like ``pos.demo.save_qr`` (error correction M)."""
    image = qrcode.make(payload, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    grey = np.array(image.convert("L"))
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def on_canvas(image: np.ndarray, size=FRAME_SIZE, shade: int = 200) -> np.ndarray:
    """The image centred on a grey frame of a fixed size, as a camera would see it."""
    width, height = size
    canvas = np.full((height, width, 3), shade, np.uint8)
    h, w = image.shape[:2]
    top, left = (height - h) // 2, (width - w) // 2
    canvas[top:top + h, left:left + w] = image
    return canvas


def blank_frame(size=FRAME_SIZE, shade: int = 200) -> np.ndarray:
    width, height = size
    return np.full((height, width, 3), shade, np.uint8)


def rotated(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape[:2]
    side = int((h**2 + w**2) ** 0.5) + 2
    padded = on_canvas(image, (side, side), shade=255)
    matrix = cv2.getRotationMatrix2D((side / 2, side / 2), degrees, 1.0)
    return cv2.warpAffine(padded, matrix, (side, side), borderValue=(255, 255, 255))


def scaled(image: np.ndarray, factor: float) -> np.ndarray:
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def noisy(image: np.ndarray, sigma: float = 25, seed: int = 7) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(image.astype(np.float64) + noise, 0, 255).astype(np.uint8)


def tilted(image: np.ndarray) -> np.ndarray:
    """A perspective view, as of a phone held at an angle to the till's screen."""
    padded = on_canvas(image, (image.shape[1] + 80, image.shape[0] + 80), shade=255)
    h, w = padded.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * 0.08, h * 0.05], [w * 0.95, 0], [w, h], [0, h * 0.92]])
    return cv2.warpPerspective(padded, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(255, 255, 255))


def write_video(path, frames, fps: int = 10, fourcc: str = "MJPG") -> None:
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (width, height))
    assert writer.isOpened(), f"cannot write {path} with {fourcc}"
    for frame in frames:
        writer.write(frame)
    writer.release()


class _MjpegHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        server = self.server
        if server.silent:
            server.stop.wait(10)  # accept, then say nothing: the reader's timeout must end the scan
            return
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
        self.end_headers()
        index = 0
        try:
            while not server.stop.is_set() and (server.loop or server.then != "end" or index < len(server.jpegs)):
                if index >= len(server.jpegs) and not server.loop:
                    if server.then == "hold":  # the camera stops sending; the connection stays open
                        server.stop.wait()
                        break
                    server.stop.wait(0.01)  # "repeat": the last frame again, at a camera's pace
                jpeg = server.jpegs[index % len(server.jpegs) if server.loop else min(index, len(server.jpegs) - 1)]
                self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\n")
                self.wfile.write(f"Content-Length: {len(jpeg)}\r\n\r\n".encode() + jpeg + b"\r\n")
                self.wfile.flush()
                index += 1
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def mjpeg_stream(frames=(), loop: bool = False, silent: bool = False, then: str = "end"):
    """Serve ``frames`` as an MJPEG stream on 127.0.0.1 (a virtual webcam); yields its URL.

    After the last frame the stream ``then`` ends, repeats the last frame ("repeat"), or sends nothing
    more while keeping the connection open ("hold"); ``loop`` sends the frames round and round.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MjpegHandler)
    server.daemon_threads = True
    server.jpegs = [cv2.imencode(".jpg", frame)[1].tobytes() for frame in frames]
    server.loop, server.silent, server.then, server.stop = loop, silent, then, threading.Event()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/camera.mjpg"
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
