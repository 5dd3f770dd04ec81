"""How far apart a hold's two ends may be: at its start (the arm closes the gap in the lead-in)
and while it is held (then the bodies should be together).

A hold joins two points: his hand and her hand, or his hands and her waist. The physics closes
whatever gap it is given at a bounded speed, so a hold written where the two stand 3 m apart
does not fail: it pulls for its whole span and never closes, while the trace says "hands". These
figures let ``check`` refuse such a hold from the targets, and the trace and the debug overlay
flag one whose bodies are apart while it is held.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from .anatomy import SEGMENTS
from .choreography import Contact, DancerScript
from .kinematics import forward_many, grounded_height

Arr = NDArray[np.float64]
Point = tuple[float, float]

#: Seconds from a hold's start in which an arm is expected to close the gap.
LEAD_IN = 0.5
#: How fast (m/s) an arm closes a hold of each kind: the physics' closing speeds (a test keeps
#: the two equal).
CLOSING = {"hands": 1.5, "waist": 1.0, "lift": 1.0}
#: A hold whose two ends are farther apart than this (m) after its lead-in is flagged "apart".
#: His hands at her waist are measured to her hip, a hand's breadth below where they hold (the
#: shipped piece's waist holds and lift stay within 0.42 m of it, its hand holds within 0.26 m
#: but for one that slips to 0.86 m as she turns out of it at 188.5 s).
APART = {"hands": 0.3, "waist": 0.5, "lift": 0.5}
_NAMES = [s.name for s in SEGMENTS]


def reach(kind: str) -> float:
    """The largest gap (m) a hold of ``kind`` can close in its lead-in.

    >>> reach("hands"), reach("waist")
    (0.75, 0.5)
    """
    return CLOSING[kind] * LEAD_IN


def gap(contact: Contact, lead: Mapping[str, Point], partner: Mapping[str, Point]) -> float:
    """The distance (m) between a hold's two ends, given each dancer's points (``l_hand``,
    ``r_hand``, ``pelvis``): the two hands of a hand hold, or the farther of his hands from her
    pelvis at the waist and in the lift.

    >>> c = Contact("hands", 0.0, 1.0, "r_hand", "l_hand")
    >>> gap(c, {"r_hand": (0.0, 1.0)}, {"l_hand": (3.0, 1.0)})
    3.0
    >>> gap(Contact("waist", 0.0, 1.0), {"l_hand": (0, 1), "r_hand": (1, 1)}, {"pelvis": (0, 1)})
    1.0
    """
    if contact.kind == "hands":
        return _dist(lead[contact.lead_part], partner[contact.partner_part])
    return max(_dist(lead[h], partner["pelvis"]) for h in ("l_hand", "r_hand"))


def target_points(script: DancerScript, t: float) -> dict[str, Point]:
    """Where the targets put the dancer's hands and pelvis at ``t`` (meters, in the plane)."""
    g = script.sample(np.array([t]))
    a, b, _ = forward_many(g.angles, script.height, g.facing)
    hip = (float(g.x[0]), float(grounded_height(g.angles, script.height, g.facing)[0] + g.y[0]))

    def at(segment: str, u: float) -> Point:
        i = _NAMES.index(segment)
        p = a[0, i] + (b[0, i] - a[0, i]) * u
        return hip[0] + float(p[0]), hip[1] + float(p[1])

    return {"l_hand": at("l_hand", 0.5), "r_hand": at("r_hand", 0.5), "pelvis": at("pelvis", 0.0)}


def target_gap(contact: Contact, lead: DancerScript, partner: DancerScript, t: float) -> float:
    """:func:`gap` of the two dancers' targets at ``t``."""
    return gap(contact, target_points(lead, t), target_points(partner, t))


def _dist(p: Point, q: Point) -> float:
    return float(np.hypot(p[0] - q[0], p[1] - q[1]))


def apart(
    contacts: tuple[Contact, ...],
    t: float,
    lead: Mapping[str, Point],
    partner: Mapping[str, Point],
) -> tuple[str, ...]:
    """The kinds of the holds in force at ``t``, past their lead-in, whose ends are farther
    apart than :data:`APART`: a hold that has slipped, or that never closed.

    >>> c = (Contact("hands", 0.0, 9.0, "r_hand", "l_hand"),)
    >>> apart(c, 1.0, {"r_hand": (0.0, 1.0)}, {"l_hand": (1.0, 1.0)}), apart(c, 0.2, {}, {})
    (('hands',), ())
    """
    return tuple(
        c.kind
        for c in contacts
        if c.start + LEAD_IN <= t < c.end and gap(c, lead, partner) > APART[c.kind]
    )
