"""Balance read from the figures (physics/weight.py): centre of mass, support, what is carried.

Everything here is measured on the whole piece as stepped once for the physics tests (10 fps),
never on the targets.
"""

from __future__ import annotations

import numpy as np

from thereturn_viz.physics.skeleton import bones
from thereturn_viz.physics.weight import carried
from thereturn_viz.show.choreography import Choreography

from .conftest import NAMES, Trace


def test_mass_is_the_segments_and_the_centre_lies_within_the_figure(trace: Trace) -> None:
    for n in NAMES:
        assert np.allclose(trace.mass[n], sum(b.mass for b in bones(trace.heights[n])))
        seg = trace.segments[n]
        xs, ys = seg[..., 0::2].reshape(len(trace.t), -1), seg[..., 1::2].reshape(len(trace.t), -1)
        com = trace.com[n]
        assert (com[:, 0] >= xs.min(axis=1)).all() and (com[:, 0] <= xs.max(axis=1)).all(), n
        assert (com[:, 1] >= ys.min(axis=1)).all() and (com[:, 1] <= ys.max(axis=1)).all(), n


def test_holds_transmit_real_forces_equal_and_opposite(trace: Trace) -> None:
    """What she is carried by, he carries: read from each figure's own momentum, the two
    forces cancel to within a newton whenever they hold each other, and are 0 when they do not."""
    held = trace.carried["partner"] != 0.0
    assert held.sum() > 100  # the waist holds, the hand holds, the lift
    residual = np.abs(trace.carried["lead"] + trace.carried["partner"])
    assert residual.max() < 1.0, residual.max()
    assert (trace.carried["lead"][~held] == 0.0).all()


def test_in_the_lift_he_carries_her_and_his_feet_carry_both(
    trace: Trace, choreography: Choreography
) -> None:
    sheet = choreography.sheet
    hold = trace.span(sheet.time_of("lift_apex"), sheet.time_of("music_resumes"))
    hers, his = trace.weight["partner"], trace.weight["lead"]
    share = trace.carried["partner"][hold].mean() / hers
    assert share >= 0.8, f"his body carries {share:.0%} of her weight in the lift"
    assert np.isnan(trace.support["partner"][hold]).all(), "her feet touch the floor in the lift"
    assert not np.isnan(trace.support["lead"][hold]).any(), "his feet leave the floor in the lift"
    assert trace.floor["lead"][hold].mean() >= 0.9 * (hers + his)
    assert trace.y("partner", "pelvis")[hold].min() >= 1.6


def test_standing_the_support_is_under_the_feet(trace: Trace) -> None:
    """The support is the floor under what bears the weight: standing, within a foot's length
    of the feet; lifted, none."""
    for n in NAMES:
        span = trace.support[n]
        on = ~np.isnan(span[:, 0])
        assert on.mean() > 0.8, n
        assert (span[on, 0] <= span[on, 1]).all()
        feet = np.stack([trace.point(n, "l_foot")[:, 0], trace.point(n, "r_foot")[:, 0]], axis=1)
        upright = on & (trace.y(n, "head") > 1.3)
        near = (span[upright, 0] >= feet[upright].min(axis=1) - 0.35) & (
            span[upright, 1] <= feet[upright].max(axis=1) + 0.35
        )
        assert near.mean() > 0.95, (n, near.mean())


def test_carried_is_what_is_left_after_gravity_floor_and_guide() -> None:
    # falling freely for one step: nothing carries
    m, dt = 60.0, 1.0 / 120.0
    assert abs(carried(0.0, -9.81 * m * dt, m, dt, 1.0, 0.0, 0.0)) < 1e-9
    # held up by the floor and a partner together
    assert abs(carried(0.0, 0.0, m, dt, 1.0, 300.0, 0.0) - (9.81 * m - 300.0)) < 1e-9
