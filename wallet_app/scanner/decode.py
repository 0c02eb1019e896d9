"""QR codes from frames: one pipeline for the CLI, the server's photo decoding and live cameras.

Measured on ``benchmarks/scanner.py``'s camera-like corpus (docs/scanner.md has the figures), so:

1. zxing-cpp on a half-size copy: most frames are read here, in about a millisecond; halving also
   averages sensor noise away.
2. Patches that probably hold a code not read yet: where zxing-cpp found a symbol it could not
   decode, and the two most code-like textures ``locate.candidates`` finds. zxing-cpp reads each at
   full size (small codes, light-on-dark codes). Reading patches instead of the whole full-size frame
   costs a third less over the corpus and lost one read in 546 frames (a code tilted 68 degrees).
3. Clean-up steps on each patch (``cleanup.LADDER``: enlarging small codes, local contrast,
   sharpening, another binarizer): on a patch they cost a fraction of what they cost on the frame.
   Once a code is read, only on symbols zxing-cpp found but could not decode and on textures about
   as dense as the read code's (a second code in the frame): climbing it on clutter (text, a
   keyboard) cost a frame already read 0.4-1.8 ms per patch.
4. Nothing read at all: the half-size frame with local contrast (CLAHE), for a washed-out code whose
   texture hardly rises above the noise, which the locator misses.

Only QR Model 2 symbols are read: Micro QR's weak error detection let glare read as a short number.
OpenCV's ``QRCodeDetector`` and ``QRCodeDetectorAruco`` are not used: on the corpus they read nothing
zxing-cpp did not, at 20-50 times the cost (and cannot decode our version 11-13 requests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import cv2
import numpy as np
import zxingcpp

from wallet_app.scanner import cleanup
from wallet_app.scanner.locate import Region, candidates

FORMATS = zxingcpp.BarcodeFormat.QRCodeModel2
HALF_FROM = 720  # frames at least this wide are first read at half size
PATCHES = 2  # code-like textures looked at per frame: two codes in one frame are the most we expect
LIKE_READ = 0.05  # density (0-1) a texture may lack against a read code's and still be climbed as a second code


@dataclass(frozen=True, slots=True)
class Decoded:
    """A QR code's text, the pipeline step that read it, and its box in the frame (x, y, width, height)."""

    text: str
    step: str
    box: tuple[int, int, int, int]


