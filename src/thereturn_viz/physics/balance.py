"""A standing pose's weight put over its feet: the planner's share of balance. Pure numpy.

A keyframed pose is a set of joint angles placed at a hip point: nothing in it says that its
centre of mass lies over the feet it stands on. Where it does not, the figure can only follow it
by leaning on its hip guide, which then holds up a body that would fall. So before the targets
reach the physics, a standing pose that is off balance is shifted the way a dancer shifts weight:
the standing legs bend (two-link legs, the knee bending forward) so that the feet that bear come
under the centre of mass, and the raised legs go with the hip. The hip, and everything above it,
stays where the choreography puts it: the hands that meet the partner's still meet them; the
feet find their places under the body instead.

The shift is worked out on a grid of times fixed in the piece (every :data:`GRID` s) and eased
over :data:`EASE` s either side, so it never jumps where a foot leaves the floor or a hold begins,
and it is the same number at a time however the times around it are asked for (a block of steps,
or a camera's window). It is 0 in a designed fall, while the partner holds the figure (the holds
carry weight across: a lean on a partner is no fault), in the air, about a turn into or out of
a hold, and where a foot leaves or meets the floor. About any other turn the weight goes over
the balls of the feet: in profile a turn swings each foot round through pointe, its heel off
the floor, and the feet finish that a few tenths after their targets.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..show.anatomy import JOINTS, LIMITS, SEGMENT_NAMES, SEGMENTS
from ..show.choreography import Contact, DancerScript
from ..show.kinematics import (
    CONTACT_RADIUS,
    lowest_point,
    segment_points,
    turn_facing,
    wrap_into,
)

Arr = NDArray[np.float64]

#: Seconds between the times the shift is worked out at, and how far (s) it is eased either side.
GRID = 0.05
EASE = 0.3
#: An end of a foot this close (m) to the floor stands on it (a pose's toes a centimetre up
#: still bear: the physics settles the sole onto the floor).
ON_FLOOR = 0.04
#: Where on its foot (0 the ankle, 1 the toes) a figure turns: on the ball of the foot.
BALL = 0.6
#: A foot this high (m) bears nothing; between :data:`ON_FLOOR` and this its leg is part
#: standing, part carried by the hip.
OFF_FLOOR = 0.06
#: A segment other than a foot this close (m) to the floor: kneeling, sitting or lying, not
#: standing on the feet (the planner leaves such a pose as written).
NOT_STANDING = 0.15
#: Grid points either side of a foot leaving or meeting the floor left alone.
STEP = 2
#: How far (m) inside the span of the standing feet the centre of mass is brought.
MARGIN = 0.08
#: The most (m) the hip is moved: a pose further off its feet than a weight shift can mend is
#: the choreography's to mend (or a fall to mark), not the planner's.
MOST = 0.6

_THIGHS = (SEGMENT_NAMES.index("l_thigh"), SEGMENT_NAMES.index("r_thigh"))
_FEET = (SEGMENT_NAMES.index("l_foot"), SEGMENT_NAMES.index("r_foot"))
_SHINS = (SEGMENT_NAMES.index("l_shin"), SEGMENT_NAMES.index("r_shin"))
_OTHER = [i for i in range(len(SEGMENT_NAMES)) if i not in _FEET + _SHINS]
#: thigh and shin lengths, as fractions of the height
_LEG = (SEGMENTS[_THIGHS[0]].length, SEGMENTS[_THIGHS[0] + 1].length)
_LO = np.array([LIMITS[j][0] for j in JOINTS])
_HI = np.array([LIMITS[j][1] for j in JOINTS])


def _wrap(a: Arr) -> Arr:
    return np.asarray((a + np.pi) % (2 * np.pi) - np.pi)


def leg_ik(hip: tuple[Arr, Arr], ankle: tuple[Arr, Arr], thigh: float, shin: float) -> Arr:
    """(2, n) world angles (rad) of a thigh from ``hip`` and a shin ending at ``ankle`` (x and
    y arrays each), the knee bent forward (+x); an ankle out of reach gets a straight leg.

    >>> th, sh = leg_ik((np.zeros(1), np.zeros(1)), (np.zeros(1), np.array([-0.8])), 0.5, 0.5)
    >>> [round(float(np.degrees(v[0])), 1) for v in (th, sh)]
    [-53.1, -126.9]
    """
    vx, vy = ankle[0] - hip[0], ankle[1] - hip[1]
    d = np.clip(np.hypot(vx, vy), abs(thigh - shin) + 1e-9, thigh + shin)
    cos_a = np.clip((thigh * thigh + d * d - shin * shin) / (2 * thigh * d), -1.0, 1.0)
    t = np.arctan2(vy, vx) + np.arccos(cos_a)
    kx, ky = hip[0] + thigh * np.cos(t), hip[1] + thigh * np.sin(t)
    return np.stack([t, np.arctan2(ankle[1] - ky, ankle[0] - kx)])


Points = tuple[Arr, Arr, Arr, Arr]


def points(angles: Arr, height: float) -> Points:
    """The pose's segment end points facing right, hip at the origin (segments, n) each."""
    ax, ay, bx, by = segment_points(angles, height, np.ones(len(angles)))
    return ax, ay, bx, by


