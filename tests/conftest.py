"""Shared test set-up: headless SDL, the shipped choreography, and small helpers."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from thereturn_viz.paths import default_choreography  # noqa: E402
from thereturn_viz.show.choreography import Choreography, load_choreography  # noqa: E402


@pytest.fixture(scope="session")
def choreography_dir() -> Path:
    return default_choreography()


@pytest.fixture(scope="session")
def choreography(choreography_dir: Path) -> Choreography:
    return load_choreography(choreography_dir)
