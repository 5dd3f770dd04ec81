"""Easing curves: the CSS bezier is solved for x closely enough, at its ends and everywhere."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.show.easing import NAMED, cubic_bezier


def _reference(x1: float, y1: float, x2: float, y2: float, u: np.ndarray) -> np.ndarray:
    """The bezier by plain bisection to 60 halvings: slow, obviously right."""

    def coord(t: np.ndarray, a: float, b: float) -> np.ndarray:
        return 3 * a * t * (1 - t) ** 2 + 3 * b * t * t * (1 - t) + t**3

    lo, hi = np.zeros_like(u), np.ones_like(u)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = coord(mid, x1, x2) < u
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return coord(0.5 * (lo + hi), y1, y2)


unit = st.floats(0.0, 1.0)
lift = st.floats(-3.0, 3.0)


@settings(max_examples=150, deadline=None)
@given(x1=unit, y1=lift, x2=unit, y2=lift)
def test_bezier_matches_a_plain_bisection(x1: float, y1: float, x2: float, y2: float) -> None:
    ease = cubic_bezier(x1, y1, x2, y2)
    # the ends exactly (where x is flat at an end the bisection itself stops short of t = 1: the
    # last 1e-16 of x rounds away), and everything in between against the bisection
    assert abs(float(ease(np.array(0.0)))) < 1e-12
    assert abs(float(ease(np.array(1.0))) - 1.0) < 1e-12
    u = np.concatenate([np.linspace(0.0, 1.0, 401)[:-1], [1e-9, 0.5 - 1e-9, 1 - 1e-9]])
    got = ease(u)
    want = _reference(x1, y1, x2, y2, u)
    # where x stands still for an instant (x1 = 1 and x2 = 0 at u = 0.5) x changes by 1e-16 over
    # 3e-6 of t: no solver in floating point, this one or the bisection, places t closer, and y
    # moves up to 4 times as fast. Elsewhere the two agree to about 1e-12
    assert np.abs(got - want).max() < 3e-5


def test_bezier_ends_and_common_curves_match_to_1e_9() -> None:
    u = np.linspace(0.0, 1.0, 1001)
    for spec in [(0.42, 0.0, 0.58, 1.0), (0.25, 0.1, 0.25, 1.0), (0.0, 0.0, 1.0, 1.0)]:
        got = cubic_bezier(*spec)(u)
        assert abs(got[0]) < 1e-12 and abs(got[-1] - 1.0) < 1e-12
        assert np.abs(got - _reference(*spec, u)).max() < 1e-9
    # the linear bezier is the identity, like the named linear easing
    assert np.abs(cubic_bezier(0.0, 0.0, 1.0, 1.0)(u) - NAMED["linear"](u)).max() < 1e-9


def test_a_full_turn_joint_still_takes_the_shorter_way() -> None:
    from thereturn_viz.show.easing import joint_arc

    assert float(joint_arc(170.0, -170.0, -360.0, 360.0)) == pytest.approx(20.0)
    assert float(joint_arc(-48.0, 160.0, -80.0, 190.0)) == pytest.approx(208.0)
    assert float(joint_arc(150.0, -150.0, -80.0, 190.0)) == pytest.approx(-300.0)
