"""On the music: how the figures (not their targets) follow what they are asked, measured once
over the whole piece at 30 samples a second (``physics/rhythm.py``; ``bench`` reports it with how
late the moments of rest fall against the beats)."""

from __future__ import annotations

import pytest

from thereturn_viz.physics.rhythm import Rhythm, measure
from thereturn_viz.show.choreography import Choreography


@pytest.fixture(scope="module")
def rhythm(choreography: Choreography) -> Rhythm:
    return measure(choreography)


def test_the_figures_follow_their_targets_without_lag(rhythm: Rhythm) -> None:
    """The planner leads each servo by its response (``planner.py``): what lag is left is
    within a sample or two, and the tracking error the trace reports stays small."""
    assert rhythm.rests > 150, "too few moments of rest found to judge"
    for name, lag in rhythm.lag.items():
        assert 0.0 <= lag <= 0.07, f"{name} follows {lag:.3f} s behind its targets"
    assert rhythm.error_mean < 3.0 and rhythm.error_p95 < 10.0, rhythm
