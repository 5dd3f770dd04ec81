"""The model: a dancer's targets sampled between keyframes, and the contacts in force."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from thereturn_viz.show.anatomy import JOINTS, LIMITS
from thereturn_viz.show.choreography import Choreography, Contact, DancerScript, Keyframe
from thereturn_viz.show.easing import NAMED
from thereturn_viz.show.effort import Effort

N = len(JOINTS)
NEUTRAL = Effort()


def _frame(
    t: float, angle: float, x: float, facing: float = 1.0, effort: Effort = NEUTRAL
) -> Keyframe:
    return Keyframe(t, "p", (angle,) * N, x, facing, 0.0, "linear", effort)


def _script(*frames: Keyframe, ease: str = "linear") -> DancerScript:
    return DancerScript("lead", 1.8, 1.0, frames, tuple(NAMED[ease] for _ in frames))


def test_targets_move_from_one_keyframe_into_the_next() -> None:
    slow = Effort(0.7, 0.6)
    script = _script(_frame(0.0, 0.0, 0.0), _frame(2.0, 10.0, 1.0, -1.0, slow))
    tg = script.sample(np.array([0.0, 0.5, 1.0, 2.0, 3.0]))
    assert tg.x.tolist() == [0.0, 0.25, 0.5, 1.0, 1.0]  # held after the last keyframe
    assert tg.facing.tolist() == [1.0, 0.5, 0.0, -1.0, -1.0]
    assert tg.angles[:, 0].tolist() == pytest.approx([0.0, 2.5, 5.0, 10.0, 10.0])
    # the effort is the keyframe's being moved into
    assert tg.stiffness.tolist() == [0.7] * 5 and tg.speed.tolist() == [0.6] * 5
    assert tg.visible.tolist() == [False, False, True, True, True]  # enters at 1 s


def test_each_move_eases_with_its_keyframes_easing() -> None:
    script = _script(_frame(0.0, 0.0, 0.0), _frame(2.0, 0.0, 1.0), ease="in_quad")
    assert script.sample(1.0).x.tolist() == [0.25]
    held = _script(_frame(0.0, 0.0, 0.0), _frame(2.0, 0.0, 1.0), ease="hold")
    assert held.sample(np.array([1.99, 2.0])).x.tolist() == [0.0, 1.0]


def test_a_single_keyframe_is_held_throughout() -> None:
    tg = _script(_frame(5.0, 20.0, 2.0)).sample(np.array([0.0, 5.0, 9.0]))
    assert tg.x.tolist() == [2.0, 2.0, 2.0] and (tg.angles == 20.0).all()


def test_eased_angles_stay_inside_every_joints_range(choreography: Choreography) -> None:
    lo = np.array([LIMITS[j][0] for j in JOINTS])
    hi = np.array([LIMITS[j][1] for j in JOINTS])
    times = np.arange(0.0, choreography.sheet.duration, 0.05)
    for script in choreography.dancers.values():
        angles = script.sample(times).angles
        assert np.isfinite(angles).all()
        assert (angles >= lo - 1e-6).all() and (angles <= hi + 1e-6).all(), script.name


def test_contacts_in_force_include_their_start_and_not_their_end(
    choreography: Choreography,
) -> None:
    hold = Contact("hands", 3.0, 5.0, "l_hand", "r_hand")
    chor = Choreography(choreography.folder, choreography.sheet, {}, {}, (hold,))
    assert chor.contacts_at(2.99) == () and chor.contacts_at(3.0) == (hold,)
    assert chor.contacts_at(4.99) == (hold,) and chor.contacts_at(5.0) == ()


def test_a_designed_fall_spans_the_move_into_its_keyframe() -> None:
    fall = replace(_frame(2.0, 10.0, 0.0), fall=True)
    script = _script(_frame(0.0, 0.0, 0.0), fall, _frame(3.0, 0.0, 0.0))
    at = np.array([-1.0, 0.5, 2.0, 2.5])
    assert script.falling(at).tolist() == [False, True, True, False]