def shift_pose(angles: Arr, height: float, dx: Arr, bearing: Arr, at: Points | None = None) -> Arr:
    """(n, joints) the pose ``angles`` (degrees) with its hip moved ``dx`` m across (facing
    right) over the feet: each leg's share ``bearing`` (n, 2; 1 standing, 0 raised) keeps its
    ankle where it was (the foot's angle to the floor too); the hip drops as far as a straight
    standing leg needs to reach. Where ``dx`` is 0 the pose is returned as it was. ``at``: the
    pose's :func:`points`, when known.

    >>> stand = np.zeros((1, 16)); stand[0, 11] = stand[0, 14] = -20.0
    >>> stand[0, 10] = stand[0, 13] = 10.0; stand[0, 12] = stand[0, 15] = 10.0
    >>> out = shift_pose(stand, 1.8, np.array([0.05]), np.ones((1, 2)))
    >>> ax0, ay0, *_ = segment_points(stand, 1.8, np.ones(1))
    >>> ax1, ay1, *_ = segment_points(out, 1.8, np.ones(1))
    >>> round(float(ax1[12, 0] - ax0[12, 0]), 4)  # the ankle, from the hip: 5 cm further back
    -0.05
    """
    if not np.any(dx):
        return angles
    ax, ay, bx, by = at if at is not None else points(angles, height)
    out = angles.copy()
    lt, ls = _LEG[0] * height, _LEG[1] * height
    # the hip drops so that every standing leg reaches its ankle
    drop = np.zeros(len(dx))
    for leg, foot in enumerate(_FEET):
        reach = np.sqrt(np.maximum((lt + ls) ** 2 - (ax[foot] - dx) ** 2, 0.0))
        drop = np.maximum(drop, bearing[:, leg] * np.maximum(-ay[foot] - reach, 0.0))
    hip = (dx, -drop)
    for leg, (thigh, foot) in enumerate(zip(_THIGHS, _FEET, strict=True)):
        shin = thigh + 1
        old_t = np.arctan2(by[thigh] - ay[thigh], bx[thigh] - ax[thigh])
        old_s = np.arctan2(by[shin] - ay[shin], bx[shin] - ax[shin])
        new_t, new_s = leg_ik(hip, (ax[foot], ay[foot]), lt, ls)
        d_t, d_s = _wrap(new_t - old_t), _wrap(new_s - old_s)
        w = bearing[:, leg]
        out[:, thigh] += np.degrees(w * d_t)
        out[:, shin] += np.degrees(w * (d_s - d_t))
        out[:, foot] += np.degrees(w * -d_s)
    return np.where((dx != 0.0)[:, None], out, angles)


def bearing(angles: Arr, height: float, raise_y: Arr, at: Points | None = None) -> Arr:
    """(n, 2) how much each foot of the grounded pose (raised ``raise_y`` m) stands on the
    floor: 1 within :data:`ON_FLOOR`, 0 from :data:`OFF_FLOOR` up.

    >>> bearing(np.zeros((2, 16)), 1.8, np.array([0.0, 0.1])).tolist()
    [[1.0, 1.0], [0.0, 0.0]]
    """
    _, ay, _, by = at if at is not None else points(angles, height)
    up = heights(ay, by, height, raise_y)
    feet = np.stack([up[f] for f in _FEET], axis=1)
    return np.asarray(np.clip((OFF_FLOOR - feet) / (OFF_FLOOR - ON_FLOOR), 0.0, 1.0))


def heights(ay: Arr, by: Arr, height: float, raise_y: Arr) -> Arr:
    """(segments, n) how high the lowest point of each segment's capsule is above the floor."""
    r = (CONTACT_RADIUS * height)[:, None]
    return np.minimum(ay, by) - r - lowest_point(ay, by, height)[None, :] + raise_y[None, :]


