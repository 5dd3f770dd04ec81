"""The room: its sunlit floor is bright without turning yellow (highlights roll off, keeping
their hue, instead of clipping channel by channel)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.render.camera import View


def _hue(px: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hue angles (degrees) of (n, 3) RGB pixels."""
    r, g, b = px[:, 0], px[:, 1], px[:, 2]
    mx, mn = px.max(axis=1), px.min(axis=1)
    d = np.maximum(mx - mn, 1e-9)
    h = np.where(mx == r, ((g - b) / d) % 6, np.where(mx == g, (b - r) / d + 2, (r - g) / d + 4))
    out: NDArray[np.float64] = h * 60.0
    return out


@pytest.mark.parametrize("moment", ["after+2", "last_breath"])
def test_the_sunlit_floor_keeps_the_woods_hue(
    sweep: Any, paint: Any, room: Any, moment: str
) -> None:
    fs = room(sweep.at(moment))
    img = paint(fs)
    floor_y = round(View(*paint.size, fs.camera).to_screen(0.0, 0.0)[1]) + 2
    floor = img[floor_y:].reshape(-1, 3)
    peak = floor.max(axis=1)
    bright, mid = floor[peak >= 200], floor[(peak > 60) & (peak < 140)]
    assert len(bright) > 100  # the sun's pool is there, and bright
    assert float(np.percentile(bright.sum(axis=1), 90)) > 600
    # as bright as it gets, it is the same wood in the same light: no shift toward yellow
    assert float(np.percentile(_hue(bright), 95)) < float(np.median(_hue(mid))) + 10.0


def _pan(fs: Any, zooms: list[float]) -> list[Any]:
    return [replace(fs, camera=replace(fs.camera, zoom=z)) for z in zooms]


def test_the_room_in_a_pull_back_is_the_room_at_each_zoom(
    sweep: Any, new_paint: Any, room: Any
) -> None:
    fs = room(sweep.at("last_breath"))
    zooms = [1.03 - 0.0025 * i for i in range(24)]  # across the edge of a band of zooms
    panning = new_paint((320, 180))
    frames = [panning(s) for s in _pan(fs, zooms)]
    # the same bytes as a cold picture at each zoom: nothing depends on what came before
    for k in (0, 7, 15, 23):
        cold = new_paint((320, 180))(_pan(fs, [zooms[k]])[0])
        assert np.array_equal(frames[k], cold), k
    # and the pull back is smooth: no frame jumps more than its neighbours move
    steps = [float(np.abs(b - a).mean()) for a, b in zip(frames, frames[1:], strict=False)]
    assert min(steps) > 0.0
    assert max(steps) < 2.5 * float(np.median(steps))


def test_the_soft_room_in_strips_is_the_room_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shaded in strips of columns and tone-mapped in bands of rows (a 4K room's memory), the
    soft room has the bytes of one pass: the strips' margins reach past the blurs."""
    from thereturn_viz.render import studio

    size = (1100, 300)  # 550 soft columns: three strips, a last short one
    for mix in (0.0, 1.0):
        strips = studio.soft_room(size, 0.3, 1.5, mix)
        monkeypatch.setattr(studio, "STRIP", 10_000)
        monkeypatch.setattr(studio, "TONE_ROWS", 10_000)
        whole = studio.soft_room(size, 0.3, 1.5, mix)
        monkeypatch.undo()
        assert np.array_equal(strips, whole), mix
    # and margins short of a blur's reach would show: the test can tell
    monkeypatch.setattr(studio, "STRIP_MARGIN", 1)
    assert not np.array_equal(studio.soft_room(size, 0.3, 1.5, 0.0), whole)


def test_a_room_keeping_fewer_zooms_draws_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 4K the room keeps two full-size rooms, not four: what it draws is the same."""
    import pygame

    from thereturn_viz.render.studio import Room
    from thereturn_viz.state import Camera

    def frames(room: Room) -> list[bytes]:
        out = pygame.Surface(room.size)
        got = []
        for zoom, mix in [(1.0, 0.0), (0.9, 0.0), (1.0, 0.5), (0.9, 0.5), (1.0, 1.0), (1.0, 0.0)]:
            room.draw_into(out, View(*room.size, Camera(0.0, 1.55, zoom)), mix)
            got.append(pygame.image.tobytes(out, "RGBX"))
        return got

    many = Room((160, 90), Camera())
    monkeypatch.setattr(Room, "KEEP_BYTES", 0)
    few = Room((160, 90), Camera())
    assert few._keep == 2 and many._keep == 4
    assert frames(few) == frames(many)


def test_a_room_made_ahead_draws_the_same_and_its_frames_make_no_band(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real-time loop has the room make what a coming zoom needs in a frame's spare time
    (a surface to keep a zoom in, the band's room): a pull back across the edges of bands, a
    hold and the turn of the light draw the same bytes as a room that makes each on first
    sight, and no frame of it scales a band's room itself."""
    import pygame

    from thereturn_viz.render import studio
    from thereturn_viz.render.studio import Room
    from thereturn_viz.state import Camera

    scaled: list[str] = []
    smooth = pygame.transform.smoothscale

    def counted(surface: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
        scaled.append(where)
        return smooth(surface, size)

    monkeypatch.setattr(studio.pygame.transform, "smoothscale", counted)
    zooms = [1.0 - 0.01 * i for i in range(30)] + [0.71] * 3  # two edges of bands, a hold
    looks = [(z, 0.0) for z in zooms] + [(0.71, m) for m in (0.3, 0.6, 1.0, 1.0)]
    plain, ahead = Room((160, 90), Camera()), Room((160, 90), Camera())
    out = pygame.Surface((160, 90))
    for room in (plain, ahead):  # each light's soft room shaded before (the worker's part)
        room._soft(0.0)
        room._soft(1.0)
    where = "ahead"
    while ahead.ahead(*looks[0]):  # as the warm-up before the first frame
        pass
    for i, (zoom, mix) in enumerate(looks):
        view = View(160, 90, Camera(0.0, 1.55, zoom))
        where = "plain"
        plain.draw_into(out, view, mix)
        expected = pygame.image.tobytes(out, "RGBX")
        where = "frame"
        ahead.draw_into(out, view, mix)
        assert pygame.image.tobytes(out, "RGBX") == expected, i
        where = "ahead"
        soon = looks[min(i + 3, len(looks) - 1)]
        while ahead.ahead(*soon):
            pass
    assert scaled.count("plain") >= 3  # a band's room in each light: the test sees them
    assert "frame" not in scaled and scaled.count("ahead") == scaled.count("plain")
    assert ahead._mixed is not None and len(ahead._full) + len(ahead._free) == ahead._keep
