"""The film look: subtle, seeded, switchable; and the same FrameState at any size."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pygame
from numpy.typing import NDArray

from thereturn_viz.render.film import GRAIN_FPS


def test_the_film_look_changes_the_picture_subtly(sweep: Any, paint: Any) -> None:
    fs = sweep.at("together+5")
    assert fs.film
    on, off = paint(fs), paint(replace(fs, film=False))
    diff = np.abs(on - off).mean()
    assert 0.3 < diff < 8.0
    # the vignette: the corners lose more than the middle
    h, w = on.shape[:2]
    corner = (slice(0, h // 5), slice(0, w // 6))
    middle = (slice(2 * h // 5, 3 * h // 5), slice(2 * w // 5, 3 * w // 5))
    assert on[corner].mean() / off[corner].mean() < on[middle].mean() / off[middle].mean() - 0.03


def test_grain_moves_with_time_and_is_gone_without_film(sweep: Any, paint: Any) -> None:
    fs = sweep.at("together+5")
    later = replace(fs, t=fs.t + 3.0 / GRAIN_FPS)  # the same scene, another grain frame
    assert np.abs(paint(fs) - paint(later)).mean() > 0.2
    off = replace(fs, film=False)
    assert np.array_equal(paint(off), paint(replace(later, film=False)))


def test_the_same_moment_draws_the_same_bytes(sweep: Any, paint: Any, new_paint: Any) -> None:
    fs = sweep.at("together+5")
    assert np.array_equal(paint(fs), new_paint(paint.size)(fs))


def _shrink(a: NDArray[np.float64], size: tuple[int, int]) -> NDArray[np.float64]:
    surf = pygame.surfarray.make_surface(
        np.ascontiguousarray(a.transpose(1, 0, 2)).astype(np.uint8)
    )
    small = pygame.surfarray.array3d(pygame.transform.smoothscale(surf, size))
    return small.transpose(1, 0, 2).astype(np.float64)


def test_the_same_state_at_two_sizes_is_the_same_picture(sweep: Any, new_paint: Any) -> None:
    fs = replace(sweep.at("together+5"), film=False)
    small, big = new_paint((320, 180)), new_paint((640, 360))
    # compared coarsely: thin lines and specks keep a pixel's width at any size
    coarse = (80, 45)
    a = _shrink(small(fs), coarse)
    same = np.abs(_shrink(big(fs), coarse) - a).mean()
    # a picture that is off by a few percent of framing, for scale
    off = replace(fs, camera=replace(fs.camera, zoom=fs.camera.zoom * 1.04))
    wrong = np.abs(_shrink(big(off), coarse) - a).mean()
    assert same < 6.0
    assert same < 0.7 * wrong


def test_grain_is_lighter_and_darker_alike(sweep: Any, new_paint: Any) -> None:
    paint = new_paint((640, 360))
    fs = sweep.at("together+5")
    on, off = paint(fs).mean(axis=2), paint(replace(fs, film=False)).mean(axis=2)
    # the grain alone: what the film does to each pixel, less what it does around it (the
    # vignette and the flicker change slowly across the picture)
    ratio = on / np.maximum(off, 1.0)
    k = 9
    pad = np.pad(ratio, k // 2, mode="edge")
    local = np.mean(
        [pad[i : i + ratio.shape[0], j : j + ratio.shape[1]] for i in range(k) for j in range(k)],
        axis=0,
    )
    # where the picture is light and even enough for grain to show (gown, windows, shafts)
    bright = (off > 110.0) & (np.abs(off - np.median(off[off > 110.0])) < 60.0)
    grain = (ratio - local)[bright]
    assert bright.sum() > 2000 and grain.std() > 0.005  # there is grain
    skew = float(((grain - grain.mean()) ** 3).mean() / grain.std() ** 3)
    assert abs(skew) < 0.5  # as many light grains as dark ones, not dark specks alone


def test_the_film_keeping_no_vignette_levels_draws_the_same(monkeypatch: Any) -> None:
    """At 4K the film keeps one vignette multiplied by a flicker level, not four: a level not
    kept is made in the frame's look in the same order, so the picture is the same."""
    from thereturn_viz.render.film import FLICKER, Film, film_gain
    from thereturn_viz.render.pixels import opaque

    rng = np.random.default_rng(5)
    picture = opaque(rng.integers(0, 256, (90, 160, 3), dtype=np.uint8))
    kept = Film((160, 90), 2)
    monkeypatch.setattr(Film, "KEEP_BYTES", 0)
    made = Film((160, 90), 2)
    assert len(kept._levels) == 4 and not made._levels
    for i in range(30):
        t = i / 30
        gain = [film_gain(2, t), 1.0, 1.0 - FLICKER, 0.6][i % 4]
        a, b = picture.copy(), picture.copy()
        kept.draw(a, 2, t, gain)
        made.draw(b, 2, t, gain)
        assert pygame.image.tobytes(a, "RGBX") == pygame.image.tobytes(b, "RGBX"), i


def test_the_next_grain_made_ahead_is_the_grain_drawn_and_spares_its_frame(
    monkeypatch: Any,
) -> None:
    """The real-time loop makes the next grain frame's look in a frame's spare time: the
    frames are the same bytes as a film that makes each look when it is first drawn, and a
    frame whose look was made ahead makes none."""
    from thereturn_viz.render.film import Film, film_gain
    from thereturn_viz.render.pixels import opaque

    rng = np.random.default_rng(7)
    picture = opaque(rng.integers(0, 256, (90, 160, 3), dtype=np.uint8))
    plain, ahead = Film((160, 90), 3), Film((160, 90), 3)
    made: list[tuple[int, int, int]] = []
    compose = Film._compose

    def counted(self: Film, look: pygame.Surface, key: tuple[int, int, int]) -> None:
        if self is ahead:
            made.append(key)
        compose(self, look, key)

    monkeypatch.setattr(Film, "_compose", counted)
    in_frames = 0
    for i in range(40):  # 40 frames at 60 Hz: eight grain frames
        t = i / 60
        a, b = picture.copy(), picture.copy()
        plain.draw(a, 3, t, film_gain(3, t))
        before = len(made)
        ahead.draw(b, 3, t, film_gain(3, t))
        in_frames += len(made) - before
        assert pygame.image.tobytes(a, "RGBX") == pygame.image.tobytes(b, "RGBX"), i
        after = (math.floor(t * GRAIN_FPS) + 1.5) / GRAIN_FPS
        ahead.ahead(3, after, film_gain(3, after))
    assert in_frames == 1  # the first frame's look alone: every later one was made ahead
    assert len(made) == 9  # each grain frame's look once, and the one after the last frame
    # nothing to make when the look is made already
    assert not ahead.ahead(3, after, film_gain(3, after))
