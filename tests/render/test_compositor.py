"""The whole picture: the fades (up from black at `open`, down to black from `music_end`, black
at `end`), memory that stays flat over a long export, and the renderer's worker thread, which
ends when the renderer is closed."""

from __future__ import annotations

import gc
import os
import threading
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pygame
import pytest

from thereturn_viz.performance import Performance
from thereturn_viz.physics.stage import BLOCK, DT
from thereturn_viz.render.compositor import Renderer
from thereturn_viz.run.loop import Scene
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import FrameState


def test_the_trace_fades_up_from_black_at_open(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    start, first = sheet.time_of("open"), sheet.time_of("first_note")
    fades = [r["fade"] for r in sweep.rows if start <= r["t"] <= first]
    assert fades[0] == 0.0
    assert all(b >= a for a, b in zip(fades, fades[1:], strict=False))  # never dips on the way up
    assert 0.0 < sweep.row_at(start + 2.0)["fade"] < 1.0  # a slow fade, not a cut
    assert fades[-1] == 1.0


def test_the_trace_fades_to_black_from_music_end(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    down, end = sheet.time_of("music_end"), sheet.time_of("end")
    full = [r["fade"] for r in sweep.rows if sheet.time_of("first_note") <= r["t"] <= down]
    assert full and all(f == 1.0 for f in full)
    fades = [r["fade"] for r in sweep.rows if down <= r["t"] <= end]
    assert all(b <= a for a, b in zip(fades, fades[1:], strict=False))
    assert 0.0 < sweep.row_at((down + end) / 2)["fade"] < 1.0
    assert sweep.row_at(end)["fade"] == 0.0


def test_the_picture_comes_up_from_black(sweep: Any, paint: Any) -> None:
    black, rising, up = (paint(sweep.at(m)) for m in ("open", "open+2", "open+8"))
    assert black.max() == 0.0
    assert 1.0 < rising.mean() < 0.6 * up.mean()
    assert up.mean() > 20.0


def test_the_picture_goes_to_black_at_the_end(sweep: Any, paint: Any) -> None:
    before, fading, end = (paint(sweep.at(m)) for m in ("music_end-1", "music_end+2", "end"))
    assert before.mean() > 20.0
    assert 1.0 < fading.mean() < 0.8 * before.mean()
    assert end.max() == 0.0


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


def _room_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("room")}


def _pixels(surf: pygame.Surface) -> Any:
    return pygame.surfarray.array3d(surf).copy()


def test_closing_the_renderer_ends_its_worker_and_it_still_draws(sweep: Any) -> None:
    before = _room_threads()
    morning, after = sweep.at("together+5"), sweep.at("after+2")
    assert morning.light_mix == 0.0 and after.light_mix == 1.0
    with Renderer((96, 54)) as renderer:
        renderer.draw(morning)  # shades the morning's room, then the other light's on the worker
        mine = _room_threads() - before
        assert mine and all(t.is_alive() for t in mine)
    assert not any(t.is_alive() for t in mine)
    # closed, it draws on: the same bytes as a renderer that never closed
    a = _pixels(renderer.draw(after))
    fresh = Renderer((96, 54))
    fresh.close()  # closed before it ever shaded a room: everything is shaded when needed
    assert np.array_equal(a, _pixels(fresh.draw(after)))
    open_ = Renderer((96, 54))
    try:
        assert np.array_equal(a, _pixels(open_.draw(after)))
    finally:
        open_.close()
    renderer.close()  # twice is harmless


def test_a_renderer_refuses_a_picture_too_small() -> None:
    with pytest.raises(ValueError, match="too small"):
        Renderer((8, 54))


def test_no_dancers_no_figures(sweep: Any, paint: Any) -> None:
    fs: FrameState = replace(sweep.at("together+5"), film=False)
    empty = replace(fs, dancers=())
    assert np.abs(paint(fs) - paint(empty)).sum(axis=2).max() > 50  # the dancers show
    assert np.array_equal(paint(empty), paint(empty))
