"""Forward kinematics: a pose (joint angles) placed in the world as segment end points.

Used to start a figure in its first pose, to reset it safely, to steer the physics (vectorised
over many steps at once, so the stepping loop does no geometry), to draw the target skeleton in
the debug overlay, and by tests that need a figure without physics.

Facing is continuous. A figure facing left is the mirror image of the same pose; while it turns
(facing between -1 and +1) every joint angle is scaled by the facing about its mirror axis, so the
limbs pass through a frontal, straightened silhouette instead of snapping to the other side.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .anatomy import SEGMENTS

Point = tuple[float, float]
Arr = NDArray[np.float64]

_PARENT = np.array(
    [[s.name for s in SEGMENTS].index(s.parent) if s.parent else -1 for s in SEGMENTS]
)
_REST = np.radians([s.rest_deg for s in SEGMENTS])
#: the angle a joint mirrors about: the pelvis about the vertical, limbs hanging from 180 degrees
#: about 180, everything else about 0 (mirrored relative angle = 2 * axis - angle)
_AXIS = np.radians(
    [90.0 if s.parent is None else 180.0 if s.rest_deg == 180.0 else 0.0 for s in SEGMENTS]
)
_ATTACH = np.array([s.attach for s in SEGMENTS])
_LENGTH = np.array([s.length for s in SEGMENTS])
#: the radius of each segment's collision capsule, as a fraction of height (physics uses it too)
CONTACT_RADIUS = np.array([(s.radius_a + s.radius_b) / 2 for s in SEGMENTS])


def turn_facing(facing: Arr | float) -> Arr:
    """The facing the body shows: a keyframed half-turn is done in its middle 40 percent.

    >>> [round(float(v), 3) for v in turn_facing(np.array([-1.0, -0.5, 0.0, 0.1, 1.0]))]
    [-1.0, -1.0, 0.0, 0.367, 1.0]
    """
    u = np.clip(np.asarray(facing, dtype=np.float64) / 0.4, -1.0, 1.0)
    return np.asarray(u * (1.5 - 0.5 * u * u), dtype=np.float64)


def relative_angles(angles_deg: Arr, facing: Arr) -> Arr:
    """(n, joints) angles in radians of each segment relative to its parent (the pelvis: world).

    These are exactly the differences of the physics bodies' angles, unwrapped, so a servo can be
    given them without any forward kinematics per step.
    """
    j = np.radians(np.asarray(angles_deg, dtype=np.float64))
    f = np.asarray(facing, dtype=np.float64).reshape(-1, 1)
    return np.asarray(_AXIS + f * (_REST - _AXIS + j), dtype=np.float64)


#: the pelvis and the legs: the segments a pose's feet hang from, parents first
LEGS = [
    i
    for i, s in enumerate(SEGMENTS)
    if s.name in ("pelvis", "l_thigh", "l_shin", "l_foot", "r_thigh", "r_shin", "r_foot")
]


def _chain(
    rel: Arr, height: float, with_x: bool, rows: list[int] | None = None
) -> tuple[Arr, Arr, Arr, Arr, Arr]:
    """World angles and end points, laid out (segments, n) so every row op is contiguous; only
    the segments ``rows`` (parents first; the others 0) when given."""
    r = np.ascontiguousarray(rel.T)
    order = list(enumerate(_PARENT.tolist()))
    if rows is not None:
        order = [order[i] for i in rows]
    # only some rows: the others must read 0, not what the memory held
    blank = np.empty_like if rows is None else np.zeros_like
    world = blank(r)
    for i, p in order:
        world[i] = r[i] if p < 0 else world[p] + r[i]
    lengths = (_LENGTH * height)[:, None]
    dy = lengths * np.sin(world)
    dx = lengths * np.cos(world) if with_x else np.zeros_like(world)
    ax, ay = np.zeros_like(r), np.zeros_like(r)
    bx, by = blank(r), blank(r)
    for i, p in order:
        if p >= 0:
            u = _ATTACH[i]
            if u == 1.0:
                ax[i], ay[i] = bx[p], by[p]
            elif u != 0.0:
                ax[i] = ax[p] + (bx[p] - ax[p]) * u
                ay[i] = ay[p] + (by[p] - ay[p]) * u
            else:
                ax[i], ay[i] = ax[p], ay[p]
        bx[i] = ax[i] + dx[i]
        by[i] = ay[i] + dy[i]
    return world, ax, ay, bx, by


def segment_points(
    angles_deg: Arr, height: float, facing: Arr, legs: bool = False
) -> tuple[Arr, Arr, Arr, Arr]:
    """``a`` x, ``a`` y, ``b`` x, ``b`` y of every segment, hip at the origin, (segments, n);
    with ``legs``, of the pelvis and the legs only (the :data:`LEGS`; the others 0).

    >>> a = np.full((1, 16), 10.0)
    >>> full, legs = segment_points(a, 1.8, np.ones(1)), segment_points(a, 1.8, np.ones(1), True)
    >>> all(np.array_equal(f[LEGS], g[LEGS]) for f, g in zip(full, legs))
    True
    """
    rows = LEGS if legs else None
    _, ax, ay, bx, by = _chain(relative_angles(angles_deg, facing), height, True, rows)
    return ax, ay, bx, by


def lowest_point(ay: Arr, by: Arr, height: float) -> Arr:
    """(n,) the lowest point of the figure's capsules below the hip, from :func:`segment_points`."""
    r = (CONTACT_RADIUS * height)[:, None]
    return np.asarray((np.minimum(ay, by) - r).min(axis=0), dtype=np.float64)


