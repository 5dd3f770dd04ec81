"""Raised arms through a turn: they pass overhead, not down past the hips.

In profile a turn mirrors the figure, and the kinematics scales every joint about its mirror axis
on the way (an arm about hanging). For an arm raised above the shoulder that means swinging it
down past the hips and up again on the other side, which no dancer does: in a spin under his arm
her held hand would have to leave his, and with the hand held her elbow bent backwards. Raised
higher than level, an arm goes the other way round, through overhead, and comes out of the turn a
whole turn (2 pi) further on in its relative angle. The physics follows that path; the servos,
the limits and a reset carry the whole turns along, decided once per keyframed turn so that every
block of targets agrees (no state is carried from one block to the next).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..show.anatomy import JOINTS, LIMITS
from ..show.choreography import DancerScript
from ..show.kinematics import relative_angles, turn_facing, wrap_into
from .skeleton import limits_rad

Arr = NDArray[np.float64]

#: The joints that may pass the far way round: the shoulders.
OVERHEAD = tuple(JOINTS.index(j) for j in ("l_shoulder", "r_shoulder"))
#: Samples of a keyframed turn searched for the moment the figure faces front.
_SAMPLES = 65


@dataclass(frozen=True)
class Turn:
    """One keyframed turn from a keyframe to the next facing the other way."""

    start: float
    end: float
    to_left: bool
    #: (joints,) +1 or -1 where the limb passes overhead (which way round), 0 where it does not
    swing: Arr
    #: (joints,) radians added to the relative angles before and after the turn
    before: Arr
    after: Arr


def turns(script: DancerScript) -> tuple[Turn, ...]:
    """The turns of a script, in order, each with the whole turns its arms have made so far.

    An arm passes overhead when, as the figure faces front, it is raised above level. Worked out
    once per script, by the :class:`~.planner.Planner` that a performance keeps across seeks."""
    lo = np.array([LIMITS[j][0] for j in JOINTS])
    hi = np.array([LIMITS[j][1] for j in JOINTS])
    out: list[Turn] = []
    axis = relative_angles(np.zeros((1, len(JOINTS))), np.zeros(1))[0]
    offset = np.zeros(len(JOINTS))
    keys = script.keyframes
    pairs = [
        (a, b)
        for a, b in zip(keys, keys[1:], strict=False)
        if (a.facing > 0) != (b.facing > 0) and a.t < b.t
    ]
    if not pairs:
        return ()
    # every turn sampled in one go: the moment each faces front, and its pose then
    times = np.concatenate([np.linspace(a.t, b.t, _SAMPLES) for a, b in pairs])
    tg = script.sample(times)
    facing = np.abs(turn_facing(tg.facing)).reshape(len(pairs), _SAMPLES)
    front = np.arange(len(pairs)) * _SAMPLES + np.argmin(facing, axis=1)
    raised = relative_angles(wrap_into(tg.angles[front], lo, hi), np.ones(len(pairs))) - axis
    for (a, b), lifted in zip(pairs, raised, strict=True):
        swing = np.zeros(len(JOINTS))
        for j in OVERHEAD:
            if abs(lifted[j]) > math.pi / 2:
                swing[j] = math.copysign(1.0, lifted[j])
        to_left = a.facing > 0
        after = offset + 2.0 * math.pi * swing * (1.0 if to_left else -1.0)
        out.append(Turn(a.t, b.t, to_left, swing, offset, after))
        offset = after
    return tuple(out)


def offsets(turns: tuple[Turn, ...], times: Arr, facing: Arr) -> Arr:
    """(n, joints) radians to add to the relative angles at ``times`` (``facing`` as shown).

    Inside a turn an arm passing overhead is moved along by pi (1 - f) turning left, or by
    -pi (1 + f) turning right: nothing where it starts, a whole turn where it ends, and
    overhead (its mirror axis plus pi) as it faces front.

    >>> t = Turn(0.0, 1.0, True, np.array([1.0, 0.0]), np.zeros(2), np.array([2 * np.pi, 0.0]))
    >>> (offsets((t,), np.array([0.5, 2.0]), np.array([0.0, -1.0])) / np.pi).tolist()
    [[1.0, 0.0], [2.0, 0.0]]
    """
    out = np.zeros((len(times), len(turns[0].swing) if turns else len(JOINTS)))
    for turn in turns:
        if turn.start >= times[-1]:
            break
        if turn.end <= times[0]:  # all of it before: its whole turns hold throughout
            out[:] = turn.after
            continue
        out[times >= turn.end] = turn.after
        inside = (times > turn.start) & (times < turn.end)
        if inside.any():
            f = facing[inside][:, None]
            along = np.where(turn.to_left, math.pi * (1.0 - f), -math.pi * (1.0 + f))
            out[inside] = turn.before + turn.swing * along
    return out


def window(turns: tuple[Turn, ...], t: float, side: float, offset: Arr) -> tuple[Arr, Arr]:
    """The relative-angle limits (radians) at ``t``: the range of the ``side`` shown (+1 or -1),
    moved by the whole turns made (``offset``); with ``side`` 0 (mid-turn) the union of both
    sides' ranges, each moved by the whole turns made on that side of the turn."""
    if side != 0.0:
        lo, hi = limits_rad(1.0 if side > 0 else -1.0)
        return lo + offset, hi + offset
    right = left = offset
    for turn in turns:
        if turn.start < t < turn.end:
            right, left = (turn.before, turn.after) if turn.to_left else (turn.after, turn.before)
            break
    lo_r, hi_r = limits_rad(1.0)
    lo_l, hi_l = limits_rad(-1.0)
    return np.minimum(lo_r + right, lo_l + left), np.maximum(hi_r + right, hi_l + left)
