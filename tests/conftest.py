"""Shared test set-up: the shipped choreography and small helpers (headless SDL and the private
score cache are set in the project's root ``conftest.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thereturn_viz.paths import default_choreography
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.loader import FILES, load_choreography


@pytest.fixture(scope="session")
def choreography_dir() -> Path:
    return default_choreography()


@pytest.fixture(scope="session")
def choreography(choreography_dir: Path) -> Choreography:
    return load_choreography(choreography_dir)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the shipped choreography folder."""
    out = tmp_path / "choreography"
    out.mkdir()
    for name in FILES:
        shutil.copyfile(default_choreography() / name, out / name)
    return out
