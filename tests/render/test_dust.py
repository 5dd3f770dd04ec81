"""The dust glitters where it crosses a shaft of light and all but vanishes outside it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.ndimage import maximum_filter

from thereturn_viz.render.camera import MIRROR_DEPTH, View
from thereturn_viz.render.light import shafts
from thereturn_viz.state import Dust, FrameState


def _shaft_map(fs: FrameState, width: int, height: int) -> NDArray[np.float64]:
    """How much sunlight each pixel's line of sight crosses (the same ray at any depth)."""
    view = View(width, height, fs.camera)
    s = view.depth_scale(MIRROR_DEPTH)
    xs = fs.camera.x + (np.arange(width) + 0.5 - width / 2) / s
    ys = fs.camera.y - (np.arange(height) + 0.5 - height / 2) / s
    gx, gy = np.meshgrid(xs, ys)
    return shafts(gx, gy, fs.light_mix)


def _specks(with_dust: NDArray[np.float64], without: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Small bright points: local maxima of what the dust added, clearly above their ring."""
    added = (with_dust - without).sum(axis=2)
    return (added == maximum_filter(added, size=3)) & (added > 15.0)


@pytest.mark.parametrize("moment", ["open+8", "together+5", "after+2", "last_breath"])
def test_dust_specks_glitter_in_the_shafts(sweep: Any, paint: Any, moment: str) -> None:
    fs = replace(sweep.at(moment), film=False)
    assert len(fs.dust.xy) > 1000  # thousands of particles in the air
    specks = _specks(paint(fs), paint(replace(fs, dust=Dust.empty())))
    light = _shaft_map(fs, *paint.size)
    inside, outside = light > 0.35, light < 0.02
    assert inside.sum() > 1000 and outside.sum() > 1000
    n_in, n_out = int(specks[inside].sum()), int(specks[outside].sum())
    assert n_in >= 30
    density_in = n_in / inside.sum()
    density_out = (n_out + 1) / outside.sum()
    assert density_in > 10 * density_out


def test_falling_dust_glints_brighter_like_stars(sweep: Any) -> None:
    before = sweep.at("pan_out-1").dust.brightness
    falling = sweep.at("last_breath").dust.brightness  # well into the fall
    assert float(falling.max()) <= 1.0 and float(falling.min()) >= 0.0
    assert float(falling.mean()) > 1.4 * float(before.mean())
