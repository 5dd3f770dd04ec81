"""Touch between the dancers: hand holds, his hands at her waist, the lift.

Every contact is a set of pivots with a bounded force and a bounded closing speed, added when the
contact starts and removed when it ends: a hold that is asked too much yields and slips instead of
exploding. At her waist and in the lift his hands hold one point of her pelvis (:func:`hold_point`).
In the lift his arms carry her: :func:`lift_weight` says how far her targets are drawn to where
his hands' targets hold her, and her own hip guide only steadies her (see ``Dancer.carry``), so her
weight goes through his arms and legs into the floor.
"""

from __future__ import annotations

import math

import numpy as np
import pymunk
from numpy.typing import NDArray

from ..show.choreography import Contact
from ..show.cues import CueSheet
from .dancer import Dancer

#: Pull (N) and closing speed (m/s) of each kind of contact.
HOLD_FORCE = {"hands": 520.0, "waist": 420.0, "lift": 450.0}
HOLD_SPEED = {"hands": 1.5, "waist": 1.0, "lift": 1.0}
#: The share of a hand hold's pull kept while one of them turns.
TURN_GRIP = 0.6
#: Kinds in which he holds her body: the figures may overlap then.
EMBRACE = frozenset({"waist", "lift"})
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


def _index(dancer: Dancer, segment: str) -> int:
    return [b.spec.name for b in dancer.bones].index(segment)


def build(contact: Contact, lead: Dancer, partner: Dancer) -> list[pymunk.Constraint]:
    """The constraints that make ``contact`` (not yet added to the space)."""
    pins: list[tuple[pymunk.Body, tuple[float, float], pymunk.Body, tuple[float, float]]] = []
    if contact.kind == "hands":
        a = _index(lead, contact.lead_part)
        b = _index(partner, contact.partner_part)
        pins.append((lead.bodies[a], (0.0, 0.0), partner.bodies[b], (0.0, 0.0)))
    else:
        pelvis = partner.bodies[0]
        toward = 1.0 if lead.bodies[0].position.x > pelvis.position.x else -1.0
        at = hold_point(partner.bones[0].length, partner.bones[0].radius, pelvis.angle, toward)
        for hand in ("l_hand", "r_hand"):
            pins.append((lead.bodies[_index(lead, hand)], (0.0, 0.0), pelvis, at))
    out: list[pymunk.Constraint] = []
    for body_a, at_a, body_b, at_b in pins:
        pin = pymunk.PivotJoint(body_a, body_b, at_a, at_b)
        pin.max_force = HOLD_FORCE[contact.kind]
        pin.max_bias = HOLD_SPEED[contact.kind]
        pin.error_bias = 0.002
        pin.collide_bodies = False
        out.append(pin)
    return out


def _smooth(u: NDArray[np.float64]) -> NDArray[np.float64]:
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


def lift_weight(contact: Contact, sheet: CueSheet, t: NDArray[np.float64]) -> NDArray[np.float64]:
    """0 on the floor ... 1 at the contact's full height, smooth up, hold, gently down."""
    apex, lower = lift_phases(contact, sheet)
    up = _smooth((t - contact.start) / max(apex - contact.start, 1e-6))
    down = 1.0 - _smooth((t - lower) / max(contact.end - lower, 1e-6))
    w = np.minimum(up, down)
    return np.asarray(np.where((t >= contact.start) & (t < contact.end), w, 0.0), dtype=np.float64)
