"""Shared test set-up: headless SDL, the shipped choreography, and small helpers."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

# Never read or fill the user's score cache from a test: one private folder for the session,
# set before any test (or the score's in-memory copy) can reach the real one.
_CACHE = tempfile.mkdtemp(prefix="thereturn-test-cache-")
os.environ["THERETURN_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from thereturn_viz.paths import default_choreography  # noqa: E402
from thereturn_viz.show.choreography import FILES, Choreography, load_choreography  # noqa: E402


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
