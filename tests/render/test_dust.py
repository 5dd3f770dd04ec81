"""The dust glitters where it crosses a shaft of light and all but vanishes outside it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.ndimage import maximum_filter

from thereturn_viz.render.camera import DANCER_DEPTH, MIRROR_DEPTH, View
from thereturn_viz.render.light import shafts
from thereturn_viz.state import Dust, FrameState, Segment


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


def _speck_dust(points: list[tuple[float, float, float]], size: float = 1.0) -> Dust:
    """Dust by hand: specks at world ``(x, y)`` and ``depth``, all at full brightness."""
    n = len(points)
    xy = np.array([(x, y) for x, y, _ in points], np.float32)
    depth = np.array([d for _, _, d in points], np.float32)
    ones = np.ones(n, np.float32)
    return Dust(xy, ones, ones * size, depth)


def _on_ray(q: tuple[float, float], depth: float, fs: FrameState) -> tuple[float, float, float]:
    """The point at ``depth`` that the picture shows where it shows ``q`` of the dancers' plane."""
    cam = fs.camera
    k = depth / DANCER_DEPTH
    return (cam.x + (q[0] - cam.x) * k, cam.y + (q[1] - cam.y) * k, depth)


def test_specks_beyond_the_dancers_pass_behind_them(sweep: Any, new_paint: Any) -> None:
    paint = new_paint((480, 270))
    fs = replace(sweep.at("together+5"), film=False, presence=0.0, dust=Dust.empty())
    lead = fs.dancer("lead")
    chest = lead.segment("chest")
    cx, cy = (chest.a[0] + chest.b[0]) / 2, (chest.a[1] + chest.b[1]) / 2
    # the place at chest height whose line of sight crosses the most sunlight
    cam = fs.camera
    xs = np.linspace(-4.0, 4.0, 161)
    k = MIRROR_DEPTH / DANCER_DEPTH
    light = shafts(cam.x + (xs - cam.x) * k, np.full_like(xs, cam.y + (cy - cam.y) * k), 0.0)
    qx = float(xs[np.argmax(light)])
    assert light.max() > 0.5
    # the lead, moved so that his chest is there
    dx = qx - cx
    segs = tuple(
        Segment(g.name, (g.a[0] + dx, g.a[1]), (g.b[0] + dx, g.b[1]), g.ra, g.rb)
        for g in lead.segments
    )
    joints = {n: (p[0] + dx, p[1]) for n, p in lead.joints.items()}
    lead = replace(lead, segments=segs, joints=joints, target=())
    alone, empty = replace(fs, dancers=(lead,)), replace(fs, dancers=())
    view = View(*paint.size, fs.camera)
    sx, sy = (round(v) for v in view.to_screen(qx, cy))

    def glint(scene: FrameState, depth: float) -> float:
        """What one bright speck seen at his chest, ``depth`` from the camera, adds there."""
        speck = _speck_dust([_on_ray((qx, cy), depth, scene)])
        added = paint(replace(scene, dust=speck)) - paint(scene)
        return float(added[sy - 2 : sy + 3, sx - 2 : sx + 3].sum(axis=2).max())

    assert glint(empty, 9.5) > 30.0  # in the open air it glints
    assert glint(alone, 6.5) > 30.0  # nearer than him: over his chest
    assert glint(alone, 9.5) < 3.0  # beyond him: hidden by his body


def test_only_the_largest_motes_show_outside_the_light_and_faintly(
    sweep: Any, new_paint: Any
) -> None:
    paint = new_paint((480, 270))
    fs = replace(sweep.at("together+5"), film=False, presence=0.0, dancers=())
    cam = fs.camera
    # a place in the dark, far from every shaft
    xs = np.linspace(2.0, 5.0, 61)
    k = MIRROR_DEPTH / DANCER_DEPTH
    light = shafts(cam.x + (xs - cam.x) * k, np.full_like(xs, cam.y + (2.0 - cam.y) * k), 0.0)
    qx = float(xs[np.argmin(light)])
    assert light.min() == 0.0
    view = View(*paint.size, cam)
    sx, sy = (round(v) for v in view.to_screen(qx, 2.0))
    without = paint(replace(fs, dust=Dust.empty()))

    def added(size: float) -> float:
        speck = _speck_dust([_on_ray((qx, 2.0), DANCER_DEPTH, fs)], size=size)
        img = paint(replace(fs, dust=speck)) - without
        return float(img[sy - 2 : sy + 3, sx - 2 : sx + 3].max())

    assert added(0.3) == 0.0  # a small speck in the dark: gone
    assert 3.0 < added(1.0) < 40.0  # a large mote at its brightest: a faint point
