"""Touch between the dancers: hand holds, his hands at her waist, the lift.

Every contact is a set of pivots with a bounded force and a bounded closing speed, added when the
contact starts and removed when it ends: a hold that is asked too much yields and slips instead of
exploding. At her waist and in the lift his hands hold one point of her pelvis
(:func:`~.lift.hold_point`). In the lift his arms carry her: her own hip guide only steadies her
(see ``Dancer.carry``), so her weight goes through his arms and legs into the floor. Who holds and
who is held is the dancers' traits (:class:`~thereturn_viz.show.traits.Traits`), not their names.
"""

from __future__ import annotations

import pymunk

from ..show.choreography import Contact
from .dancer import Dancer
from .lift import hold_point

#: Pull (N) and closing speed (m/s) of each kind of contact.
HOLD_FORCE = {"hands": 520.0, "waist": 420.0, "lift": 450.0}
HOLD_SPEED = {"hands": 1.5, "waist": 1.0, "lift": 1.0}
#: The share of a hand hold's pull kept while one of them turns.
TURN_GRIP = 0.6
#: Kinds in which he holds her body: the figures may overlap then.
EMBRACE = frozenset({"waist", "lift"})


def _index(dancer: Dancer, segment: str) -> int:
    return [b.spec.name for b in dancer.bones].index(segment)


def build(contact: Contact, holder: Dancer, held: Dancer) -> list[pymunk.Constraint]:
    """The constraints that make ``contact`` (not yet added to the space): in a hand hold the
    holder's ``lead_part`` hand and the held one's ``partner_part``; otherwise both of the
    holder's hands on the held one's pelvis, on the side he stands."""
    pins: list[tuple[pymunk.Body, tuple[float, float], pymunk.Body, tuple[float, float]]] = []
    if contact.kind == "hands":
        a = _index(holder, contact.lead_part)
        b = _index(held, contact.partner_part)
        pins.append((holder.bodies[a], (0.0, 0.0), held.bodies[b], (0.0, 0.0)))
    else:
        pelvis = held.bodies[0]
        toward = 1.0 if holder.bodies[0].position.x > pelvis.position.x else -1.0
        at = hold_point(held.bones[0].length, held.bones[0].radius, pelvis.angle, toward)
        for hand in ("l_hand", "r_hand"):
            pins.append((holder.bodies[_index(holder, hand)], (0.0, 0.0), pelvis, at))
    out: list[pymunk.Constraint] = []
    for body_a, at_a, body_b, at_b in pins:
        pin = pymunk.PivotJoint(body_a, body_b, at_a, at_b)
        pin.max_force = HOLD_FORCE[contact.kind]
        pin.max_bias = HOLD_SPEED[contact.kind]
        pin.error_bias = 0.002
        pin.collide_bodies = False
        out.append(pin)
    return out


def hold_force(kind: str, loose: bool) -> float | None:
    """The pull (N) of a hold of ``kind`` while someone turns (``loose``) or not; None for the
    holds that keep their strength through a turn (only a hand hold yields).

    >>> hold_force("hands", True) == HOLD_FORCE["hands"] * TURN_GRIP, hold_force("lift", True)
    (True, None)
    """
    if kind != "hands":
        return None
    return HOLD_FORCE[kind] * (TURN_GRIP if loose else 1.0)
