"""One performance stepped once through the whole piece, shared by the studio's tests.

Stepping from t = 0 to a late cue costs seconds, so the tests do not seek: a single
:class:`Performance` moves forward through every moment they need, keeping a trace row every half
second and the full FrameState at the named moments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pygame
import pytest
from numpy.typing import NDArray

from thereturn_viz.performance import Performance
from thereturn_viz.render.compositor import Renderer
from thereturn_viz.run.trace import trace_row
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.timing import parse_time
from thereturn_viz.state import DancerState, Dust, FrameState, Segment

#: The moments the tests look at, by cue (no story times here: the cue sheet says when).
MOMENTS = (
    "open",
    "open+2",
    "open+8",
    "together+5",
    "lift_begin-1",
    "lift_apex+4",
    "after+2",
    "pan_out-1",
    "last_breath",
    "touch+1",
    "music_end-1",
    "music_end+2",
    "end",
)
#: The trace is sampled this often (seconds) over the whole piece.
TRACE_STEP = 0.5
#: The small size most pictures are drawn at.
SMALL = (320, 180)


@dataclass(frozen=True)
class Sweep:
    """What one pass through the piece saw: trace rows, and FrameStates at :data:`MOMENTS`."""

    rows: list[dict[str, Any]]
    states: dict[str, FrameState]

    def at(self, moment: str) -> FrameState:
        return self.states[moment]

    def row_at(self, t: float) -> dict[str, Any]:
        return min(self.rows, key=lambda r: abs(r["t"] - t))


@pytest.fixture(scope="session")
def sweep(choreography: Choreography) -> Sweep:
    sheet = choreography.sheet
    named = {m: parse_time(m, sheet) for m in MOMENTS}
    grid = [k * TRACE_STEP for k in range(int(sheet.duration / TRACE_STEP) + 1)]
    times = sorted({*grid, *named.values()})
    perf = Performance(choreography, seed=0)
    rows: list[dict[str, Any]] = []
    states: dict[str, FrameState] = {}
    for frame, t in enumerate(times):
        perf.advance_to(t)  # forward only: never a restart
        fs = perf.frame_state(t)
        rows.append(trace_row(fs, frame, 0.0))
        for name, tn in named.items():
            if tn == t:
                states[name] = fs
    return Sweep(rows, states)


class Paint:
    """Draws FrameStates at one size and hands back the pixels as (h, w, 3) floats."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.renderer = Renderer(size)

    @property
    def size(self) -> tuple[int, int]:
        return self.renderer.size

    def __call__(self, fs: FrameState) -> NDArray[np.float64]:
        return pixels(self.renderer.draw(fs))


def pixels(surf: pygame.Surface) -> NDArray[np.float64]:
    """A copy of the picture as floats, so a later draw cannot change it."""
    return pygame.surfarray.array3d(surf).transpose(1, 0, 2).astype(np.float64)


def empty_room(fs: FrameState) -> FrameState:
    """The same moment without dancers, dust or film: the room and its light alone."""
    return replace(fs, dancers=(), dust=Dust.empty(), film=False, presence=0.0)


@pytest.fixture(scope="session")
def paint() -> Paint:
    """A painter at the small size, shared: its caches are what a long run would have."""
    return Paint(SMALL)


@pytest.fixture(scope="session")
def new_paint() -> Callable[[tuple[int, int]], Paint]:
    """A fresh painter at any size (conftest helpers are not importable under importlib mode)."""
    return Paint


@pytest.fixture(scope="session")
def room() -> Callable[[FrameState], FrameState]:
    return empty_room


def standing_figure(name: str, x: float, facing: float = 1.0) -> DancerState:
    """A dancer standing at ``x`` (m), feet on the floor, arms down: a pose made by hand, so a
    test of the drawing needs no performance."""

    def at(dx: float, y: float) -> tuple[float, float]:
        return (x + dx * facing, y)

    segs = [
        Segment("pelvis", at(0.0, 0.92), at(0.0, 1.02), 0.075, 0.065),
        Segment("chest", at(0.0, 1.02), at(0.0, 1.45), 0.06, 0.075),
        Segment("neck", at(0.0, 1.45), at(0.0, 1.51), 0.028, 0.026),
        Segment("head", at(0.0, 1.51), at(0.02, 1.72), 0.05, 0.045),
    ]
    for side, sx in (("l", -1.0), ("r", 1.0)):
        segs += [
            Segment(f"{side}_upper_arm", at(0.15 * sx, 1.42), at(0.18 * sx, 1.15), 0.032, 0.026),
            Segment(f"{side}_forearm", at(0.18 * sx, 1.15), at(0.19 * sx, 0.92), 0.025, 0.019),
            Segment(f"{side}_hand", at(0.19 * sx, 0.92), at(0.19 * sx, 0.84), 0.018, 0.014),
            Segment(f"{side}_thigh", at(0.08 * sx, 0.92), at(0.09 * sx, 0.48), 0.05, 0.034),
            Segment(f"{side}_shin", at(0.09 * sx, 0.48), at(0.1 * sx, 0.06), 0.033, 0.022),
            Segment(f"{side}_foot", at(0.1 * sx, 0.06), at(0.1 * sx + 0.11, 0.0), 0.018, 0.012),
        ]
    joints = {"pelvis": at(0.0, 0.92), "head": at(0.01, 1.62)}
    return DancerState(name, 1.0, facing, tuple(segs), joints)


@pytest.fixture(scope="session")
def standing() -> Callable[..., DancerState]:
    """:func:`standing_figure`, for tests (conftest functions are not importable here)."""
    return standing_figure