def needed(
    angles: Arr,
    height: float,
    raise_y: Arr,
    masses: Arr,
    pivot: NDArray[np.bool_] | None = None,
) -> Arr:
    """(n,) the hip shift (m, facing right) that brings the pose's centre of mass within
    :data:`MARGIN` of the span its standing feet cover; 0 for a pose not standing on its feet
    (kneeling, sitting, lying, in the air) or already over them. Where ``pivot`` (n,) is true
    the figure turns: each standing foot bears at its ball (:data:`BALL`), since through a turn
    the foot pivots on it, heel and toes leaving the floor.

    >>> m = np.ones(16)
    >>> lean = np.zeros((1, 16)); lean[0, 0] = 30.0; lean[0, 10] = lean[0, 13] = -30.0
    >>> abs(float(needed(np.zeros((1, 16)), 1.8, np.zeros(1), m)[0])) < MARGIN  # over its heels
    True
    >>> float(needed(lean, 1.8, np.zeros(1), m)[0]) > 0.05  # leant back: the hip goes forward
    True
    >>> turn = np.array([True])  # turning, standing straight: forward over the balls of the feet
    >>> round(float(needed(np.zeros((1, 16)), 1.8, np.zeros(1), m, turn)[0]), 2)
    0.14
    """
    at = points(angles, height)
    ax, ay, bx, by = at
    standing = ~low(at, height, raise_y)
    ends_x = np.concatenate([ax[list(_FEET)], bx[list(_FEET)]])
    ends_up = np.concatenate([_end_heights(ay, by, height, raise_y, which) for which in (0, 1)])
    on = ends_up < ON_FLOOR
    standing &= on.any(axis=0)
    if pivot is not None:
        # turning, a foot pivots on its ball
        balls = ax[list(_FEET)] + BALL * (bx[list(_FEET)] - ax[list(_FEET)])
        ends_x = np.where(pivot, np.concatenate([balls, balls]), ends_x)
    lo = np.where(on, ends_x, np.inf).min(axis=0)
    hi = np.where(on, ends_x, -np.inf).max(axis=0)
    lo, hi = np.where(standing, lo, 0.0), np.where(standing, hi, 0.0)
    margin = np.minimum(MARGIN, (hi - lo) / 3)
    bears = bearing(angles, height, raise_y, at)
    dx = np.zeros(len(angles))
    total = masses.sum()
    for _ in range(3):
        pose = shift_pose(angles, height, dx, bears, at)
        pax, _, pbx, _ = points(pose, height)
        com = (masses[:, None] * (pax + pbx) / 2).sum(axis=0) / total
        # the feet, seen from the moved hip, lie dx further back
        want = np.clip(com, lo - dx + margin, hi - dx - margin)
        dx = np.where(standing, np.clip(dx + (want - com) / 0.85, -MOST, MOST), 0.0)
    return dx


def low(at: Points, height: float, raise_y: Arr) -> NDArray[np.bool_]:
    """(n,) where a pose (its :func:`points`, raised ``raise_y`` m) is not standing on its feet:
    a knee, a hip or more within :data:`NOT_STANDING` of the floor, or in the air.

    >>> kneel = np.zeros((1, 16)); kneel[0, 11] = kneel[0, 14] = 90.0  # the shins along the floor
    >>> low(points(kneel, 1.8), 1.8, np.zeros(1)).tolist(), low(points(np.zeros((1, 16)), 1.8),
    ...     1.8, np.zeros(1)).tolist()
    ([True], [False])
    """
    _, ay, _, by = at
    up = heights(ay, by, height, raise_y)
    # the shins end at the ankles: only their knee ends tell a kneeling figure
    knees = ay[list(_SHINS)] - (CONTACT_RADIUS[list(_SHINS)] * height)[:, None]
    knees = knees - lowest_point(ay, by, height)[None, :] + raise_y[None, :]
    lowest = np.minimum(up[_OTHER].min(axis=0), knees.min(axis=0))
    return np.asarray((lowest <= NOT_STANDING) | (raise_y >= ON_FLOOR))


