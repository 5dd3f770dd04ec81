"""Easing curves: every named one from 0 to 1 without a jump or a step back; the CSS bezier
solved for x closely enough, at its ends and everywhere, and refused outside its ranges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.show.easing import NAMED, EaseError, cubic_bezier, joint_arc, make_ease
from thereturn_viz.show.errors import Kind


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


#: Every named easing but "hold" is continuous: on a grid of 1e-5 no step may exceed what its
#: steepest slope allows (3, in_out_cubic at its middle), so a jump of even 1e-3 shows.
FINE = np.linspace(0.0, 1.0, 100_001)
STEEPEST = 3.0


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_easing_starts_at_0_and_ends_at_1_exactly(name: str) -> None:
    ease = NAMED[name]
    assert float(ease(np.array(0.0))) == 0.0
    assert float(ease(np.array(1.0))) == 1.0
    ends = ease(np.array([0.0, 1.0]))
    assert ends.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_easing_only_moves_forward(name: str) -> None:
    steps = np.diff(NAMED[name](FINE))
    assert (steps >= 0.0).all(), f"{name} turns back at u = {FINE[np.argmin(steps)]:.5f}"


@pytest.mark.parametrize("name", sorted(set(NAMED) - {"hold"}))
def test_every_named_easing_moves_without_a_jump(name: str) -> None:
    values = NAMED[name](FINE)
    steps = np.diff(values)
    worst = int(np.argmax(steps))
    assert steps[worst] <= STEEPEST * (FINE[1] - FINE[0]) * 1.001, (
        f"{name} jumps by {steps[worst]:.4f} at u = {FINE[worst]:.5f}"
    )
    # and it stays within [0, 1]: a named easing neither overshoots nor anticipates
    assert values.min() >= 0.0 and values.max() <= 1.0


def test_the_symmetric_easings_are_half_way_at_half_time() -> None:
    for name in ("linear", "in_out_sine", "in_out_quad", "in_out_cubic"):
        assert float(NAMED[name](np.array(0.5))) == pytest.approx(0.5, abs=1e-12), name
        u = np.linspace(0.0, 1.0, 101)
        mirrored = 1.0 - NAMED[name](1.0 - u)
        assert np.abs(NAMED[name](u) - mirrored).max() < 1e-12, name


def test_hold_stays_until_the_keyframe_then_arrives() -> None:
    values = NAMED["hold"](FINE)
    assert (values[:-1] == 0.0).all() and values[-1] == 1.0


def test_in_eases_start_slow_and_out_eases_end_slow() -> None:
    h = 1e-3
    for name in ("in_sine", "in_quad", "in_cubic"):
        assert float(NAMED[name](np.array(h))) < h / 2, name  # slower than linear at the start
        out = name.replace("in_", "out_")
        assert float(NAMED[out](np.array(1.0 - h))) > 1.0 - h / 2, out


@pytest.mark.parametrize(
    "spec",
    [
        [0.5, 3.5, 0.5, 1.0],
        [0.5, 0.0, 0.5, -3.5],
        [0.5, -3.01, 0.5, 1.0],
        [0.5, 0.0, 0.5, 3.01],
        [-0.1, 0.0, 0.5, 1.0],
        [0.5, 0.0, 1.1, 1.0],
    ],
)
def test_a_bezier_with_any_one_number_out_of_range_is_refused(spec: list[float]) -> None:
    with pytest.raises(EaseError) as exc:
        make_ease(spec)
    assert exc.value.fault.kind is Kind.RANGE and "must lie in" in str(exc.value)


def test_a_bezier_at_the_edges_of_its_ranges_is_accepted() -> None:
    for spec in ([0.0, -3.0, 1.0, 3.0], [1.0, 3.0, 0.0, -3.0]):
        ease = make_ease(spec)
        assert float(ease(np.array(0.0))) == 0.0 and float(ease(np.array(1.0))) == 1.0


@pytest.mark.parametrize(
    ("spec", "kind"),
    [("in_out_sin", Kind.UNKNOWN_NAME), (True, Kind.TYPE), ([1, 2, 3], Kind.TYPE),
     ([0.5, "a", 0.5, 1], Kind.TYPE), ([0.5, float("nan"), 0.5, 1], Kind.RANGE)],
)  # fmt: skip
def test_an_easing_that_cannot_be_made_says_why(spec: object, kind: Kind) -> None:
    with pytest.raises(EaseError) as exc:
        make_ease(spec)
    assert exc.value.fault.kind is kind


def test_a_full_turn_joint_still_takes_the_shorter_way() -> None:
    assert float(joint_arc(170.0, -170.0, -360.0, 360.0)) == pytest.approx(20.0)
    assert float(joint_arc(-48.0, 160.0, -80.0, 190.0)) == pytest.approx(208.0)
    assert float(joint_arc(150.0, -150.0, -80.0, 190.0)) == pytest.approx(-300.0)
