"""The figures in the room's light: lit from the scene, with a rim of window light that adds;
the same bytes whatever their layer kept from before."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pygame
from numpy.typing import NDArray

from thereturn_viz.render.camera import DANCER_DEPTH, View
from thereturn_viz.render.figures import Figures, rim_light
from thereturn_viz.render.light import ShaftTable, to_wall
from thereturn_viz.state import Camera, DancerState, FrameState, Segment

SIZE = (480, 270)
#: The shafts as the renderer reads them, for finding where a figure stands in the light.
SHAFTS = ShaftTable()


def _moved(d: DancerState, dx: float) -> DancerState:
    """The same pose ``dx`` meters to the side."""

    def p(q: tuple[float, float]) -> tuple[float, float]:
        return (q[0] + dx, q[1])

    segs = tuple(Segment(s.name, p(s.a), p(s.b), s.ra, s.rb) for s in d.segments)
    return replace(
        d,
        segments=segs,
        joints={k: p(v) for k, v in d.joints.items()},
        gown=tuple(p(q) for q in d.gown),
        target=(),
    )


def _alone(fs: FrameState, name: str, x: float, mix: float) -> FrameState:
    """One dancer alone, her pelvis at ``x``, in the light ``mix``: no dust, no film."""
    d = fs.dancer(name)
    d = replace(_moved(d, x - d.joints["pelvis"][0]), visible=1.0)
    return replace(
        fs,
        dancers=(d,),
        dust=type(fs.dust).empty(),
        film=False,
        presence=0.0,
        light_mix=mix,
        fade=1.0,
        camera=Camera(),
    )


def _shaft_at(x: float, y: float, mix: float) -> float:
    cam = Camera()
    xw, yw = to_wall(np.array([x]), np.array([y + 0.35]), DANCER_DEPTH, cam.x, cam.y)
    return float(SHAFTS.at(xw, yw, mix)[0])


def _in_shaft(y: float) -> float:
    """The x (m) on the dancers' plane where a figure stands most in a morning shaft."""
    xs = np.linspace(-3.0, 3.0, 241)
    return float(xs[np.argmax([_shaft_at(x, y, 0.0) for x in xs])])


