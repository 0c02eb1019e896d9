"""Where in a frame a QR code probably is, cheaply, so that costly clean-up only runs there.

A QR code is a patch where most pixels sit well above or below their neighbourhood's mean: unlike a
flat surface (only noise deviates) or the outline of a box (a thin line deviates). ``candidates``
counts such pixels per cell of a coarse grid and keeps compact, square-ish groups of dense cells.
The threshold follows the frame's own noise, so a washed-out code on a clean sensor is found and
sensor noise on a plain wall is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

CELL = 4  # pixels per cell of the density map (``_shrink`` halves twice: keep it 4)
MIN_CELLS = 5  # cells across the smallest code worth a look
DENSE = 0.6  # share of busy pixels that makes a cell code-like: a code's inside is nearly all busy


@dataclass(frozen=True, slots=True)
class Region:
    """A box (x, y, width, height) in the pixels of the image it was found in, and how dense it is (0-1)."""

    x: int
    y: int
    width: int
    height: int
    score: float

    def scaled(self, factor: float, width: int, height: int) -> Region:
        """The same box in an image ``factor`` times larger, clipped to ``width`` x ``height``."""
        x0, y0 = int(self.x * factor), int(self.y * factor)
        x1, y1 = min(width, int((self.x + self.width) * factor)), min(height, int((self.y + self.height) * factor))
        return Region(x0, y0, x1 - x0, y1 - y0, self.score)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x, self.y, self.width, self.height

    def same_as(self, other: Region) -> bool:
        """Nearly the same box: they share more than 70% of their joint area."""
        x0, y0 = max(self.x, other.x), max(self.y, other.y)
        x1 = min(self.x + self.width, other.x + other.width)
        y1 = min(self.y + self.height, other.y + other.height)
        shared = max(0, x1 - x0) * max(0, y1 - y0)
        return shared > 0.7 * (self.width * self.height + other.width * other.height - shared)

    def overlaps(self, box: tuple[int, int, int, int]) -> bool:
        x, y, w, h = box
        return x < self.x + self.width and self.x < x + w and y < self.y + self.height and self.y < y + h


def candidates(grey: np.ndarray, limit: int = 3) -> list[Region]:
    """Up to ``limit`` code-like regions of a grey image, densest first, with a margin for the quiet zone."""
    height, width = grey.shape
    if min(height, width) < MIN_CELLS * CELL:
        return []  # no room for a code worth a look (and OpenCV takes a 1x1 image for a scalar)
    deviation = cv2.absdiff(grey, cv2.blur(grey, (5, 5)))
    busy = cv2.compare(deviation, _noise_level(deviation) * 2 + 1, cv2.CMP_GT)  # type: ignore[call-overload]  # a scalar threshold
    cells = (max(1, width // CELL), max(1, height // CELL))
    density = cv2.blur(_shrink(busy, cells), (3, 3))
    mask = cv2.compare(density, int(255 * DENSE), cv2.CMP_GT)  # type: ignore[call-overload]  # a scalar threshold
    # Opening cuts off outlines (a box's edge, the screen's border) that would join a code to its
    # surroundings; what is left of a code is its dense inside.
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    # Block-based labelling (BBDT): the same components as the default, in a third of the time on this small map.
    _count, _labels, stats, _centroids = cv2.connectedComponentsWithStatsWithAlgorithm(
        mask, 8, cv2.CV_32S, cv2.CCL_BBDT)
    found = []
    for x, y, w, h, area in stats[1:].tolist():  # plain ints: numpy scalars make this loop the locator's slowest part
        if min(w, h) < MIN_CELLS or max(w, h) > 3 * min(w, h) or area < 0.3 * w * h:
            continue  # too small for a code, a thin streak (a line of text, an edge), or a ragged outline
        score = cv2.mean(density[y:y + h, x:x + w])[0] / 255
        margin = max(w, h) * 0.2 + 1
        x0, y0 = max(0, int((x - margin) * CELL)), max(0, int((y - margin) * CELL))
        x1, y1 = min(width, int((x + w + margin) * CELL)), min(height, int((y + h + margin) * CELL))
        found.append(Region(x0, y0, x1 - x0, y1 - y0, score))
    found.sort(key=lambda region: region.score * min(region.width, region.height) / max(region.width, region.height),
               reverse=True)  # dense and square first: a code, rather than a line of text
    return found[:limit]


def _shrink(busy: np.ndarray, cells: tuple[int, int]) -> np.ndarray:
    """The share of busy pixels in each cell of ``CELL`` x ``CELL`` pixels (0-255); pixels past the last whole
    cell are left out.

    Halving twice takes OpenCV's fast path for an exact 2x area resize: five times faster than one 4x
    resize, and at most one grey level apart from it.
    """
    width, height = cells
    half = cv2.resize(busy[:height * CELL, :width * CELL], (width * 2, height * 2), interpolation=cv2.INTER_AREA)
    return cv2.resize(half, cells, interpolation=cv2.INTER_AREA)


def _noise_level(deviation: np.ndarray) -> int:
    """The median deviation: over most of a frame (walls, a screen's margins) that is sensor noise alone.

    ``np.median`` sorts a copy; partitioning around the middle gives the same value in half the time.
    """
    sample = deviation[::4, ::4].ravel()
    middle = sample.size // 2
    if sample.size % 2:
        return int(np.partition(sample, middle)[middle])
    low, high = np.partition(sample, (middle - 1, middle))[middle - 1:middle + 1]
    return (int(low) + int(high)) // 2
