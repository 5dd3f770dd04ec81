"""The studio's space: figures placed by depth, turned by yaw, and the extent the renderer
reports for the trace (all from hand-made FrameStates at small sizes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pygame

from thereturn_viz.render.camera import View
from thereturn_viz.render.compositor import Renderer
from thereturn_viz.render.mirror import reflection
from thereturn_viz.run.trace import trace_row
from thereturn_viz.state import MIRROR_DEPTH, Camera, DancerState, FrameState

SIZE = (320, 180)


def scene(*dancers: DancerState) -> FrameState:
    return FrameState(10.0, "together", dancers, film=False)


def drawn(fs: FrameState) -> tuple[Any, dict[str, Any]]:
    with Renderer(SIZE) as r:
        surf = r.draw(fs)
        pix = pygame.surfarray.array3d(surf).transpose(1, 0, 2).astype(np.float64)
        return pix, dict(r.boxes)


def height(box: tuple[int, int, int, int]) -> int:
    return box[3] - box[1]


def test_the_box_holds_the_figure_and_no_more(standing: Callable[..., DancerState]) -> None:
    lead = standing("lead", 0.0)
    pix, boxes = drawn(scene(lead))
    empty, _ = drawn(scene())
    x0, y0, x1, y1 = boxes["lead"]
    view = View(*SIZE, Camera())
    # the figure stands 1.72 m tall on its plane: so many pixels, give or take the head's round
    assert abs(height(boxes["lead"]) - 1.72 * view.scale) <= 3
    changed = np.abs(pix - empty).sum(axis=2) > 30
    inside = changed[y0:y1, x0:x1].sum()
    # the figure's own pixels are inside (its reflections and gloss lie elsewhere)
    assert inside > 0.5 * changed[:y1, :].sum() - changed[:y0, :].sum()
    assert changed[y0:y1, x0:x1].any(axis=0)[[0, -1]].any()


def test_unseen_figures_have_no_box(standing: Callable[..., DancerState]) -> None:
    gone = replace(standing("lead", 0.0), visible=0.0)
    off = standing("partner", 40.0)
    _, boxes = drawn(scene(gone, off))
    assert boxes == {"lead": None, "partner": None}
    row = trace_row(scene(gone, off), 0, 0.0, boxes)
    assert row["dancers"]["lead"]["bbox"] is None


def test_nearer_is_larger_by_the_perspective(standing: Callable[..., DancerState]) -> None:
    far = replace(standing("lead", -2.0), depth=1.0)
    near = replace(standing("partner", 2.0), depth=4.0)
    _, boxes = drawn(scene(far, near))
    ratio = height(boxes["partner"]) / height(boxes["lead"])
    want = (MIRROR_DEPTH - 1.0) / (MIRROR_DEPTH - 4.0)
    assert abs(ratio - want) < 0.05 * want
    # and lower in the picture: the floor comes toward the camera below the horizon
    assert boxes["partner"][3] > boxes["lead"][3]


def test_the_nearer_figure_is_drawn_over_the_farther(
    standing: Callable[..., DancerState],
) -> None:
    lead, partner = standing("lead", 0.0), standing("partner", 0.0)
    front_dark, _ = drawn(scene(replace(lead, depth=4.0), replace(partner, depth=2.0)))
    front_light, _ = drawn(scene(replace(lead, depth=2.0), replace(partner, depth=4.0)))
    # a point on both chests: the nearer figure's colour shows there
    sx, sy = View(*SIZE, Camera()).to_screen(0.0, 1.25)
    cx, cy = round(sx), round(sy)
    assert front_light[cy, cx].mean() > front_dark[cy, cx].mean() + 40


def test_walking_to_the_glass_she_meets_her_reflection() -> None:
    view = View(*SIZE, Camera())
    sprite = pygame.Surface((20, 40))
    at_glass, pos = reflection(sprite, (100, 50), view, MIRROR_DEPTH)
    assert at_glass.get_size() == (20, 40) and pos == (100, 50)
    away, _ = reflection(sprite, (100, 50), view, MIRROR_DEPTH - 3.0)
    nearer, _ = reflection(sprite, (100, 50), view, MIRROR_DEPTH - 1.0)
    assert away.get_height() < nearer.get_height() < 40


def profile(d: DancerState) -> DancerState:
    """The figure as the physics' plane holds it: every limb on the body's axis (x = 0)."""
    segs = tuple(replace(g, a=(0.0, g.a[1]), b=(0.0, g.b[1])) for g in d.segments)
    return replace(d, segments=segs)


def test_turned_to_the_camera_she_is_broad(standing: Callable[..., DancerState]) -> None:
    widths = {}
    for yaw in (0.0, 45.0, 90.0, 180.0):
        _, boxes = drawn(scene(replace(profile(standing("lead", 0.0)), yaw=yaw)))
        widths[yaw] = boxes["lead"][2] - boxes["lead"][0]
    assert widths[0.0] > widths[45.0] > widths[90.0]
    assert abs(widths[180.0] - widths[0.0]) <= 1


def test_the_trace_carries_the_space(sweep: Any) -> None:
    for row in sweep.rows:
        for d in row["dancers"].values():
            assert d["depth"] > 0.0
            assert -180.0 <= d["yaw"] < 180.0
            assert "bbox" in d
        hem = row["dancers"]["partner"]["hem"]
        assert len(hem) >= 3 and all(len(p) == 2 and p[1] >= 0.0 for p in hem)


def test_the_piece_uses_the_studios_depth(sweep: Any) -> None:
    """Measured from the trace (a row every half second over the whole piece): each dancer
    travels 1.5 m of depth or more; through a fifth of the duet or more the two stand 0.5 m or
    more apart in depth; she enters from upstage (near the mirror); some travel is diagonal."""
    rows = [r for r in sweep.rows if r["visible"]["lead"]]
    for who in ("lead", "partner"):
        seen = [r["dancers"][who]["depth"] for r in rows if r["visible"][who]]
        assert max(seen) - min(seen) >= 1.5, who
    duet = [r for r in rows if r["visible"]["partner"]]
    apart = [abs(r["dancers"]["lead"]["depth"] - r["dancers"]["partner"]["depth"]) for r in duet]
    assert np.mean(np.array(apart) >= 0.5) >= 0.2
    assert duet[0]["dancers"]["partner"]["depth"] <= 1.5
    step = round(10.0 / (rows[1]["t"] - rows[0]["t"]))
    diagonal = False
    for who in ("lead", "partner"):
        x = np.array([r["dancers"][who]["joints"]["pelvis"][0] for r in duet])
        z = np.array([r["dancers"][who]["depth"] for r in duet])
        dx, dz = np.abs(x[step:] - x[:-step]), np.abs(z[step:] - z[:-step])
        diagonal |= bool(((dx >= 0.8) & (dz >= 0.8)).any())
    assert diagonal


def test_the_touch_reads(sweep: Any) -> None:
    """At `touch`+1 the camera has drifted back in: the taller figure stands a third of the
    frame's height or more (its drawn extent, as the renderer reports it)."""
    fs = sweep.at("touch+1")
    with Renderer(SIZE) as r:
        r.draw(fs)
        boxes = dict(r.boxes)
    tallest = max(height(b) for b in boxes.values() if b is not None)
    assert tallest >= SIZE[1] / 3


def test_the_glitter_thins_over_faces_that_matter(sweep: Any) -> None:
    """At the touch the glints over the heads are fewer than the same moment with faces not
    mattering (same dust, same light)."""
    fs = sweep.at("touch+1")
    assert fs.faces == 1.0
    counts = {}
    for faces in (0.0, 1.0):
        with Renderer(SIZE) as r:
            r.draw(replace(fs, faces=faces, film=False))
            counts[faces] = r.glints
    assert counts[1.0] < counts[0.0]