def forward_many(angles_deg: Arr, height: float, facing: Arr) -> tuple[Arr, Arr, Arr]:
    """Vectorised forward kinematics with the hip at the origin.

    Returns ``a`` and ``b`` end points (n, segments, 2) and world angles (n, segments).
    """
    world, ax, ay, bx, by = _chain(relative_angles(angles_deg, facing), height, True)
    a = np.stack([ax.T, ay.T], axis=2)
    b = np.stack([bx.T, by.T], axis=2)
    return a, b, np.ascontiguousarray(world.T)


def grounded_height(angles_deg: Arr, height: float, facing: Arr) -> Arr:
    """(n,) hip height that rests the lowest point of the whole figure on the floor.

    Standing, that is a sole; kneeling, a knee; lying, the back. Capsule radii count.

    >>> standing = grounded_height(np.zeros((1, 16)), 1.8, np.ones(1))
    >>> 0.9 < float(standing[0]) < 1.0
    True
    """
    _, _, ay, _, by = _chain(relative_angles(angles_deg, facing), height, False)
    return -lowest_point(ay, by, height)


def forward(
    angles_deg: Sequence[float] | NDArray[np.float64],
    height: float,
    root: Point,
    facing: float = 1.0,
) -> dict[str, tuple[Point, Point, float]]:
    """Segment name -> (end a, end b, world angle in radians) for a pose.

    ``root`` is the hip point (the pelvis segment's ``a`` end). ``facing`` -1 mirrors in x.

    >>> segs = forward([0.0] * 16, 1.8, (0.0, 1.0))
    >>> [round(v, 3) for v in segs["head"][1]]
    [0.0, 1.828]
    """
    a, b, world = forward_many(
        np.asarray(angles_deg, dtype=np.float64)[None, :], height, np.array([facing])
    )
    out: dict[str, tuple[Point, Point, float]] = {}
    for i, spec in enumerate(SEGMENTS):
        out[spec.name] = (
            (root[0] + float(a[0, i, 0]), root[1] + float(a[0, i, 1])),
            (root[0] + float(b[0, i, 0]), root[1] + float(b[0, i, 1])),
            float(world[0, i]),
        )
    return out


def standing_root(
    angles_deg: Sequence[float] | NDArray[np.float64], height: float, x: float, facing: float
) -> Point:
    """The hip point that rests the lowest point of the whole figure on the floor (y = 0)."""
    ang = np.asarray(angles_deg, dtype=np.float64)[None, :]
    return (x, float(grounded_height(ang, height, np.array([facing]))[0]))


def wrap_into(angles_deg: Arr, lo: Arr, hi: Arr) -> Arr:
    """Angles moved by whole turns into ``[lo, lo + 360)`` and then clamped to ``[lo, hi]``.

    >>> wrap_into(np.array([280.0, -100.0]), np.array([-80.0, -80.0]), np.array([190.0, 190.0]))
    array([-80., -80.])
    """
    w = (angles_deg - lo) % 360.0 + lo
    nearer_lo = (w - hi) > (lo + 360.0 - w)
    return np.asarray(np.where(w > hi, np.where(nearer_lo, lo, hi), w), dtype=np.float64)


__all__ = [
    "CONTACT_RADIUS",
    "forward",
    "forward_many",
    "grounded_height",
    "lowest_point",
    "segment_points",
    "relative_angles",
    "standing_root",
    "turn_facing",
    "wrap_into",
]
