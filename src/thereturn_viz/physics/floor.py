"""The studio's empty space: gravity, the solver's settings and the floor.

The stage steps the dancers in it and bench times the gown in one of its own (physics/gown.py),
so both build it here: a gown timed over another floor would not cost what it costs on stage.
"""

from __future__ import annotations

import pymunk

from .skeleton import FLOOR


def studio_space(iterations: int, slop: float) -> pymunk.Space:
    """An empty studio: gravity, damping, the solver's ``iterations`` and collision ``slop``,
    and the floor (a thick segment whose top is y = 0)."""
    space = pymunk.Space()
    space.gravity = (0.0, -9.81)
    space.iterations = iterations
    space.damping = 0.8
    space.collision_slop = slop
    floor = pymunk.Segment(space.static_body, (-30.0, -0.5), (30.0, -0.5), 0.5)
    floor.friction = 1.0
    floor.filter = pymunk.ShapeFilter(categories=FLOOR)
    space.add(floor)
    return space
