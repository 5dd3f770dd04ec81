"""Facing as an angle: which way round each keyframed half-turn goes, so a turn is a rotation.

The choreography says ``facing = "left"`` or ``"right"``; the body shows a facing between -1 and
+1 while it turns (:func:`~.kinematics.turn_facing`). The picture needs more: an angle, the yaw
(degrees: 0 faces the camera, 180 the mirror, 90 screen-right, -90 screen-left), which also says
whether a half-turn passes the audience or the mirror. A lone half-turn turns toward the audience
(through 0); a half-turn that starts where the last one ended keeps turning the same way, so two
in a row are one whole pirouette (through the back as well).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .choreography import DancerScript

#: A half-turn that starts within this many seconds of the last one's end continues it.
SPIN_GAP = 0.25


@dataclass(frozen=True)
class HalfTurn:
    start: float
    end: float
    #: the facing it starts from (+1 or -1), the yaw there (unwrapped) and the way round (+1/-1)
    from_facing: float
    yaw0: float
    way: float


def plan(facings: tuple[tuple[float, float], ...]) -> tuple[HalfTurn, ...]:
    """The half-turns of keyframes given as (time, facing) pairs, each with its way round.

    >>> [(h.yaw0, h.way) for h in plan(((0.0, 1.0), (1.0, -1.0), (1.0, -1.0), (2.0, 1.0)))]
    [(90.0, -1.0), (-90.0, -1.0)]
    >>> [(h.yaw0, h.way) for h in plan(((0.0, 1.0), (1.0, -1.0), (3.0, -1.0), (4.0, 1.0)))]
    [(90.0, -1.0), (-90.0, 1.0)]
    """
    out: list[HalfTurn] = []
    if not facings:
        return ()
    yaw = 90.0 * (1.0 if facings[0][1] > 0 else -1.0)
    for (ta, fa), (tb, fb) in zip(facings, facings[1:], strict=False):
        if (fa > 0) == (fb > 0) or tb <= ta:
            continue
        toward_front = -1.0 if yaw % 360.0 < 180.0 else 1.0
        way = toward_front
        if out and ta - out[-1].end <= SPIN_GAP:
            way = out[-1].way
        out.append(HalfTurn(ta, tb, 1.0 if fa > 0 else -1.0, yaw, way))
        yaw += 180.0 * way
    return tuple(out)


@functools.lru_cache(maxsize=8)
def script_plan(script: DancerScript) -> tuple[HalfTurn, ...]:
    """The half-turns of a dancer's script (worked out once per script)."""
    return plan(tuple((k.t, k.facing) for k in script.keyframes))


def yaw_at(turns: tuple[HalfTurn, ...], t: float, shown: float) -> float:
    """The yaw (degrees, unwrapped: whole turns add up) at ``t``, ``shown`` the facing the body
    shows then (-1..+1).

    >>> turns = plan(((0.0, 1.0), (1.0, -1.0), (1.0, -1.0), (2.0, 1.0)))
    >>> [yaw_at(turns, t, f) for t, f in ((-1.0, 1.0), (0.5, 0.0), (1.0, -1.0), (1.5, 0.0))]
    [90.0, 0.0, -90.0, -180.0]
    >>> yaw_at(turns, 3.0, 1.0)
    -270.0
    """
    if not turns:
        return 90.0 * shown
    if t <= turns[0].start:
        return turns[0].yaw0
    for h in turns:
        if h.start <= t < h.end:
            p = min(max((1.0 - shown * h.from_facing) / 2.0, 0.0), 1.0)
            return h.yaw0 + 180.0 * h.way * p
        if t < h.start:
            return h.yaw0
    last = turns[-1]
    return last.yaw0 + 180.0 * last.way


def wrap(yaw: float) -> float:
    """A yaw into [-180, 180).

    >>> wrap(-270.0), wrap(180.0), wrap(90.0)
    (90.0, -180.0, 90.0)
    """
    return (yaw + 180.0) % 360.0 - 180.0