class _Frame:
    """One frame and its grey versions, each made at most once and only when a step needs it."""

    def __init__(self, image: np.ndarray) -> None:
        self.image = image
        self.height, self.width = image.shape[:2]
        self.halved = self.width >= HALF_FROM
        self._patches: dict[Region, np.ndarray] = {}

    @cached_property
    def small(self) -> np.ndarray:
        """The half-size grey frame (the frame itself when it is small already)."""
        if not self.halved:
            return self.grey
        return _grey(cv2.resize(self.image, (self.width // 2, self.height // 2), interpolation=cv2.INTER_AREA))

    @cached_property
    def grey(self) -> np.ndarray:
        return _grey(self.image)

    @cached_property
    def located(self) -> list[Region]:
        """The most code-like textures, in frame pixels."""
        factor = 2.0 if self.halved else 1.0
        return [region.scaled(factor, self.width, self.height) for region in candidates(self.small, limit=PATCHES)]

    def patch(self, region: Region) -> np.ndarray:
        """The region at full size, grey; converting a crop is cheaper than the frame while it is not needed.

        Kept per region: a patch read plainly and not decoded is the clean-up ladder's next input.
        """
        if region not in self._patches:
            crop = _crop(self.grey, region) if "grey" in self.__dict__ else _grey(_crop(self.image, region))
            self._patches[region] = crop
        return self._patches[region]


@dataclass(slots=True)
class _Reading:
    """What one frame gave so far: codes by text, and boxes of symbols found but not decoded."""

    found: dict[str, Decoded] = field(default_factory=dict)
    unread: list[Region] = field(default_factory=list)

    def covers(self, region: Region) -> bool:
        return any(region.overlaps(code.box) for code in self.found.values())


def decode_frame(frame: np.ndarray) -> Decoded | None:
    """The first QR code in one frame (BGR or grey), or None: what a live scan needs."""
    found = decode_all(frame, first_only=True)
    return found[0] if found else None


def decode_all(frame: np.ndarray, *, first_only: bool = False) -> list[Decoded]:
    """Every QR code in one frame (BGR or grey), each text once, in the order they were read.

    :param first_only: stop at the first code read.
    """
    view, reading = _Frame(frame), _Reading()
    # Light-on-dark codes are looked for in the patches (step 2), not here: a second, inverted pass over
    # the whole frame would cost every frame without a code a third more.
    _read(view.small, "half" if view.halved else "full", reading, scale=2.0 if view.halved else 1.0,
          invert=not view.halved)

    def done() -> bool:
        return bool(reading.found) and first_only

    if done():
        return list(reading.found.values())
    if view.halved:
        for region in _patches(view, reading):
            if not done() and not reading.covers(region):
                _read(view.patch(region), "patch", reading, origin=(region.x, region.y))
    for region in _patches(view, reading):  # again: reading the patches may have found undecodable symbols
        if not done() and not reading.covers(region) and _worth_cleaning(view, region, reading):
            _clean_up(view, region, reading)
    # Last, the whole half-size frame once more, cleaned up: a code the locator missed or cut short. Not
    # inverted, as in step 1: only frames nothing read get here, and the inverted pass cost each 0.2 ms more.
    scale = 2.0 if view.halved else 1.0
    for step in cleanup.FRAME_STEPS:
        if reading.found:
            break
        _read(step.transform(view.small), f"{step.name} (frame)", reading, scale=scale, binarizer=step.binarizer,
              invert=False)
    return list(reading.found.values())


def _patches(view: _Frame, reading: _Reading) -> list[Region]:
    """Symbols zxing-cpp found but could not decode, and code-like textures, not yet read.

    A code seen both ways gives two boxes; both are kept unless they nearly coincide, as either may cut it short.
    """
    patches: list[Region] = []
    for region in reading.unread + view.located:
        if not reading.covers(region) and not any(region.same_as(other) for other in patches):
            patches.append(region)
    return patches


def _worth_cleaning(view: _Frame, region: Region, reading: _Reading) -> bool:
    """Whether a patch not read yet deserves the clean-up ladder.

    Before any code is read, every patch does. After one is, a symbol zxing-cpp found but could not
    decode still does, and so does a texture about as dense as the one the code was read in: a second
    code in the frame is seen by the same camera in the same light. Clutter (text, a keyboard) is mostly
    less dense; the ladder on it was the largest cost of frames already read.
    """
    if not reading.found or region in reading.unread:
        return True
    read = [other.score for other in view.located if reading.covers(other)]
    return not read or region.score >= max(read) - LIKE_READ


def _clean_up(view: _Frame, region: Region, reading: _Reading) -> None:
    """Climb the clean-up ladder on one patch until a step reads a code."""
    scale = 1.0
    if view.halved and max(region.width, region.height) >= 2 * cleanup.SMALL_PATCH:
        # a big code: its modules are large enough at half size, where each step costs a quarter
        scale, region = 2.0, region.scaled(0.5, view.width // 2, view.height // 2)
        patch = _crop(view.small, region)
    else:
        patch = view.patch(region)
    origin = (int(region.x * scale), int(region.y * scale))
    for step in cleanup.steps_for(patch):
        if _read(step.transform(patch), step.name, reading, origin=origin,
                 scale=scale / 2 if step.enlarges else scale, binarizer=step.binarizer):
            return


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def _crop(image: np.ndarray, region: Region) -> np.ndarray:
    return image[region.y:region.y + region.height, region.x:region.x + region.width]


def _read(image: np.ndarray, step: str, reading: _Reading, *, scale: float = 1.0, origin: tuple[int, int] = (0, 0),
          binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage, invert: bool = True) -> bool:
    """Add what zxing-cpp reads in ``image`` to ``reading``; True if it read anything new.

    Symbols it finds but cannot decode become patches for the clean-up ladder.
    """
    new = False
    for barcode in zxingcpp.read_barcodes(image, formats=FORMATS, try_rotate=False, try_downscale=False,
                                          try_invert=invert, binarizer=binarizer, return_errors=True):
        box = _box(barcode.position, scale, origin)
        if not barcode.valid:
            x, y, w, h = box
            margin = max(w, h) // 8 + 4  # the quiet zone, and corners zxing-cpp placed a little inside
            reading.unread.append(Region(max(0, x - margin), max(0, y - margin), w + 2 * margin, h + 2 * margin, 1.0))
        elif barcode.text and barcode.text not in reading.found:
            reading.found[barcode.text] = Decoded(barcode.text, step, box)
            new = True
    return new


def _box(position: zxingcpp.Position, scale: float, origin: tuple[int, int]) -> tuple[int, int, int, int]:
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    xs = [point.x * scale + origin[0] for point in corners]
    ys = [point.y * scale + origin[1] for point in corners]
    return int(min(xs)), int(min(ys)), int(max(xs) - min(xs)) + 1, int(max(ys) - min(ys)) + 1
