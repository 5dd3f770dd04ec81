"""The presence: only in the mirror, only around the apex of the lift."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from thereturn_viz.render.camera import View
from thereturn_viz.render.studio import mirror_rect
from thereturn_viz.show.choreography import Choreography

#: "Over a few seconds after music_resumes": the presence is gone by then.
GONE_WITHIN = 6.0


def test_the_presence_appears_only_around_the_apex(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    apex, resumes = sheet.time_of("lift_apex"), sheet.time_of("music_resumes")
    seen = [r for r in sweep.rows if r["presence"] > 0.0]
    assert seen
    assert all(apex < r["t"] < resumes + GONE_WITHIN for r in seen)
    assert max(r["presence"] for r in seen) > 0.9
    # still there as the music resumes, then fading
    assert 0.0 < sweep.row_at(resumes + 1.5)["presence"] < sweep.row_at(resumes)["presence"]


def test_the_presence_is_drawn_in_the_mirror_and_nowhere_else(sweep: Any, paint: Any) -> None:
    fs = replace(sweep.at("lift_apex+4"), film=False)
    assert fs.presence > 0.9
    changed = np.abs(paint(fs) - paint(replace(fs, presence=0.0))).sum(axis=2) > 6.0
    assert changed.sum() > 200  # a figure's worth of pixels, at this small size
    rect = mirror_rect(View(*paint.size, fs.camera))
    ys, xs = np.nonzero(changed)
    assert xs.min() >= rect.left and xs.max() < rect.right
    assert ys.min() >= rect.top and ys.max() < rect.bottom


def test_the_presence_is_faint(sweep: Any, new_paint: Any) -> None:
    paint = new_paint((640, 360))
    fs = replace(sweep.at("lift_apex+4"), film=False, presence=1.0)
    added = paint(fs) - paint(replace(fs, presence=0.0))
    assert (added.sum(axis=2) > 6.0).sum() > 800
    # a faint glow in the glass: it lifts what is behind it by at most a quarter of full scale
    assert added.max() <= 64.0


def test_the_presence_breathes(sweep: Any, paint: Any) -> None:
    fs = replace(sweep.at("lift_apex+4"), film=False, presence=1.0)
    without = paint(replace(fs, presence=0.0))
    shapes = []
    for dt in (0.0, 1.3, 2.6):
        # the same moment of the dancers and the dust, only the presence's clock moves on
        added = paint(replace(fs, t=fs.t + dt)) - without
        shapes.append(added.sum(axis=2) > 6.0)
    assert all(s.sum() > 200 for s in shapes)
    # alive: its outline changes from one moment to the next, but it stays where it stood
    assert (shapes[0] ^ shapes[1]).sum() > 20 and (shapes[1] ^ shapes[2]).sum() > 20
    centres = [np.nonzero(s)[1].mean() for s in shapes]
    assert max(centres) - min(centres) < 0.05 * paint.size[0]
