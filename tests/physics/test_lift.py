"""The lift's numbers (physics/lift.py): its phases, its weight curve, and the point held."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from thereturn_viz.physics.lift import HOLD_AT, held_points, hold_point, lift_phases, lift_weight
from thereturn_viz.show.choreography import Choreography, Contact


def _lift(choreography: Choreography) -> Contact:
    return next(c for c in choreography.contacts if c.kind == "lift")


def test_the_lift_follows_the_storys_cues(choreography: Choreography) -> None:
    sheet = choreography.sheet
    lift = _lift(choreography)
    assert lift_phases(lift, sheet) == (sheet.time_of("lift_apex"), sheet.time_of("music_resumes"))


def test_a_lift_away_from_the_cues_still_rises_holds_and_comes_down(
    choreography: Choreography,
) -> None:
    elsewhere = Contact("lift", 10.0, 20.0, height=1.5)
    apex, lower = lift_phases(elsewhere, choreography.sheet)
    assert (apex, lower) == (14.0, 16.4)
    t = np.linspace(9.0, 21.0, 1201)
    w = lift_weight(elsewhere, choreography.sheet, t)
    assert (w[(t < 10.0) | (t >= 20.0)] == 0.0).all()
    assert (w[(t >= apex) & (t <= lower)] == 1.0).all()
    rising, falling = (t >= 10.0) & (t <= apex), (t >= lower) & (t < 20.0)
    assert (np.diff(w[rising]) >= 0.0).all() and (np.diff(w[falling]) <= 0.0).all()


def test_the_weight_has_no_jump(choreography: Choreography) -> None:
    lift = _lift(choreography)
    t = np.arange(lift.start - 1.0, lift.end + 1.0, 1.0 / 120.0)
    w = lift_weight(lift, choreography.sheet, t)
    assert w.max() == 1.0 and w.min() == 0.0
    assert np.abs(np.diff(w)).max() < 0.02  # smooth at the step rate, at both ends too
    ends = lift_weight(lift, choreography.sheet, np.array([lift.start, lift.end - 1e-9]))
    assert ends.max() < 1e-9


def test_a_lift_of_no_length_does_not_divide_by_zero(choreography: Choreography) -> None:
    flat = dataclasses.replace(_lift(choreography), end=_lift(choreography).start)
    w = lift_weight(flat, choreography.sheet, np.linspace(flat.start - 1, flat.start + 1, 9))
    assert np.isfinite(w).all() and (w == 0.0).all()


def test_the_hold_point_is_on_the_side_toward_him() -> None:
    # upright pelvis (pointing up): its local +y is world -x
    x, y = hold_point(0.2, 0.1, math.pi / 2, toward=1.0)
    assert (x, y) == (0.2 * (HOLD_AT - 0.5), -0.1)  # he is to her right: world +x
    assert hold_point(0.2, 0.1, math.pi / 2, toward=-1.0)[1] == 0.1


@given(
    angle=st.floats(-math.pi, math.pi).filter(lambda a: abs(math.sin(a)) > 1e-6),
    toward=st.sampled_from([-1.0, 1.0]),
    hip=st.tuples(st.floats(-3, 3), st.floats(-1, 2)),
)
def test_held_points_are_the_hold_point_seen_from_the_hip(
    angle: float, toward: float, hip: tuple[float, float]
) -> None:
    """The planner aims her targets at :func:`held_points`; the contact pins his hands at
    :func:`hold_point`. Both must name the same spot of her pelvis."""
    length, radius = 0.17, 0.11
    c, s = math.cos(angle), math.sin(angle)
    a = (np.array([hip[0]]), np.array([hip[1]]))
    b = (np.array([hip[0] + c * length]), np.array([hip[1] + s * length]))
    got = held_points(a, b, radius, np.array([toward]))[0]
    lx, ly = hold_point(length, radius, angle, toward)
    cx, cy = hip[0] + c * length / 2, hip[1] + s * length / 2  # the pelvis' middle
    want = (cx + c * lx - s * ly, cy + s * lx + c * ly)
    assert math.dist(got, want) < 1e-9
