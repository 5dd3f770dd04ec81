"""Sound tests: a private score cache, and the whole score synthesized once per session."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.paths import default_choreography
from thereturn_viz.show.cues import CueSheet
from thereturn_viz.show.loader import load_cues
from thereturn_viz.sound.cache import ENV
from thereturn_viz.sound.composer import compose
from thereturn_viz.sound.composition import Composition
from thereturn_viz.sound.score import ScoreStore


@pytest.fixture(scope="session")
def private_cache() -> Path:
    """The session's private score cache (set up in the top-level conftest)."""
    return Path(os.environ[ENV])


@pytest.fixture(scope="session")
def sheet() -> CueSheet:
    """The shipped cue sheet: all the score depends on (not the rest of the choreography)."""
    return load_cues(default_choreography() / "cues.toml")


@pytest.fixture(scope="session")
def composition(sheet: CueSheet) -> Composition:
    return compose(sheet)


@pytest.fixture(scope="session")
def store(private_cache: Path) -> ScoreStore:
    """The session's store: it holds the score in memory once it has been asked for."""
    return ScoreStore()


@pytest.fixture(scope="session")
def rendered(sheet: CueSheet, store: ScoreStore) -> tuple[int, NDArray[np.int16]]:
    """The whole score, synthesized once for the session (into the private cache)."""
    return store.render(sheet)
