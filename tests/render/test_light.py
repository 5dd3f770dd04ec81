"""The light turns at the lift: warm amber before, brighter and cooler silver-gold after."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from thereturn_viz.render.camera import View
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import FrameState


def test_the_light_mix_turns_at_the_apex_and_stays(sweep: Any, choreography: Choreography) -> None:
    apex = choreography.sheet.time_of("lift_apex")
    before = [r["light"]["mix"] for r in sweep.rows if r["t"] <= apex]
    assert before and all(m == 0.0 for m in before)
    turned = [r for r in sweep.rows if r["light"]["mix"] == 1.0]
    assert turned and turned[0]["t"] < choreography.sheet.time_of("music_resumes")
    # once turned, the light stays to the end
    assert all(r["light"]["mix"] == 1.0 for r in sweep.rows if r["t"] >= turned[0]["t"])


def _free_columns(fs: FrameState, width: int, height: int) -> NDArray[np.bool_]:
    """Picture columns more than a meter and a half from every visible dancer."""
    view = View(width, height, fs.camera)
    cols = np.arange(width) + 0.5
    free = np.ones(width, bool)
    for d in fs.dancers:
        if d.visible > 0.0:
            sx = view.to_screen(d.joints["pelvis"][0], 0.0)[0]
            free &= np.abs(cols - sx) > 1.5 * view.scale
    return free


def test_the_room_is_brighter_and_cooler_after_the_lift(sweep: Any, paint: Any) -> None:
    before, after = sweep.at("lift_begin-1"), sweep.at("after+2")
    w, h = paint.size
    # the same region of the room in both pictures, away from the dancers
    free = _free_columns(before, w, h) & _free_columns(after, w, h)
    assert free.sum() > w // 4
    a, b = (paint(fs)[:, free] for fs in (before, after))
    assert b.mean() > 1.15 * a.mean()
    ratio_a = a[..., 2].mean() / a[..., 0].mean()
    ratio_b = b[..., 2].mean() / b[..., 0].mean()
    assert ratio_b > ratio_a + 0.05
