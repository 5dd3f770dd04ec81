"""The gown: a chain of light links hanging from the partner's waist, simulated, drawn elsewhere.

The links are joined by pivots with a bounded bend between neighbours (so the chain can swing,
trail and pool on the floor but never fold back on itself into a spike) and a soft damped spring
that straightens it. The gown touches only the floor: never her legs, never the lead.
"""

from __future__ import annotations

import math

import numpy as np
import pymunk
from numpy.typing import NDArray

from .skeleton import FLOOR, GOWN

#: Links in the chain, the gown's length as a fraction of her height, one link's mass (kg).
LINKS = 7
LENGTH = 0.68
LINK_MASS = 0.09
#: The largest bend (radians) between neighbouring links.
MAX_BEND = math.radians(32.0)
#: The largest angle (radians) between the top link and the line down her pelvis.
MAX_FLARE = math.radians(70.0)


class Gown:
    def __init__(
        self,
        space: pymunk.Space,
        waist: pymunk.Body,
        anchor: tuple[float, float],
        height: float,
        group: int,
    ) -> None:
        self.space = space
        self.waist = waist
        self.anchor = anchor
        self.link = LENGTH * height / LINKS
        self.radius = 0.012
        self.bodies: list[pymunk.Body] = []
        self.shapes: list[pymunk.Segment] = []
        self.constraints: list[pymunk.Constraint] = []
        half = self.link / 2
        moment = pymunk.moment_for_segment(LINK_MASS, (-half, 0), (half, 0), self.radius)
        gown_filter = pymunk.ShapeFilter(group=group, categories=GOWN, mask=FLOOR)
        prev: pymunk.Body | None = None
        for _ in range(LINKS):
            body = pymunk.Body(LINK_MASS, moment)
            shape = pymunk.Segment(body, (-half, 0), (half, 0), self.radius)
            shape.friction = 0.25
            shape.filter = gown_filter
            space.add(body, shape)
            if prev is None:
                pivot = pymunk.PivotJoint(waist, body, anchor, (-half, 0))
                # the skirt falls from the hips along the legs, within a flare either way
                # softly: when she lies down the floor decides where the skirt goes
                rest = -math.pi
                flare = pymunk.RotaryLimitJoint(waist, body, rest - MAX_FLARE, rest + MAX_FLARE)
                flare.max_force = 2.0
                fall = pymunk.DampedRotarySpring(waist, body, rest, 0.6, 0.08)
                space.add(pivot, flare, fall)
                self.constraints += [pivot, flare, fall]
            else:
                pivot = pymunk.PivotJoint(prev, body, (half, 0), (-half, 0))
                bend = pymunk.RotaryLimitJoint(prev, body, -MAX_BEND, MAX_BEND)
                spring = pymunk.DampedRotarySpring(prev, body, 0.0, 0.4, 0.05)
                space.add(pivot, bend, spring)
                self.constraints += [pivot, bend, spring]
            self.bodies.append(body)
            self.shapes.append(shape)
            prev = body
        self.hang()

    def hang(self) -> None:
        """Hang straight from the waist, slanting back to rest its hem on the floor, at rest."""
        x, y = self.waist.local_to_world(self.anchor)
        vx, vy = self.waist.velocity
        total = self.link * len(self.bodies)
        drop = min(max(y - self.radius, 0.0), total)
        angle = math.atan2(-drop, -math.sqrt(total * total - drop * drop))
        c, s = math.cos(angle), math.sin(angle)
        for i, body in enumerate(self.bodies):
            body.angle = angle
            body.position = (x + c * self.link * (i + 0.5), y + s * self.link * (i + 0.5))
            body.velocity = (vx, vy)
            body.angular_velocity = 0.0
            self.space.reindex_shapes_for_body(body)

    def remove(self) -> None:
        self.space.remove(*self.constraints, *self.shapes, *self.bodies)

    def points(self) -> NDArray[np.float64]:
        """(links + 1, 2): the chain from the waist to the hem, in world meters."""
        out = np.empty((len(self.bodies) + 1, 2))
        half = self.link / 2
        for i, body in enumerate(self.bodies):
            c, s = math.cos(body.angle), math.sin(body.angle)
            px, py = body.position
            if i == 0:
                out[0] = (px - c * half, py - s * half)
            out[i + 1] = (px + c * half, py + s * half)
        return out

    def healthy(self) -> bool:
        for body in (self.bodies[0], self.bodies[-1]):
            x, y = body.position
            vx, vy = body.velocity
            if not math.isfinite(x + y + vx + vy):
                return False
            if abs(x) > 12.0 or abs(y) > 12.0 or math.hypot(vx, vy) > 40.0:
                return False
        return True
