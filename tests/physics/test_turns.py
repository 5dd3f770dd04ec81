"""Raised arms through a turn (physics/turns.py): overhead, a whole turn further on."""

from __future__ import annotations

import math

import numpy as np
import pytest

from thereturn_viz.physics import turns
from thereturn_viz.physics.skeleton import limits_rad
from thereturn_viz.show.anatomy import JOINTS
from thereturn_viz.show.choreography import Choreography, DancerScript, Keyframe
from thereturn_viz.show.effort import Effort

SHOULDERS = [JOINTS.index("l_shoulder"), JOINTS.index("r_shoulder")]


def _script(*keys: tuple[float, float, float]) -> DancerScript:
    """Keyframes (t, facing, both shoulders' angle in degrees), everything else neutral."""
    frames = []
    for t, facing, shoulder in keys:
        angles = [0.0] * len(JOINTS)
        for j in SHOULDERS:
            angles[j] = shoulder
        frames.append(Keyframe(t, "p", tuple(angles), 0.0, facing, 0.0, "linear", Effort()))
    return DancerScript("lead", 1.8, 0.0, tuple(frames))


def test_arms_raised_through_a_turn_pass_overhead_and_make_a_whole_turn() -> None:
    (turn,) = turns.turns(_script((0.0, 1.0, 170.0), (1.0, -1.0, 170.0)))
    assert (turn.start, turn.end, turn.to_left) == (0.0, 1.0, True)
    swing = turn.swing
    assert (np.abs(swing[SHOULDERS]) == 1.0).all()
    assert not np.delete(swing, SHOULDERS).any()  # only the shoulders go the far way
    assert not turn.before.any()
    assert turn.after == pytest.approx(2 * math.pi * swing)


def test_arms_hanging_through_a_turn_swing_the_plain_way() -> None:
    (turn,) = turns.turns(_script((0.0, 1.0, 0.0), (1.0, -1.0, 0.0)))
    assert not turn.swing.any() and not turn.after.any()


def test_no_turn_no_turns() -> None:
    assert turns.turns(_script((0.0, 1.0, 170.0), (1.0, 1.0, 0.0))) == ()


def test_turning_back_undoes_the_whole_turn() -> None:
    script = _script((0.0, 1.0, 170.0), (1.0, -1.0, 170.0), (2.0, 1.0, 170.0))
    there, back = turns.turns(script)
    assert back.to_left is False and np.array_equal(back.before, there.after)
    assert back.after == pytest.approx(np.zeros(len(JOINTS)))


def test_offsets_before_inside_and_after_a_turn() -> None:
    (turn,) = turns.turns(_script((0.0, 1.0, 170.0), (1.0, -1.0, 170.0)))
    times = np.array([-0.5, 0.25, 0.5, 0.75, 1.5])
    facing = np.array([1.0, 0.5, 0.0, -0.5, -1.0])
    off = turns.offsets((turn,), times, facing)
    assert not off[0].any()  # before: nothing
    assert off[-1] == pytest.approx(turn.after)  # after: the whole turn
    # overhead as the figure faces front: half a turn round, the way it swings
    assert off[2, SHOULDERS] == pytest.approx(math.pi * turn.swing[SHOULDERS])
    along = off[1:4, SHOULDERS[0]] * turn.swing[SHOULDERS[0]]
    assert (np.diff(along) > 0).all()  # steadily round, no jump back


def test_the_limits_follow_the_side_shown_and_the_turns_made() -> None:
    (turn,) = turns.turns(_script((0.0, 1.0, 170.0), (1.0, -1.0, 170.0)))
    lo, hi = turns.window((turn,), 2.0, -1.0, turn.after)
    want_lo, want_hi = limits_rad(-1.0)
    assert lo == pytest.approx(want_lo + turn.after) and hi == pytest.approx(want_hi + turn.after)
    # mid-turn: both sides' ranges, each moved by the whole turns made on its side
    lo, hi = turns.window((turn,), 0.5, 0.0, turn.before)
    right, left = limits_rad(1.0), limits_rad(-1.0)
    assert lo == pytest.approx(np.minimum(right[0] + turn.before, left[0] + turn.after))
    assert hi == pytest.approx(np.maximum(right[1] + turn.before, left[1] + turn.after))


def test_the_pieces_turns_chain_into_each_other(choreography: Choreography) -> None:
    """Each turn starts from the whole turns the last one left, and they are whole turns."""
    for script in choreography.dancers.values():
        made = turns.turns(script)
        assert made, f"{script.name} never turns"
        offset = np.zeros(len(JOINTS))
        for turn in made:
            assert turn.start < turn.end
            assert np.array_equal(turn.before, offset)
            assert np.allclose(turn.after / (2 * math.pi), np.round(turn.after / (2 * math.pi)))
            offset = turn.after
