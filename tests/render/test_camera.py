"""The view: world to picture and back; the pan out (from `pan_out` the camera pulls back, and
the room appears smaller)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.render.camera import DANCER_DEPTH, MIRROR_DEPTH, REFLECTION_DEPTH, View
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import Camera


def test_the_camera_pulls_back_by_last_breath(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    pan, breath = sheet.time_of("pan_out"), sheet.time_of("last_breath")
    # the camera moves as the cue sheet keys it, always gently: eased, never a jump
    zoom = [r["camera"]["zoom"] for r in sweep.rows]
    assert len(set(zoom)) > 3
    assert max(abs(b - a) for a, b in zip(zoom, zoom[1:], strict=False)) < 0.05
    before = sweep.row_at(pan)["camera"]["zoom"]
    assert sweep.row_at(breath)["camera"]["zoom"] <= 0.85 * before
    zooms = [r["camera"]["zoom"] for r in sweep.rows if pan <= r["t"] <= breath]
    assert all(b <= a for a, b in zip(zooms, zooms[1:], strict=False))  # a slow, steady pull


def _as_surface(a: Any) -> pygame.Surface:
    return pygame.surfarray.make_surface(
        np.ascontiguousarray(a.transpose(1, 0, 2)).astype(np.uint8)
    )


def test_the_room_appears_smaller_after_the_pan(sweep: Any, paint: Any, room: Any) -> None:
    near, far = sweep.at("pan_out-1"), sweep.at("last_breath")
    assert near.light_mix == far.light_mix  # the same light: only the framing differs
    a, b = paint(room(near)), paint(room(far))
    # the middle of the far picture, blown up by the ratio of zooms, is the near picture
    k = far.camera.zoom / near.camera.zoom
    w, h = paint.size
    cw, ch = round(w * k), round(h * k)
    middle = _as_surface(b).subsurface(pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch))
    grown = pygame.surfarray.array3d(pygame.transform.smoothscale(middle, (w, h)))
    grown = grown.transpose(1, 0, 2).astype(np.float64)
    assert np.abs(grown - a).mean() < 0.4 * np.abs(b - a).mean()


@settings(max_examples=200, deadline=None)
@given(
    size=st.tuples(st.integers(16, 4000), st.integers(16, 3000)),
    cam=st.tuples(st.floats(-3.0, 3.0), st.floats(0.5, 3.0), st.floats(0.5, 2.0)),
    point=st.tuples(st.floats(-12.0, 12.0), st.floats(-1.0, 6.0)),
    depth=st.sampled_from([DANCER_DEPTH, MIRROR_DEPTH, REFLECTION_DEPTH, 5.0]),
)
def test_to_world_undoes_to_screen(
    size: tuple[int, int],
    cam: tuple[float, float, float],
    point: tuple[float, float],
    depth: float,
) -> None:
    view = View(*size, Camera(*cam))
    x, y = view.to_world(*view.to_screen(*point, depth), depth)
    assert x == pytest.approx(point[0], abs=1e-9) and y == pytest.approx(point[1], abs=1e-9)


def test_a_pixel_further_off_is_further_off_in_the_world_and_more_so_deeper() -> None:
    view = View(320, 180, Camera(0.5, 1.55, 0.8))
    # the picture's centre shows the camera's own point on every plane
    assert view.to_world(160.0, 90.0) == (0.5, 1.55)
    assert view.to_world(160.0, 90.0, MIRROR_DEPTH) == (0.5, 1.55)
    # right and up on the picture are right and up in the world, and a pixel spans more of a
    # plane the further away the plane is
    near = view.to_world(260.0, 40.0)
    far = view.to_world(260.0, 40.0, MIRROR_DEPTH)
    assert near[0] > 0.5 and near[1] > 1.55
    assert far[0] - 0.5 == pytest.approx((near[0] - 0.5) * MIRROR_DEPTH / DANCER_DEPTH)
    assert far[1] - 1.55 == pytest.approx((near[1] - 1.55) * MIRROR_DEPTH / DANCER_DEPTH)
    # one pixel across on the dancers' plane is one over the scale in meters
    step = view.to_world(161.0, 90.0)[0] - view.to_world(160.0, 90.0)[0]
    assert step == pytest.approx(1.0 / view.scale)
