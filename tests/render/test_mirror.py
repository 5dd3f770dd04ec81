"""The mirror: each dancer reflected smaller, higher toward the vanishing line, dimmer and
cooler; the presence only in the glass, only around the apex of the lift."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pygame
import pytest
from numpy.typing import NDArray

from thereturn_viz.render.camera import DANCER_DEPTH, REFLECTION_DEPTH, View
from thereturn_viz.render.figures import Figure, Figures
from thereturn_viz.render.mirror import (
    MIRROR_ALPHA,
    PRESENCE_DEPTH,
    PRESENCE_GAP,
    Mirror,
    presence_x,
)
from thereturn_viz.render.studio import mirror_rect
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import Camera, DancerState, FrameState

#: Small pictures: the reflection's placement is checked to a pixel or two.
SIZE = (480, 270)
#: How much smaller the reflection is than the figure: the two planes' scales.
K = DANCER_DEPTH / REFLECTION_DEPTH

#: "Over a few seconds after music_resumes": the presence is gone by then.
GONE_WITHIN = 6.0


def test_the_presence_appears_only_around_the_apex(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    apex, resumes = sheet.time_of("lift_apex"), sheet.time_of("music_resumes")
    seen = [r for r in sweep.rows if r["presence"] > 0.0]
    assert seen
    assert all(apex < r["t"] < resumes + GONE_WITHIN for r in seen)
    assert max(r["presence"] for r in seen) > 0.9
    # still there as the music resumes, then fading
    assert 0.0 < sweep.row_at(resumes + 1.5)["presence"] < sweep.row_at(resumes)["presence"]


def test_the_presence_is_drawn_in_the_mirror_and_nowhere_else(sweep: Any, paint: Any) -> None:
    fs = replace(sweep.at("lift_apex+4"), film=False)
    assert fs.presence > 0.9
    changed = np.abs(paint(fs) - paint(replace(fs, presence=0.0))).sum(axis=2) > 6.0
    assert changed.sum() > 200  # a figure's worth of pixels, at this small size
    rect = mirror_rect(View(*paint.size, fs.camera))
    ys, xs = np.nonzero(changed)
    assert xs.min() >= rect.left and xs.max() < rect.right
    assert ys.min() >= rect.top and ys.max() < rect.bottom


def test_the_presence_is_faint(sweep: Any, new_paint: Any) -> None:
    paint = new_paint((640, 360))
    fs = replace(sweep.at("lift_apex+4"), film=False, presence=1.0)
    added = paint(fs) - paint(replace(fs, presence=0.0))
    assert (added.sum(axis=2) > 6.0).sum() > 800
    # a faint glow in the glass: it lifts what is behind it by at most a quarter of full scale
    assert added.max() <= 64.0


def test_the_presence_breathes(sweep: Any, paint: Any) -> None:
    fs = replace(sweep.at("lift_apex+4"), film=False, presence=1.0)
    without = paint(replace(fs, presence=0.0))
    shapes = []
    for dt in (0.0, 1.3, 2.6):
        # the same moment of the dancers and the dust, only the presence's clock moves on
        added = paint(replace(fs, t=fs.t + dt)) - without
        shapes.append(added.sum(axis=2) > 6.0)
    assert all(s.sum() > 200 for s in shapes)
    # alive: its outline changes from one moment to the next, but it stays where it stood
    assert (shapes[0] ^ shapes[1]).sum() > 20 and (shapes[1] ^ shapes[2]).sum() > 20
    centres = [np.nonzero(s)[1].mean() for s in shapes]
    assert max(centres) - min(centres) < 0.05 * paint.size[0]


Img = NDArray[np.float64]


def _img(surf: pygame.Surface) -> Img:
    return pygame.surfarray.array3d(surf).transpose(1, 0, 2).astype(np.float64)


def _moment(
    *dancers: DancerState, flicker: float = 0.0, camera: Camera | None = None
) -> FrameState:
    cam = camera if camera is not None else Camera()
    return FrameState(20.0, "together", dancers, film=False, flicker=flicker, camera=cam)


def _figures(fs: FrameState, view: View) -> list[Figure | None]:
    layer = Figures()
    return [layer.figure(view, d, fs.light_mix, 0.0) for d in fs.dancers]


def _alone(fig: Figure) -> Img:
    """The figure alone on black."""
    out = pygame.Surface(SIZE)
    out.blit(fig.sprite, fig.pos)
    return _img(out)


def _reflected(fs: FrameState, view: View, figs: list[Figure | None]) -> Img:
    """What the mirror layer adds for these figures on black (its seams and barre taken away)."""
    out, bare = pygame.Surface(SIZE), pygame.Surface(SIZE)
    mirror = Mirror(Figures())
    mirror.draw(out, view, fs, figs)
    mirror.draw(bare, view, replace(fs, dancers=()), [])
    diff: Img = np.where((_img(out) != _img(bare)).any(axis=2)[..., None], _img(out), 0.0)
    return diff


def _box(img: Img) -> tuple[int, int, int, int]:
    """Left, top, right, bottom (inclusive) of what is not black."""
    ys, xs = np.nonzero(img.sum(axis=2) > 0)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.mark.parametrize("camera", [Camera(), Camera(0.6, 1.55, 0.8)])
def test_a_reflection_is_smaller_and_nearer_the_vanishing_point(
    standing: Any, camera: Camera
) -> None:
    fs = _moment(standing("partner", 2.6), camera=camera)
    view = View(*SIZE, camera)
    (fig,) = _figures(fs, view)
    assert fig is not None
    fx0, fy0, fx1, fy1 = _box(_alone(fig))
    rx0, ry0, rx1, ry1 = _box(_reflected(fs, view, [fig]))
    # smaller by the ratio of the planes' scales
    assert ry1 - ry0 == pytest.approx(K * (fy1 - fy0), abs=2.0)
    assert rx1 - rx0 == pytest.approx(K * (fx1 - fx0), abs=2.0)
    assert ry1 - ry0 < 0.7 * (fy1 - fy0)
    # every edge drawn toward the vanishing point (the picture's centre) by the same ratio:
    # the feet higher up the picture, toward the horizon; the figure toward the middle
    cx, cy = SIZE[0] / 2, SIZE[1] / 2
    for got, edge, c in ((rx0, fx0, cx), (rx1, fx1, cx), (ry0, fy0, cy), (ry1, fy1, cy)):
        assert got == pytest.approx(c + (edge - c) * K, abs=2.0)
    assert ry1 < fy1 - 0.2 * (fy1 - fy0)
    # in the glass
    rect = mirror_rect(view)
    assert rect.left <= rx0 and rx1 < rect.right and rect.top <= ry0 and ry1 < rect.bottom


def test_a_reflection_is_dimmer_and_cooler(standing: Any) -> None:
    fs = _moment(standing("partner", 2.6))
    view = View(*SIZE, fs.camera)
    (fig,) = _figures(fs, view)
    assert fig is not None
    figure, reflection = _alone(fig), _reflected(fs, view, [fig])
    f = figure[figure.sum(axis=2) > 0].mean(axis=0)
    r = reflection[reflection.sum(axis=2) > 0].mean(axis=0)
    assert r.sum() < 0.7 * f.sum()  # dimmer
    assert r[2] / r[0] > 1.2 * f[2] / f[0]  # cooler: blue gains on red


def test_only_the_reflection_of_a_costume_that_flickers_wavers(standing: Any) -> None:
    lead, partner = standing("lead", -2.6), standing("partner", 2.6)
    steady, failing = _moment(lead, partner), _moment(lead, partner, flicker=1.0)
    view = View(*SIZE, steady.camera)
    figs = _figures(steady, view)
    a, b = _reflected(steady, view, figs), _reflected(failing, view, figs)
    left, right = slice(0, SIZE[0] // 2), slice(SIZE[0] // 2, SIZE[0])
    assert a[:, left].sum() > 0 and a[:, right].sum() > 0
    # the lead's reflection loses light; the partner's is the same bytes
    assert b[:, left].sum() < 0.9 * a[:, left].sum()
    assert np.array_equal(a[:, right], b[:, right])


def test_a_fading_figure_fades_in_the_mirror_too(standing: Any) -> None:
    d = standing("partner", 2.6)
    view = View(*SIZE, Camera())
    full, half = _moment(d), _moment(replace(d, visible=0.5))
    a = _reflected(full, view, _figures(full, view))
    b = _reflected(half, view, _figures(half, view))
    assert 0.3 * a.sum() < b.sum() < 0.7 * a.sum()
    assert MIRROR_ALPHA < 1.0


def test_the_presence_stands_between_the_reflections_or_beside_them(standing: Any) -> None:
    # the reflections as the presence's plane sees them (the mirror's geometry)
    k = PRESENCE_DEPTH / REFLECTION_DEPTH
    apart = _moment(standing("lead", -2.0), standing("partner", 1.0))
    assert presence_x(apart) == pytest.approx(-0.5 * k)
    # one of them nearer the glass: her reflection is nearer too, and the space between moves
    near_glass = _moment(standing("lead", -2.0), replace(standing("partner", 1.0), depth=1.0))
    assert presence_x(near_glass) > presence_x(apart)
    # together (the lift): beside them, on the side of the picture's centre
    right = _moment(standing("lead", 1.2), standing("partner", 1.5))
    assert presence_x(right) == pytest.approx(1.2 * k - 1.3 * PRESENCE_GAP)
    left = _moment(standing("lead", -1.5), standing("partner", -1.2))
    assert presence_x(left) == pytest.approx(-1.2 * k + 1.3 * PRESENCE_GAP)
    assert presence_x(_moment()) == 0.0
