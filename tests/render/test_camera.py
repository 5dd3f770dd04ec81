"""The pan out: from `pan_out` the camera pulls back, and the room appears smaller."""

from __future__ import annotations

from typing import Any

import numpy as np
import pygame

from thereturn_viz.show.choreography import Choreography


def test_the_camera_pulls_back_by_last_breath(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    pan, breath = sheet.time_of("pan_out"), sheet.time_of("last_breath")
    held = {r["camera"]["zoom"] for r in sweep.rows if r["t"] <= pan}
    assert len(held) == 1  # gentle framing: no zooming before the pan
    (before,) = held
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
