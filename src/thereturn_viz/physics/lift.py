"""The lift as numbers: when it rises and comes down, and where his hands hold her.

Pure numpy, shared by the planner (her targets follow his hands' targets) and by the contacts
(his hands pinned to that same point of her pelvis). In the lift his arms carry her:
:func:`lift_weight` says how far her targets are drawn to where his hands' targets hold her.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ..show.choreography import Contact
from ..show.cues import CueSheet

Arr = NDArray[np.float64]

#: How far up her pelvis (0 at the hip, 1 at the waist) his hands hold her, at her waist and in
#: the lift: on the side of her silhouette toward him, where the choreography puts his hands.
HOLD_AT = 0.75


def hold_point(length: float, radius: float, angle: float, toward: float) -> tuple[float, float]:
    """Where (in her pelvis' frame) his hands hold her: ``HOLD_AT`` up a pelvis of ``length``
    and ``radius`` at world ``angle``, on its surface on the side ``toward`` (+1: to the right).

    >>> x, y = hold_point(0.2, 0.1, math.pi / 2, -1.0)  # upright, he stands to her left
    >>> round(x, 3), round(y, 3)  # a quarter up from the middle; its local +y is world -x
    (0.05, 0.1)
    """
    side = -toward * math.sin(angle)  # her pelvis' own y axis, in the world, is (-sin, cos)
    return (length * (HOLD_AT - 0.5), math.copysign(radius, side))


def held_points(a: tuple[Arr, Arr], b: tuple[Arr, Arr], radius: float, toward: Arr) -> Arr:
    """(n, 2) where his hands hold her pelvis, from her hip: her pelvis runs from ``a`` to ``b``
    ((n,) x and y each, relative to the hip), ``toward`` (n,) is the side he is on, in x.

    The same point as :func:`hold_point`, for a block of target poses at once.

    >>> up = (np.zeros(1), np.zeros(1)), (np.zeros(1), np.full(1, 0.2))
    >>> held_points(*up, 0.1, np.array([-1.0])).round(3).tolist()  # he is to her left
    [[-0.1, 0.15]]
    """
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length = np.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    # the normal of her pelvis that points toward him: on its surface there
    side = np.where(toward >= 0.0, 1.0, -1.0) * np.where(uy <= 0.0, 1.0, -1.0) * radius
    along = HOLD_AT * length
    return np.stack([ax + ux * along - uy * side, ay + uy * along + ux * side], axis=1)


def _smooth(u: Arr) -> Arr:
    """0 to 1 with no jerk at either end (quintic smoothstep), held outside [0, 1].

    >>> _smooth(np.array([-1.0, 0.0, 0.5, 1.0, 2.0])).tolist()
    [0.0, 0.0, 0.5, 1.0, 1.0]
    """
    u = np.clip(u, 0.0, 1.0)
    return np.asarray(u * u * u * (u * (6.0 * u - 15.0) + 10.0), dtype=np.float64)


def lift_phases(contact: Contact, sheet: CueSheet) -> tuple[float, float]:
    """When the lift reaches its height and when it starts to come down.

    The story's cues when they fall inside the contact (``lift_apex``, ``music_resumes``);
    otherwise fixed fractions of it, so a lift anywhere still goes up, holds, and comes down.
    """
    s, e = contact.start, contact.end
    apex = s + 0.4 * (e - s)
    if "lift_apex" in sheet and s < sheet.time_of("lift_apex") < e:
        apex = sheet.time_of("lift_apex")
    lower = apex + 0.4 * (e - apex)
    if "music_resumes" in sheet and apex <= sheet.time_of("music_resumes") < e:
        lower = sheet.time_of("music_resumes")
    return apex, lower


def lift_weight(contact: Contact, sheet: CueSheet, t: Arr) -> Arr:
    """0 on the floor ... 1 at the contact's full height, smooth up, hold, gently down."""
    apex, lower = lift_phases(contact, sheet)
    up = _smooth((t - contact.start) / max(apex - contact.start, 1e-6))
    down = 1.0 - _smooth((t - lower) / max(contact.end - lower, 1e-6))
    w = np.minimum(up, down)
    return np.asarray(np.where((t >= contact.start) & (t < contact.end), w, 0.0), dtype=np.float64)
