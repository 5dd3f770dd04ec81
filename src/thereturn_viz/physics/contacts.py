"""Touch between the dancers: hand holds, his hands at her waist, the lift.

Every contact is a set of pivots with a bounded force and a bounded closing speed, added when the
contact starts and removed when it ends: a hold that is asked too much yields and slips instead of
exploding. The lift's height is not a pin either: :func:`lift_weight` says how far toward the
contact's height her hip guide is raised at each moment, and his arms, pinned softly to her
pelvis, go with her.
"""

from __future__ import annotations

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
#: Where (in her pelvis' frame) his hands hold her in a lift: both at the middle of her pelvis,
#: where the lift's targets put them (one point in profile: his hands on either side of her).
LIFT_AT = (0.0, 0.0)


def waist_anchor(partner: Dancer) -> tuple[float, float]:
    """The top of her pelvis, where one of his hands rests at her waist."""
    return (partner.bones[0].length / 2, 0.0)


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
        for hand in ("l_hand", "r_hand"):
            at = waist_anchor(partner) if contact.kind == "waist" and hand == "l_hand" else LIFT_AT
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
