"""The gown (physics/gown.py) on its own: a chain hung from a waist moved by hand, over a floor."""

from __future__ import annotations

import math

import numpy as np
import pymunk
import pytest

from thereturn_viz.physics import gown as gown_module
from thereturn_viz.physics.gown import Gown
from thereturn_viz.physics.planner import DT, STEP_HZ
from thereturn_viz.physics.skeleton import FLOOR, GOWN

HEIGHT = 1.65
ANCHOR = (0.085, 0.0)
TOTAL = gown_module.LENGTH * HEIGHT


def _hung(
    waist_y: float, x: float = 0.0, facing: float = 1.0
) -> tuple[pymunk.Space, pymunk.Body, Gown]:
    """A gown from a waist at ``waist_y`` (the pelvis upright), over a floor whose top is y = 0,
    with the room's damping as on the stage."""
    space = pymunk.Space()
    space.gravity = (0.0, -9.81)
    space.damping = 0.8
    floor = pymunk.Segment(space.static_body, (-10.0, -0.5), (10.0, -0.5), 0.5)
    floor.friction = 1.0
    floor.filter = pymunk.ShapeFilter(categories=FLOOR)
    space.add(floor)
    waist = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
    waist.position, waist.angle = (x, waist_y - ANCHOR[0]), math.pi / 2
    space.add(waist)
    return space, waist, Gown(space, waist, ANCHOR, HEIGHT, group=2, facing=facing)


def _bends(points: np.ndarray) -> np.ndarray:
    seg = np.diff(points, axis=0)
    ang = np.arctan2(seg[:, 1], seg[:, 0])
    return np.abs((np.diff(ang) + math.pi) % (2 * math.pi) - math.pi)


def test_it_hangs_from_the_anchor_in_links_of_one_length() -> None:
    _, waist, gown = _hung(1.0)
    pts = gown.points()
    assert pts.shape == (gown_module.LINKS + 1, 2)
    assert tuple(pts[0]) == pytest.approx(tuple(waist.local_to_world(ANCHOR)), abs=1e-12)
    links = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    assert links == pytest.approx(np.full(gown_module.LINKS, TOTAL / gown_module.LINKS))


def test_held_high_it_hangs_straight_down() -> None:
    _, _, gown = _hung(TOTAL + 0.5, x=1.0)
    pts = gown.points()
    assert pts[:, 0] == pytest.approx(np.full(len(pts), 1.0), abs=1e-9)
    assert pts[-1, 1] == pytest.approx(TOTAL + 0.5 - TOTAL)


@pytest.mark.parametrize("facing", [1.0, -1.0])
def test_held_at_her_waist_it_falls_to_the_floor_and_trails_behind_her(facing: float) -> None:
    space, _, gown = _hung(1.0, facing=facing)
    for _ in range(STEP_HZ):  # a second to settle: it was hung at rest
        space.step(DT)
    pts = gown.points()
    assert np.abs(pts[:3, 0]).max() < 0.03  # straight down from the waist
    on_floor = pts[pts[:, 1] < gown.radius + 0.01]
    assert np.ptp(on_floor[:, 0]) > 0.15  # a train, not a hem brushing the floor
    behind = -facing * (on_floor[:, 0] - pts[0, 0])
    assert behind.min() > -0.02 and behind.max() > 0.4, "lying behind her back"
    assert max(b.velocity.length for b in gown.bodies) < 0.01, "and at rest"


def _walk(space: pymunk.Space, waist: pymunk.Body, gown: Gown, speed: float) -> np.ndarray:
    """A second standing, up to ``speed`` over a quarter of a second, on for a second, stopped
    as gently, then four and a half seconds standing: per step the time, the waist's x, the x of the
    chain's middle and end from the waist's, and its fastest link's speed."""
    rows = []
    for i in range(int(7 * STEP_HZ)):
        ramp = min(max(i - STEP_HZ, 0), STEP_HZ // 4, max(9 * STEP_HZ // 4 - i, 0))
        waist.velocity = (speed * ramp / (STEP_HZ // 4), 0.0)
        space.step(DT)
        pts = gown.points()
        assert _bends(pts).max() < gown_module.MAX_BEND + math.radians(12)  # as in the piece
        assert pts[:, 1].min() > -0.02
        assert np.linalg.norm(pts[0] - np.array(waist.local_to_world(ANCHOR))) < 0.02
        assert gown.healthy()
        fastest = max(b.velocity.length for b in gown.bodies)
        rows.append(
            (i * DT, pts[0, 0], pts[len(pts) // 2, 0] - pts[0, 0], pts[-1, 0] - pts[0, 0], fastest)
        )
    return np.array(rows)


@pytest.mark.parametrize("facing", [1.0, -1.0])
def test_it_lags_as_she_travels_and_sways_after_she_stops(facing: float) -> None:
    """Walking forward at 1 m/s and stopping: the skirt and its train trail behind her; once
    she stops the skirt swings on past her and back, and comes to rest within four seconds."""
    space, waist, gown = _hung(0.95, facing=facing)
    rows = _walk(space, waist, gown, facing * 1.0)
    t, mid, end = rows[:, 0], rows[:, 2] * facing, rows[:, 3] * facing
    travelling = (t > 1.25) & (t < 2.0)  # at full speed
    assert mid[travelling].mean() < -0.1, "the skirt lags behind her"
    assert end[travelling].mean() < -0.6, "the train trails further behind"
    assert end[travelling].max() < -0.35, "all the way"
    after = t > 2.25
    swing = mid[after]
    # past her the way she went, then back behind: a swing, not a snap to rest
    assert swing.max() > 0.2
    ahead = int(np.argmax(swing))
    assert swing[ahead:].min() < swing.max() - 0.3
    settled = t > 2.25 + 4.0
    assert rows[settled, 4].max() < 0.05, "at rest again, not swinging for ever"


def test_turning_round_it_comes_out_behind_her_again() -> None:
    space, _, gown = _hung(1.0, facing=1.0)
    assert gown.points()[-1, 0] < -0.4
    for i in range(5 * STEP_HZ):  # a turn through the front in a fifth of a second, and on
        gown.face(1.0 - 2.0 * min(i / (STEP_HZ // 5), 1.0))
        space.step(DT)
    pts = gown.points()
    assert pts[-1, 0] > 0.4 and pts[-1, 1] < gown.radius + 0.01
    assert max(b.velocity.length for b in gown.bodies) < 0.05


def test_it_touches_only_the_floor() -> None:
    _, _, gown = _hung(1.0)
    for shape in gown.shapes:
        assert shape.filter.categories == GOWN
        assert shape.filter.mask == FLOOR
        assert shape.filter.group == 2  # never the wearer's own body


def test_a_gown_blown_up_or_far_away_is_not_healthy() -> None:
    _, _, gown = _hung(1.0)
    assert gown.healthy()
    gown.bodies[-1].velocity = (100.0, 0.0)
    assert not gown.healthy()
    gown.bodies[-1].velocity = (0.0, 0.0)
    gown.bodies[0].position = (math.nan, 0.0)
    assert not gown.healthy()
    gown.bodies[0].position = (20.0, 0.0)
    assert not gown.healthy()


def test_removed_it_leaves_nothing_behind() -> None:
    space, waist, gown = _hung(1.0)
    gown.remove()
    assert list(space.bodies) == [waist]
    assert not list(space.constraints)
    assert len(space.shapes) == 1  # the floor
