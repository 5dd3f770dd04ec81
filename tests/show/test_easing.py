"""Easing curves: the CSS bezier is solved for x closely enough, at its ends and everywhere."""

from __future__ import annotations

import numpy as np
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
    u = np.concatenate([np.linspace(0.0, 1.0, 401), [1e-9, 0.5 - 1e-9, 1 - 1e-9]])
    got = cubic_bezier(x1, y1, x2, y2)(u)
    want = _reference(x1, y1, x2, y2, u)
    # where x stands still for an instant (x1 = 1 and x2 = 0 at u = 0.5; x1 = 0 or x2 = 1 at
    # an end) t is placed to its bracket's 2.4e-7, a few 1e-6 of y; elsewhere about 1e-12
    assert np.abs(got - want).max() < 1e-5


def test_bezier_ends_and_common_curves_match_to_1e_9() -> None:
    u = np.linspace(0.0, 1.0, 1001)
    for spec in [(0.42, 0.0, 0.58, 1.0), (0.25, 0.1, 0.25, 1.0), (0.0, 0.0, 1.0, 1.0)]:
        got = cubic_bezier(*spec)(u)
        assert abs(got[0]) < 1e-12 and abs(got[-1] - 1.0) < 1e-12
        assert np.abs(got - _reference(*spec, u)).max() < 1e-9
    # the linear bezier is the identity, like the named linear easing
    assert np.abs(cubic_bezier(0.0, 0.0, 1.0, 1.0)(u) - NAMED["linear"](u)).max() < 1e-9
