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


def _hung(waist_y: float, x: float = 0.0) -> tuple[pymunk.Space, pymunk.Body, Gown]:
    """A gown from a waist at ``waist_y`` (the pelvis upright), over a floor whose top is y = 0."""
    space = pymunk.Space()
    space.gravity = (0.0, -9.81)
    floor = pymunk.Segment(space.static_body, (-10.0, -0.5), (10.0, -0.5), 0.5)
    floor.friction = 1.0
    floor.filter = pymunk.ShapeFilter(categories=FLOOR)
    space.add(floor)
    waist = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
    waist.position, waist.angle = (x, waist_y - ANCHOR[0]), math.pi / 2
    space.add(waist)
    return space, waist, Gown(space, waist, ANCHOR, HEIGHT, group=2)


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


def test_held_low_its_hem_rests_on_the_floor() -> None:
    _, _, gown = _hung(0.6)
    pts = gown.points()
    assert pts[-1, 1] == pytest.approx(gown.radius)  # its capsule touching the floor's top
    assert pts[-1, 0] < pts[0, 0]  # slanting back, straight
    assert _bends(pts).max() == pytest.approx(0.0, abs=1e-9)


def test_it_swings_and_settles_without_folding_or_sinking() -> None:
    """The waist carried across and stopped: the skirt swings, comes to rest, never folds."""
    space, waist, gown = _hung(0.9)
    reach = []  # the hem's x from the waist's
    for i in range(4 * STEP_HZ):
        # up to 1.5 m/s over a quarter of a second, on for a second, then stopped as gently
        ramp = min(i, STEP_HZ // 4, max(5 * STEP_HZ // 4 - i, 0)) / (STEP_HZ // 4)
        waist.velocity = (1.5 * ramp, 0.0)
        space.step(DT)
        pts = gown.points()
        reach.append(pts[-1, 0] - pts[0, 0])
        assert _bends(pts).max() < gown_module.MAX_BEND + math.radians(12)  # as in the piece
        assert pts[:, 1].min() > -0.02
        assert np.linalg.norm(pts[0] - np.array(waist.local_to_world(ANCHOR))) < 0.02
        assert gown.healthy()
    assert max(reach) - min(reach) > 0.5, "the skirt swings as she moves"
    speeds = [b.velocity.length for b in gown.bodies]
    assert max(speeds) < 0.05, "at rest again"


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
