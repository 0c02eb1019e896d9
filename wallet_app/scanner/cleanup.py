"""Clean-up steps for a patch that looks like a code but did not read: each makes one defect readable.

Each step is a transform of the grey patch and the binarizer zxing-cpp reads the result with. On the
benchmark corpus each step read codes that no other did (enlarging: small, rotated and moiré codes;
CLAHE: washed-out ones and glare; sharpening: focus blur; the fixed threshold: motion blur; enlarging
bilinearly, last: small codes under heavy sensor noise, where bicubic overshoot makes speckles), so all
stay; ``steps_for`` skips those that cannot help a patch, and the pipeline stops at the first that reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

SMALL_PATCH = 520  # patches narrower than this are enlarged: their modules are likely under 3 px
FLAT_STD = 75.0  # grey levels: a code at full contrast has 90-110; washed out or under glare, less


@dataclass(frozen=True, slots=True)
class Step:
    """One way to give zxing-cpp a second look at a patch."""

    name: str
    transform: Callable[[np.ndarray], np.ndarray]
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
    enlarges: bool = False  # the transform doubles the patch's size, for small codes only
    flat_only: bool = False  # for washed-out patches only (a low standard deviation)


def enlarge(patch: np.ndarray) -> np.ndarray:
    """Twice the size, bicubic: modules of 1.5 px become 3 px, enough for zxing-cpp's sampling grid."""
    return cv2.resize(patch, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def enlarge_smooth(patch: np.ndarray) -> np.ndarray:
    """Twice the size, bilinear: no bicubic overshoot, which turns heavy sensor noise on small modules into
    speckles zxing-cpp takes for modules."""
    return cv2.resize(patch, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)


def local_contrast(patch: np.ndarray, tiles: int = 4) -> np.ndarray:
    """CLAHE: a washed-out or unevenly lit code gets its full dark-to-light range back, tile by tile."""
    # A new CLAHE each time: the object keeps buffers, and the server may decode on several threads.
    return cv2.createCLAHE(clipLimit=3.0, tileGridSize=(tiles, tiles)).apply(patch)


def sharpen(patch: np.ndarray) -> np.ndarray:
    """Unsharp mask: undoes some focus blur so that neighbouring modules separate again."""
    soft = cv2.GaussianBlur(patch, (0, 0), 2.0)
    return cv2.addWeighted(patch, 2.0, soft, -1.0, 0)


def same(patch: np.ndarray) -> np.ndarray:
    return patch


LADDER: list[Step] = [
    Step("enlarge", enlarge, enlarges=True),
    Step("contrast", local_contrast, flat_only=True),
    Step("sharpen", sharpen),
    Step("fixed threshold", same, zxingcpp.Binarizer.FixedThreshold),
    Step("enlarge+contrast", lambda patch: enlarge(local_contrast(patch)), enlarges=True, flat_only=True),
    Step("enlarge smooth", enlarge_smooth, enlarges=True),
]

# For the whole half-size frame when nothing else read: a washed-out code, whose texture hardly rises
# above the noise, is the one the locator misses. Finer tiles than on a patch: the frame is larger.
FRAME_STEPS: list[Step] = [
    Step("contrast", lambda frame: local_contrast(frame, tiles=8)),
]


def steps_for(patch: np.ndarray) -> list[Step]:
    """The ladder's steps worth trying on this patch: enlarging only small ones, CLAHE only flat ones."""
    small = max(patch.shape) < SMALL_PATCH
    flat = float(cv2.meanStdDev(patch)[1][0, 0]) < FLAT_STD
    return [step for step in LADDER if (small or not step.enlarges) and (flat or not step.flat_only)]
