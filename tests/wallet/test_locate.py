"""The locator's shortcuts give what the plain computations give: the median noise, the density map."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from wallet_app.scanner.locate import CELL, _noise_level, _shrink


@pytest.mark.parametrize("shape", [(360, 640), (37, 41), (21, 22), (20, 20)])
def test_the_noise_level_is_the_median_of_the_sampled_deviation(shape):
    rng = np.random.default_rng(5)
    for _ in range(20):
        deviation = rng.integers(0, 60, shape, dtype=np.uint8)
        assert _noise_level(deviation) == int(np.median(deviation[::4, ::4]))


@pytest.mark.parametrize("shape", [(360, 640), (362, 643), (20, 20)])
@pytest.mark.parametrize("busy_share", [0.1, 0.5, 0.9])
def test_the_density_map_is_within_one_grey_level_of_one_area_resize_of_the_whole_cells(shape, busy_share):
    rng = np.random.default_rng(9)
    busy = np.where(rng.random(shape) < busy_share, 255, 0).astype(np.uint8)
    cells = (shape[1] // CELL, shape[0] // CELL)
    plain = cv2.resize(busy[:cells[1] * CELL, :cells[0] * CELL], cells, interpolation=cv2.INTER_AREA)
    shrunk = _shrink(busy, cells)
    assert shrunk.shape == plain.shape
    assert np.abs(shrunk.astype(int) - plain).max() <= 1
