"""No ringing: heads and hands move as smoothly as their targets, sampled at the step rate.

An unconverged solver makes a chain of servoed joints ring (with 10 solver passes the lead's
head swung +-8 cm at 6 Hz standing still). The jitter measure is the second difference of a
point between steps, less the second difference of the same point on the target figure, so
the choreography's own accelerations (a spin, the trembling hands) do not count.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from thereturn_viz.performance import Performance
from thereturn_viz.physics.stage import BLOCK, STEP_HZ, Stage
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import FrameState

PARTS = ("head", "l_hand", "r_hand")
#: Mean jitter (mm per step squared) allowed in a window; 10 solver passes gave about 2.
LIMIT_MM = 1.5


def _points(fs: FrameState) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    actual, target = [], []
    for d in fs.dancers:
        segs = {s.name: s for s in d.segments}
        goal = {s.name: s for s in d.target}
        actual += [segs[p].b for p in PARTS]
        target += [goal[p].b for p in PARTS]
    return np.array(actual), np.array(target)


def jitter_mm(perf: Performance, centre: float) -> float:
    """Mean |second difference of actual - of target| of heads and hands over 1 s, in mm."""
    frames = np.arange(round((centre - 0.5) * STEP_HZ), round((centre + 0.5) * STEP_HZ) + 1)
    actual, target = [], []
    for t in (frames / STEP_HZ).tolist():
        perf.advance_to(t)
        a, g = _points(perf.frame_state(t))
        actual.append(a)
        target.append(g)
    a, g = np.array(actual), np.array(target)
    d2 = (a[2:] - 2 * a[1:-1] + a[:-2]) - (g[2:] - 2 * g[1:-1] + g[:-2])
    return float(np.linalg.norm(d2, axis=2).mean() * 1000.0)


def test_no_ringing_standing_together_lifted_or_kneeling(choreography: Choreography) -> None:
    sheet = choreography.sheet
    windows = {
        "standing": sheet.time_of("first_note") + 6.0,
        "together": sheet.time_of("together") + 30.0,
        "lift": sheet.time_of("lift_apex") + 2.0,
        "kneel": sheet.time_of("kneel") + 4.0,
    }
    perf = Performance(choreography)
    measured = {name: jitter_mm(perf, t) for name, t in windows.items()}
    assert all(v < LIMIT_MM for v in measured.values()), measured
    assert min(measured.values()) > 0.0  # the figures are simulated, not copied from the targets


def test_targets_worked_out_ahead_are_the_same_numbers(choreography: Choreography) -> None:
    """The real-time loop builds the next block of targets a slice per frame: same steps."""
    plain, ahead = Stage(choreography), Stage(choreography)
    slices = 0
    steps = 2 * BLOCK + BLOCK // 2  # across two block boundaries
    for i in range(steps):
        plain.step()
        if i % 4 == 0:
            slices += ahead.prefetch()
        ahead.step()
    assert slices >= 2 * 3  # each block ahead was built in slices: a figure at a time, then all
    while ahead.prefetch():  # the next block, finished ahead: then nothing more to do
        slices += 1
    assert ahead.prefetch() is False
    a, b = plain.snapshot(), ahead.snapshot()
    for name in a:
        assert np.array_equal(a[name], b[name]), name


def test_the_stage_works_ahead_when_its_next_block_is_due(choreography: Choreography) -> None:
    stage = Stage(choreography)
    assert stage.prefetch(spare=0.0) is False  # no room in the frame, and 10 s to go
    for _ in range(BLOCK - STEP_HZ // 2):  # half a second before the next block
        stage.step()
    assert stage.prefetch(spare=0.0) is True  # due soon: done even in a full frame