def _gown_colour(img: NDArray[np.float64], fs: FrameState) -> NDArray[np.float64]:
    """The mean colour of the gown along the skirt's centre line (surely fabric, in front)."""
    view = View(*SIZE, fs.camera)
    d = fs.dancers[0]
    chain = np.asarray(d.gown)
    pts = chain[len(chain) // 3 : -2]
    samples = []
    for x, y in pts:
        sx, sy = view.to_screen(float(x), float(y))
        i, j = round(sy), round(sx)
        samples.append(img[i - 1 : i + 2, j - 1 : j + 2].reshape(-1, 3))
    return np.vstack(samples).mean(axis=0)


def test_the_gown_glows_warm_in_a_shaft_and_turns_silver_after_the_lift(
    sweep: Any, new_paint: Any
) -> None:
    paint = new_paint(SIZE)
    fs = sweep.at("together+5")
    pel_y = fs.dancer("partner").joints["pelvis"][1]
    lit_x, dark_x = _in_shaft(pel_y), 3.6
    assert _shaft_at(lit_x, pel_y, 0.0) > 0.7 and _shaft_at(dark_x, pel_y, 0.0) == 0.0
    assert _shaft_at(dark_x, pel_y, 1.0) == 0.0
    shade = _alone(fs, "partner", dark_x, 0.0)
    shaft = _alone(fs, "partner", lit_x, 0.0)
    after = _alone(fs, "partner", dark_x, 1.0)
    c_shade, c_shaft, c_after = (_gown_colour(paint(s), s) for s in (shade, shaft, after))
    # the same gown, three lights: brighter and warmer in the morning sun than in the shadow
    assert c_shaft.sum() > 1.15 * c_shade.sum()
    assert c_shaft[0] / c_shaft[2] > c_shade[0] / c_shade[2] + 0.1
    # after the lift the room's light is brighter and silvery: cooler than the morning shade
    assert c_after.sum() > 1.05 * c_shade.sum()
    assert c_after[2] / c_after[0] > c_shade[2] / c_shade[0] + 0.05
    # in the dim morning away from the light she is not the brightest white she can be
    assert c_shade.max() < 200.0


def test_the_reflection_follows_the_figure_into_the_light(sweep: Any, new_paint: Any) -> None:
    paint = new_paint(SIZE)
    fs = sweep.at("together+5")
    room = paint(replace(_alone(fs, "partner", 3.6, 0.0), dancers=()))
    morning, after = (paint(_alone(fs, "partner", 3.6, m)) for m in (0.0, 1.0))
    room_after = paint(replace(_alone(fs, "partner", 3.6, 1.0), dancers=()))
    view = View(*SIZE, Camera())
    # the reflection lies between the picture's centre and the figure, up toward the horizon
    x0 = round(view.to_screen(0.5, 0.0)[0])
    x1 = round(view.to_screen(2.8, 0.0)[0])
    y1 = round(view.to_screen(0.0, 0.3)[1])
    a = (morning - room)[:y1, x0:x1]
    b = (after - room_after)[:y1, x0:x1]
    ma, mb = np.abs(a).sum(axis=2) > 12, np.abs(b).sum(axis=2) > 12
    assert ma.sum() > 30 and mb.sum() > 30
    ref_a, ref_b = morning[:y1, x0:x1][ma].mean(axis=0), after[:y1, x0:x1][mb].mean(axis=0)
    # she is reflected in the light she stands in: silvery after the lift
    assert ref_b[2] / ref_b[0] > ref_a[2] / ref_a[0]


def _edge_band(
    img: NDArray[np.float64], room: NDArray[np.float64], row: int, start: int
) -> tuple[int, int]:
    """The first and last columns of a figure along a row, from column ``start`` on (where the
    picture differs from the room; the reflection lies further toward the centre)."""
    diff = np.abs(img[row, start:] - room[row, start:]).sum(axis=1) > 24
    cols = np.flatnonzero(diff) + start
    return int(cols[0]), int(cols[-1])


def test_the_rim_adds_light_on_the_edge_toward_the_windows(sweep: Any, new_paint: Any) -> None:
    paint = new_paint(SIZE)
    fs = sweep.at("together+5")
    view = View(*SIZE, Camera())
    for name in ("partner", "lead"):
        alone = _alone(fs, name, 3.6, 0.0)
        img = paint(alone)
        room = paint(replace(alone, dancers=()))
        d = alone.dancers[0]
        # rows through the body, from the chest down to the knees
        top = round(view.to_screen(0.0, d.joints["pelvis"][1] + 0.35)[1])
        bottom = round(view.to_screen(0.0, d.joints["pelvis"][1] - 0.35)[1])
        start = round(view.to_screen(d.joints["pelvis"][0] - 0.75, 0.0)[0])
        edge_gain = []
        for row in range(top, bottom, 2):
            left, right = _edge_band(img, room, row, start)
            body = np.abs(img[row, left : left + 8] - room[row, left : left + 8]).sum(axis=1)
            if right - left < 10 or not (body > 24).all():
                continue  # only where the figure is solid for a few pixels in from the edge
            lum = img[row].sum(axis=1)
            edge = lum[left : left + 3].max()
            inside = np.median(lum[left + 4 : left + 8])
            edge_gain.append(edge / max(inside, 1.0))
        assert len(edge_gain) > 8
        # the lit edge is brighter than the figure just inside it: light, never a dark outline
        assert float(np.median(edge_gain)) > 1.08, name


def test_rim_light_is_the_edge_facing_the_light_and_only_adds() -> None:
    sprite = pygame.Surface((40, 40), pygame.SRCALPHA)
    pygame.draw.circle(sprite, (200, 190, 180), (20, 20), 12)
    rim = rim_light(sprite, (200, 150, 100), (-2, -2))
    assert rim.get_size() == sprite.get_size()
    px = pygame.surfarray.array3d(rim).astype(int)  # (x, y, 3)
    assert px[20, 20].max() == 0  # nothing inside
    assert px[30, 30].max() == 0  # nothing on the side away from the light
    assert px[2, 2].max() == 0  # nothing outside the figure
    assert px[11, 14, 0] > 100  # the upper left edge, in the light's colour
    assert px[11, 14, 0] > px[11, 14, 1] > px[11, 14, 2]
    # added onto the figure, it can only brighten
    out = pygame.Surface((40, 40))
    out.fill((60, 60, 60))
    out.blit(sprite, (0, 0))
    before = pygame.surfarray.array3d(out).astype(int)
    out.blit(rim, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    after = pygame.surfarray.array3d(out).astype(int)
    assert (after >= before).all() and (after > before).any()


def test_a_figure_is_the_same_bytes_whatever_its_layer_drew_before(standing: Any) -> None:
    d = standing("partner", 0.4)
    view = View(*SIZE, Camera())
    fresh = Figures().figure(view, d, 0.3, 0.5)
    used = Figures()
    for x, zoom in ((-2.0, 0.7), (1.0, 1.3), (0.0, 0.9)):  # other sizes, places and lights
        used.figure(View(*SIZE, Camera(zoom=zoom)), standing("partner", x), 0.8, 0.1)
    again = used.figure(view, d, 0.3, 0.5)
    assert fresh is not None and again is not None
    assert fresh.pos == again.pos and fresh.costume is again.costume
    for a, b in ((fresh.sprite, again.sprite), (fresh.rim, again.rim)):
        assert pygame.image.tobytes(a, "RGBA") == pygame.image.tobytes(b, "RGBA")


def test_an_absent_dancer_is_not_drawn(standing: Any) -> None:
    view = View(*SIZE, Camera())
    assert Figures().figure(view, replace(standing("lead", 0.0), visible=0.0), 0.0, 0.0) is None
    assert Figures().figure(view, replace(standing("lead", 0.0), segments=()), 0.0, 0.0) is None
