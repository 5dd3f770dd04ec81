"""Fixtures shared by the run/ tests that hear the score."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.cues import CueSheet
from thereturn_viz.sound.score import ScoreStore


@pytest.fixture(scope="module")
def sheet(choreography: Choreography) -> CueSheet:
    return choreography.sheet


@pytest.fixture(scope="module")
def rendered(sheet: CueSheet) -> tuple[int, NDArray[np.int16]]:
    """The whole score (synthesized once into the session's private cache, then read)."""
    return ScoreStore().render(sheet)
