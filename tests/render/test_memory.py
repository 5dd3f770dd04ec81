"""Memory stays flat over a long export: nothing accumulates frame after frame."""

from __future__ import annotations

import gc
import os
import tracemalloc
from pathlib import Path

from thereturn_viz.performance import Performance
from thereturn_viz.physics.stage import BLOCK, DT
from thereturn_viz.render.compositor import Renderer
from thereturn_viz.run.loop import Scene
from thereturn_viz.show.choreography import Choreography

#: 300 frames inside one block of the physics' precomputed targets: that block is a bounded
#: working set swapped every BLOCK steps, and its size varies from block to block.
FPS = 300 / (0.8 * BLOCK * DT)
#: What may still be settling after frame 100 (Python and numpy memory, traced).
MARGIN = 512 * 1024
#: The same for the whole process: pixels live in SDL's memory, which tracemalloc cannot see.
RSS_MARGIN = 8 * 1024 * 1024
STATM = Path("/proc/self/statm")


def _rss() -> int:
    return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _in_use() -> int:
    gc.collect()  # what counts is what survives the collector, not garbage waiting for it
    return tracemalloc.get_traced_memory()[0]


def test_memory_is_flat_over_a_long_export(choreography: Choreography) -> None:
    # big enough that a picture kept per frame would show in the process's memory
    scene = Scene(Performance(choreography, seed=0), Renderer((320, 180)))
    start = BLOCK * DT + 0.1  # past the first block, whose targets are lighter than the rest
    scene.frame(start)
    tracemalloc.start()
    try:
        for frame in range(301):
            scene.frame(start + frame / FPS)  # what export does for each frame
            if frame == 100:
                settled, rss = _in_use(), _rss()
        grown, rss_grown = _in_use() - settled, _rss() - rss
    finally:
        tracemalloc.stop()
    assert grown < MARGIN, f"grew {grown / 1024:.0f} KiB between frames 100 and 300"
    if STATM.exists():
        assert rss_grown < RSS_MARGIN, f"the process grew {rss_grown >> 20} MiB"
