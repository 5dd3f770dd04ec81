"""Forward kinematics: a pose (joint angles) placed in the world as segment end points.

Used to start a figure in its first pose, to reset it safely, to draw the target skeleton in the
debug overlay, and by tests that need a figure without physics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .anatomy import ANKLE_HEIGHT, SEGMENTS

Point = tuple[float, float]


def forward(
    angles_deg: Sequence[float] | NDArray[np.float64],
    height: float,
    root: Point,
    facing: float = 1.0,
) -> dict[str, tuple[Point, Point, float]]:
    """Segment name -> (end a, end b, world angle in radians) for a pose.

    ``root`` is the hip point (the pelvis segment's ``a`` end). ``facing`` < 0 mirrors in x.

    >>> segs = forward([0.0] * 16, 1.8, (0.0, 1.0))
    >>> [round(v, 3) for v in segs["head"][1]]
    [0.0, 1.828]
    """
    sign = 1.0 if facing >= 0 else -1.0
    out: dict[str, tuple[Point, Point, float]] = {}
    for spec, joint_deg in zip(SEGMENTS, angles_deg, strict=True):
        if spec.parent is None:
            world = math.radians(spec.rest_deg + joint_deg)
            a = root
        else:
            pa, pb, pw = out[spec.parent]
            a = (pa[0] + (pb[0] - pa[0]) * spec.attach, pa[1] + (pb[1] - pa[1]) * spec.attach)
            world = pw + math.radians(spec.rest_deg + joint_deg)
        length = spec.length * height
        b = (a[0] + length * math.cos(world), a[1] + length * math.sin(world))
        out[spec.name] = (a, b, world)
    if sign < 0:
        rx = root[0]
        out = {
            k: ((2 * rx - a[0], a[1]), (2 * rx - b[0], b[1]), math.pi - w)
            for k, (a, b, w) in out.items()
        }
    return out


def standing_root(
    angles_deg: Sequence[float] | NDArray[np.float64], height: float, x: float, facing: float
) -> Point:
    """The hip point that puts the lowest point of the figure's feet on the floor (y = 0)."""
    segs = forward(angles_deg, height, (x, 0.0), facing)
    sole = ANKLE_HEIGHT * height / 1.8
    lowest = min(
        min(segs[name][0][1] - sole, segs[name][1][1] - 0.3 * sole) for name in ("l_foot", "r_foot")
    )
    return (x, -lowest)
