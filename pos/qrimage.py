"""QR images for the whole project: render a payload as SVG or PNG, and read payloads back from images.

The demo, the CLIs, the web pages, the PDFs and the wallet all go through this module, so every QR code
qrpos shows is made the same way:

    matrix(payload)                     -> the modules (True = dark), no quiet zone
    render(payload, fmt="svg"|"png")    -> bytes of a crisp image
    render_svg(payload) / render_png(payload) / render_image(payload)
    decode(image)                       -> list[str], every QR code's text found in the image

Payloads are encoded as ONE byte-mode segment of UTF-8, never Kanji mode and without an ECI header:
shop names in Japanese or Chinese then decode to the same text on every scanner that assumes UTF-8
(zxing and the phones' cameras do), instead of being re-guessed as Shift_JIS (see SURFACES.md).
Error correction is M by default, as EMVCo advises for codes read from screens and paper.

This module imports neither Flask nor OpenCV, so the wallet may use it too.
"""

from __future__ import annotations

import io
import os
from typing import Literal

import qrcode
import qrcode.constants
import qrcode.exceptions
import qrcode.util
import zxingcpp
from PIL import Image, UnidentifiedImageError

__all__ = ["ErrorLevel", "QrImageError", "decode", "matrix", "render", "render_image", "render_png", "render_svg"]

ErrorLevel = Literal["L", "M", "Q", "H"]
_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
Matrix = tuple[tuple[bool, ...], ...]


class QrImageError(ValueError):
    """A payload that cannot become a QR code, or bytes that are not an image we can read."""


def matrix(payload: str, *, error: ErrorLevel = "M") -> Matrix:
    """The QR modules of ``payload`` (rows of booleans, True = dark), without the quiet zone.

    :raises QrImageError: for an empty payload, an unknown error level, or a payload too long for any QR version.
    """
    if not isinstance(payload, str) or not payload:
        raise QrImageError("a QR payload must be a non-empty string")
    if error not in _LEVELS:
        raise QrImageError(f"error level must be one of L, M, Q, H, not {error!r}")
    code = qrcode.QRCode(error_correction=_LEVELS[error], border=0)
    code.add_data(qrcode.util.QRData(payload.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError) as exc:
        raise QrImageError(f"payload of {len(payload.encode())} bytes is too long for a QR code") from exc
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def _check_geometry(scale: int, border: int) -> None:
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= 100:
        raise QrImageError(f"scale must be a whole number of pixels per module from 1 to 100, not {scale!r}")
    if isinstance(border, bool) or not isinstance(border, int) or not 0 <= border <= 20:
        raise QrImageError(f"border must be a whole number of modules from 0 to 20, not {border!r}")


def svg_path(modules: Matrix, border: int = 0) -> str:
    """SVG path data drawing every run of dark modules as a 1-module-wide horizontal stroke (module units).

    Moves are relative, so a version-12 code stays near 6 KB (qrcode's own path SVG is about 6x larger).
    """
    parts: list[str] = []
    pen_x, pen_y = 0.0, 0.0  # where the last stroke ended; the first move is absolute from the origin
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            dx, dy = start + border - pen_x, y + border + 0.5 - pen_y
            parts.append(f"{'m' if parts else 'M'}{dx:g} {dy:g}h{x - start}")
            pen_x, pen_y = x + border, y + border + 0.5
    return "".join(parts)


def render_svg(payload: str, *, scale: int = 8, border: int = 4, error: ErrorLevel = "M") -> str:
    """A compact SVG: a white square and one black path, sized ``scale`` px per module, drawn crisp."""
    _check_geometry(scale, border)
    modules = matrix(payload, error=error)
    side = len(modules) + 2 * border
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side * scale}" height="{side * scale}" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges" role="img">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path stroke="#000" d="{svg_path(modules, border)}"/></svg>'
    )


def render_image(payload: str, *, scale: int = 8, border: int = 4, error: ErrorLevel = "M") -> Image.Image:
    """A 1-bit Pillow image, each module exactly ``scale`` x ``scale`` pixels (nearest neighbour)."""
    _check_geometry(scale, border)
    modules = matrix(payload, error=error)
    side = len(modules) + 2 * border
    image = Image.new("1", (side, side), 1)
    pixels = image.load()
    assert pixels is not None  # a new in-memory image always has pixel access
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + border, y + border] = 0
    return image.resize((side * scale, side * scale), Image.Resampling.NEAREST)


def render_png(payload: str, *, scale: int = 8, border: int = 4, error: ErrorLevel = "M") -> bytes:
    """PNG bytes of :func:`render_image` (1-bit, so a few kilobytes)."""
    buffer = io.BytesIO()
    render_image(payload, scale=scale, border=border, error=error).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render(
    payload: str, *, fmt: Literal["svg", "png"] = "svg", scale: int = 8, border: int = 4, error: ErrorLevel = "M"
) -> bytes:
    """The QR code of ``payload`` as image bytes: ``fmt="svg"`` (UTF-8 text) or ``fmt="png"``."""
    if fmt == "svg":
        return render_svg(payload, scale=scale, border=border, error=error).encode("utf-8")
    if fmt == "png":
        return render_png(payload, scale=scale, border=border, error=error)
    raise QrImageError(f"image format must be 'svg' or 'png', not {fmt!r}")


def _open(image: bytes | str | os.PathLike | Image.Image) -> Image.Image:
    if isinstance(image, Image.Image):
        return image
    try:
        if isinstance(image, (bytes, bytearray, memoryview)):
            head = bytes(image[:256]).lstrip()
            if head.startswith((b"<svg", b"<?xml")):
                raise QrImageError("an SVG cannot be scanned directly; render the code as PNG to read it")
            return Image.open(io.BytesIO(image))
        # Read the file now and close it: Pillow keeps a multi-frame file (GIF, TIFF, APNG, a phone's MPO
        # JPEG) open after loading, for its other frames, and only the garbage collector would close it.
        with Image.open(image) as opened:
            opened.load()
            return opened.copy()
    except FileNotFoundError:
        raise QrImageError(f"no such image file: {image!s}") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise QrImageError(f"cannot read an image from {'the bytes given' if isinstance(image, bytes) else image}: "
                           f"{exc.__class__.__name__}") from None


def _grey(image: Image.Image) -> Image.Image:
    """Grey levels for zxing; a transparent background becomes white, as it looks on screen."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return image.convert("L")


def _text(barcode) -> str:
    # Our payloads are UTF-8 without ECI; read the raw bytes as UTF-8 rather than trust zxing's guess of
    # the charset, and keep zxing's text for codes in another encoding.
    try:
        return bytes(barcode.bytes).decode("utf-8")
    except UnicodeDecodeError:
        return barcode.text


def decode(image: bytes | str | os.PathLike | Image.Image) -> list[str]:
    """The text of every QR code in ``image`` (PNG/JPEG/... bytes, a file path or a Pillow image), in reading
    order; an empty list when there is none.

    :raises QrImageError: when the input is not an image that can be read.
    """
    picture = _grey(_open(image))
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)  # type: ignore[arg-type]
    found.sort(key=lambda b: (b.position.top_left.y, b.position.top_left.x))
    return [_text(b) for b in found]
