"""On the music: the figures (not their targets) come to rest on the beats of the tempo map.

Measured once over the whole piece at 30 samples a second. Before the arrivals were written in
counts the best shift of the rests against the beats was +0.44 s (nearly half a beat late), and
the rests hardly gathered on beats at all (agreement 0.08); written in counts they gather (0.42)
within a sample or so of the beat.
"""

from __future__ import annotations

import pytest

from thereturn_viz.physics.rhythm import Rhythm, measure
from thereturn_viz.show.choreography import Choreography

#: How far the rests may fall from the beats (s): three samples of the walk, about a ninth of a
#: beat, and under the 0.125 s by which a picture late against its sound begins to be seen
#: (ITU-R BT.1359). A drift back to the old placing (+0.44 s) or a lag of a tenth fails.
ON_THE_BEAT = 0.1


@pytest.fixture(scope="module")
def rhythm(choreography: Choreography) -> Rhythm:
    return measure(choreography)


def test_the_figures_rest_on_the_beats(rhythm: Rhythm) -> None:
    assert rhythm.rests > 150, "too few moments of rest found to judge"
    assert abs(rhythm.rest_shift) <= ON_THE_BEAT, f"rests {rhythm.rest_shift:+.2f} s off the beat"


def test_the_figures_follow_their_targets_without_lag(rhythm: Rhythm) -> None:
    """The planner leads each servo by its response (``planner.py``): what lag is left is
    within a sample or two, and the tracking error the trace reports stays small."""
    for name, lag in rhythm.lag.items():
        assert 0.0 <= lag <= 0.07, f"{name} follows {lag:.3f} s behind its targets"
    assert rhythm.error_mean < 3.0 and rhythm.error_p95 < 10.0, rhythm
