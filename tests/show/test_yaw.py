"""Turns as rotations: the yaw the picture and the trace read, over the whole shipped piece."""

from __future__ import annotations

import numpy as np
import pytest

from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.kinematics import turn_facing
from thereturn_viz.show.yaw import plan, script_plan, wrap, yaw_at

FPS = 30.0


def yaws(choreography: Choreography, who: str) -> np.ndarray:
    script = choreography.dancers[who]
    times = np.arange(0.0, choreography.sheet.duration, 1.0 / FPS)
    shown = turn_facing(script.sample(times).facing)
    turns = script_plan(script)
    return np.array([yaw_at(turns, float(t), float(f)) for t, f in zip(times, shown, strict=True)])


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_no_frame_turns_more_than_60_degrees(choreography: Choreography, who: str) -> None:
    y = yaws(choreography, who)
    step = np.abs((np.diff(y) + 180.0) % 360.0 - 180.0)
    assert step.max() <= 60.0, f"{who}: {step.max():.1f} deg at {np.argmax(step) / FPS:.2f} s"


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_turns_pass_through_the_front_and_the_back(choreography: Choreography, who: str) -> None:
    """The facing changes continuously through every angle a turn passes, not only left/right:
    some frames show her facing the camera, some (in whole pirouettes) facing the mirror."""
    w = np.array([wrap(v) for v in yaws(choreography, who)])
    assert (np.abs(w) < 20.0).any()
    assert (np.abs(w) > 160.0).any()
    # and at rest she faces one side, as the files say
    assert np.isclose(np.abs(w), 90.0).mean() > 0.5


def test_two_half_turns_in_a_row_are_one_pirouette() -> None:
    turns = plan(((0.0, 1.0), (0.5, -1.0), (1.0, 1.0)))
    assert [yaw_at(turns, t, f) for t, f in ((0.0, 1.0), (0.5, -1.0), (0.75, 0.0), (2.0, 1.0))] == [
        90.0,
        -90.0,
        -180.0,
        -270.0,
    ]


def test_a_lone_half_turn_faces_the_audience_on_the_way() -> None:
    for start in (1.0, -1.0):
        turns = plan(((0.0, start), (1.0, -start)))
        assert yaw_at(turns, 0.5, 0.0) % 360.0 == 0.0
