"""QR codes from frames: zxing-cpp first (it reads UTF-8 names such as 渋谷ラーメン right), OpenCV second."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp


@dataclass(frozen=True, slots=True)
class Decoded:
    """A QR code's text and the decoder that read it ("zxing-cpp" or "opencv")."""

    text: str
    decoder: str


def decode_frame(frame: np.ndarray) -> Decoded | None:
    """The first QR code in one frame (BGR or grey), or None."""
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    return _zxing(grey) or _opencv(grey)


def _zxing(grey: np.ndarray) -> Decoded | None:
    for barcode in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode):
        if barcode.valid and barcode.text:
            return Decoded(barcode.text, "zxing-cpp")
    return None


def _opencv(grey: np.ndarray) -> Decoded | None:
    try:
        text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(grey)
    except cv2.error:  # OpenCV raises on some degenerate finder-pattern geometries
        return None
    return Decoded(text, "opencv") if text else None