def place_feet(angles: Arr, height: float, dx: Arr, dy: Arr, at: Points | None = None) -> Arr:
    """(n, joints) the pose ``angles`` (degrees, facing right) with each ankle moved ``dx``,
    ``dy`` (n, 2) m from where it is, the hip where it was: each leg so moved is bent to reach
    it (the knee forward), its foot at the same angle to the floor; the other legs as they were.
    ``at``: the pose's :func:`points`, when known.

    >>> stand = np.zeros((1, 16)); stand[0, 11] = stand[0, 14] = -20.0
    >>> stand[0, 10] = stand[0, 13] = 10.0
    >>> out = place_feet(stand, 1.8, np.array([[0.1, 0.0]]), np.array([[0.05, 0.0]]))
    >>> before, after = points(stand, 1.8), points(out, 1.8)
    >>> [round(float(after[i][12, 0] - before[i][12, 0]), 3) for i in (0, 1, 2, 3)]
    [0.1, 0.05, 0.1, 0.05]
    >>> bool((out[:, 13:] == stand[:, 13:]).all())  # the right leg, not moved, as it was
    True
    """
    moved = (dx != 0.0) | (dy != 0.0)
    if not moved.any():
        return angles
    ax, ay, bx, by = at if at is not None else points(angles, height)
    out = angles.copy()
    lt, ls = _LEG[0] * height, _LEG[1] * height
    hip = (np.zeros(len(angles)), np.zeros(len(angles)))
    for leg, (thigh, foot) in enumerate(zip(_THIGHS, _FEET, strict=True)):
        if not moved[:, leg].any():
            continue
        shin = thigh + 1
        old_t = np.arctan2(by[thigh] - ay[thigh], bx[thigh] - ax[thigh])
        old_s = np.arctan2(by[shin] - ay[shin], bx[shin] - ax[shin])
        to = (ax[foot] + dx[:, leg], ay[foot] + dy[:, leg])
        new_t, new_s = leg_ik(hip, to, lt, ls)
        d_t, d_s = _wrap(new_t - old_t), _wrap(new_s - old_s)
        w = moved[:, leg]
        out[:, thigh] += np.degrees(np.where(w, d_t, 0.0))
        out[:, shin] += np.degrees(np.where(w, d_s - d_t, 0.0))
        out[:, foot] += np.degrees(np.where(w, -d_s, 0.0))
    return out


def _end_heights(ay: Arr, by: Arr, height: float, raise_y: Arr, which: int) -> Arr:
    """(2, n) how high each foot's ``a`` (ankle, 0) or ``b`` (toe, 1) end is above the floor."""
    r = CONTACT_RADIUS[_FEET[0]] * height
    low = lowest_point(ay, by, height)
    ends = ay if which == 0 else by
    return np.stack([ends[f] - r - low + raise_y for f in _FEET])


def free(script: DancerScript, contacts: tuple[Contact, ...], times: Arr) -> Arr:
    """(n,) 1 where the figure balances alone, 0 in a designed fall or a hold with the partner."""
    held = np.zeros(len(times), dtype=bool)
    for c in contacts:
        held |= (times >= c.start) & (times < c.end)
    return np.asarray(np.where(held | script.falling(times), 0.0, 1.0), dtype=np.float64)


def shifts(
    script: DancerScript, contacts: tuple[Contact, ...], masses: Arr, start: float, end: float
) -> tuple[Arr, Arr]:
    """The hip shift (m, facing right) on the grid of the piece from ``start`` to ``end`` s:
    :func:`needed`, over the balls of the feet within :data:`EASE` s of a turn, left out there
    if a hold begins or ends as near, and within :data:`STEP` grid points of a foot leaving or
    meeting the floor, eased over
    :data:`EASE` s. Returns the grid's times and the shifts; :func:`shift_at` reads them at
    any times, the same however the times around them are asked for."""
    reach = round(EASE / GRID)
    pad = 2 * reach + 2
    first = int(np.floor(start / GRID)) - pad
    last = int(np.ceil(end / GRID)) + pad
    grid = np.arange(first, last + 1, dtype=np.float64) * GRID
    tg = script.sample(grid)
    angles = wrap_into(tg.angles, _LO, _HI)
    alone = free(script, contacts, grid)
    window = np.ones(2 * reach + 1)
    turning = np.convolve(np.abs(turn_facing(tg.facing)) < 1.0, window, mode="same") > 0
    # a turn into or out of a hold is the partner's to steady: left as written
    held = np.convolve(alone < 1.0, window, mode="same") > 0
    raw = needed(angles, script.height, tg.y, masses, turning) * alone
    raw = np.where(turning & held, 0.0, raw)
    # nor as a foot leaves the floor or meets it: the weight is on its way across then
    on = bearing(angles, script.height, tg.y) > 0.5
    stepping = np.zeros(len(grid), dtype=bool)
    stepping[1:] = (on[1:] != on[:-1]).any(axis=1)
    near = np.convolve(stepping, np.ones(2 * STEP + 1), mode="same") > 0
    raw = np.where(near, 0.0, raw)
    kernel = np.hanning(2 * reach + 3)[1:-1]
    return grid, np.convolve(raw, kernel / kernel.sum(), mode="same")


def shift_at(table: tuple[Arr, Arr], times: Arr) -> Arr:
    """(n,) the shift of :func:`shifts`'s ``table`` at ``times`` (0 beyond its ends).

    >>> shift_at((np.array([0.0, 1.0]), np.array([0.0, 0.2])), np.array([0.5, 2.0])).tolist()
    [0.1, 0.0]
    """
    grid, eased = table
    return np.asarray(np.interp(times, grid, eased, left=0.0, right=0.0), dtype=np.float64)
