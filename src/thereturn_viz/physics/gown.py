"""The gown: a chain of light links hanging from the partner's waist, simulated, drawn elsewhere.

The chain is longer than her waist is high, so its last links lie on the floor as a train: it
trails behind her feet while she stands, is dragged behind her (by the floor's friction and the
room's damping) when she travels, and swings on after she stops until the floor and its own
springs still it. The links are joined by pivots with a bounded bend between neighbours (so the
chain can swing, trail and pool on the floor but never fold back on itself into a spike) and a
soft spring, weaker than a link's weight, that curls it toward her back (so a train lies flat on
the floor, not standing up like wire). The gown touches only the floor: never her legs, never
the lead.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pymunk
from numpy.typing import NDArray

from .floor import studio_space
from .skeleton import FLOOR, GOWN

#: Links in the chain, the gown's length as a fraction of her height (the train included: about
#: half a metre lies on the floor while she stands), one link's mass (kg).
LINKS = 8
LENGTH = 0.86
LINK_MASS = 0.08
#: The largest bend (radians) between neighbouring links.
MAX_BEND = math.radians(32.0)
#: How fast (radians a second) a bend pressed past that is eased back.
UNBEND = 8.0
#: The largest angle (radians) between the top link and the line down her pelvis.
MAX_FLARE = math.radians(70.0)
#: The fabric's friction on the floor (times the floor's): the train slides a little as she
#: stops, and the skirt above it swings on.
FRICTION = 0.1
#: The curl (radians a link) of each bend toward her back, at rest: the train gathers behind her
#: as she walks forward and swings round behind her as she turns, as a gown is cut to.
CURL = math.radians(14.0)
#: The spring (N m / rad) holding each bend to that curl: weaker than a link's weight, so the
#: train lies on the floor rather than standing up like wire.
STIFF = 0.03


class Gown:
    def __init__(
        self,
        space: pymunk.Space,
        waist: pymunk.Body,
        anchor: tuple[float, float],
        height: float,
        group: int,
        facing: float = 1.0,
    ) -> None:
        self.space = space
        self.waist = waist
        self.anchor = anchor
        self.link = LENGTH * height / LINKS
        self.radius = 0.012
        self.bodies: list[pymunk.Body] = []
        self.shapes: list[pymunk.Segment] = []
        self.constraints: list[pymunk.Constraint] = []
        #: the springs between links, whose rest curls the train behind her (:meth:`face`)
        self.springs: list[pymunk.DampedRotarySpring] = []
        #: the facing last shown, and the side (+1 right, -1 left) the train is behind
        self.facing = 0.0
        self.side = 1.0
        half = self.link / 2
        moment = pymunk.moment_for_segment(LINK_MASS, (-half, 0), (half, 0), self.radius)
        gown_filter = pymunk.ShapeFilter(group=group, categories=GOWN, mask=FLOOR)
        prev: pymunk.Body | None = None
        for _ in range(LINKS):
            body = pymunk.Body(LINK_MASS, moment)
            shape = pymunk.Segment(body, (-half, 0), (half, 0), self.radius)
            shape.friction = FRICTION
            shape.filter = gown_filter
            space.add(body, shape)
            if prev is None:
                pivot = pymunk.PivotJoint(waist, body, anchor, (-half, 0))
                # the skirt falls from the hips along the legs, within a flare either way
                # softly: when she lies down the floor decides where the skirt goes
                rest = -math.pi
                flare = pymunk.RotaryLimitJoint(waist, body, rest - MAX_FLARE, rest + MAX_FLARE)
                flare.max_force = 2.0
                # a rotary spring measures the first body's angle less the second's (the limit
                # the other way round): hence the sign
                fall = pymunk.DampedRotarySpring(waist, body, -rest, 0.6, 0.01)
                joints: list[pymunk.Constraint] = [pivot, flare, fall]
            else:
                pivot = pymunk.PivotJoint(prev, body, (half, 0), (-half, 0))
                bend = pymunk.RotaryLimitJoint(prev, body, -MAX_BEND, MAX_BEND)
                # a chain pressed past its bends (she sinks onto her train) is eased back, not
                # flung: a limit corrected at once whips the train off the floor
                bend.max_bias = UNBEND
                spring = pymunk.DampedRotarySpring(prev, body, 0.0, STIFF, 0.003)
                joints = [pivot, bend, spring]
                self.springs.append(spring)
            space.add(*joints)
            self.constraints += joints
            self.bodies.append(body)
            self.shapes.append(shape)
            prev = body
        self.face(facing)
        self.hang()

    def face(self, facing: float) -> None:
        """Keep the train behind a wearer facing ``facing`` (-1 left ... +1 right, as the
        physics shows it; between the two mid-turn). The stage calls it at the steps where the
        facing shown changes (and after a skip); nothing is done unless the facing changed.

        Its bends curl toward her back, more as she shows more of her side; as she turns
        through facing the front the train, behind her in the room's depth, comes out on her
        other side: the chain is mirrored about her waist (the physics has no depth to swing it
        round in)."""
        if facing == self.facing:
            return
        self.facing = facing
        # a rotary spring measures the first body's angle less the second's: curling toward
        # -x while falling (facing right) turns each link clockwise from the one above it
        for spring in self.springs:
            spring.rest_angle = CURL * facing
        side = 1.0 if facing > 0.0 else -1.0 if facing < 0.0 else self.side
        if side != self.side:
            self.side = side
            self._mirror()

    def _mirror(self) -> None:
        """Every link mirrored about the waist's vertical line, moving the same way mirrored.

        The angles are carried down the chain (each bend turned the other way), not each
        wrapped on its own: the limits between links read the bodies' raw angles, and a link
        a whole turn off its neighbour would be wound back round through a fold."""
        wx = self.waist.local_to_world(self.anchor)[0]
        wvx = self.waist.velocity_at_local_point(self.anchor)[0]
        before = [b.angle for b in self.bodies]
        top = math.pi - before[0]
        # the top link within a turn of hanging down from the waist, as its flare limit reads it
        top += 2 * math.pi * round((self.waist.angle - math.pi - top) / (2 * math.pi))
        angle = top
        for i, body in enumerate(self.bodies):
            if i:
                angle -= before[i] - before[i - 1]
            x, y = body.position
            vx, vy = body.velocity
            body.angle = angle
            body.position = (2.0 * wx - x, y)
            body.velocity = (2.0 * wvx - vx, vy)
            body.angular_velocity = -body.angular_velocity
            self.space.reindex_shapes_for_body(body)

    def hang(self) -> None:
        """Hang at rest: straight down from the waist, the rest of the length curving onto the
        floor and lying along it behind her."""
        behind = -self.side
        x, y = self.waist.local_to_world(self.anchor)
        vx, vy = self.waist.velocity
        angles = drape(self.link, len(self.bodies), y - self.radius, MAX_BEND * 0.9)
        side = 1.0 if behind >= 0.0 else -1.0
        # the angles relative to the waist's own (its angle may be any number of turns)
        down = self.waist.angle - math.pi
        px, py = x, y
        for body, a in zip(self.bodies, angles, strict=True):
            world = -math.pi / 2 + side * a  # a = 0 straight down, pi/2 along the floor
            c, s = math.cos(world), math.sin(world)
            off = (world - (down - 0.0) + math.pi) % (2 * math.pi) - math.pi
            body.angle = down + off
            body.position = (px + c * self.link / 2, py + s * self.link / 2)
            px, py = px + c * self.link, py + s * self.link
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


def drape(link: float, links: int, drop: float, bend: float) -> list[float]:
    """Each link's angle from straight down (radians, 0 .. pi/2) for a chain that falls
    ``drop`` from its top and lies along the floor from there, turning by at most ``bend``
    between links; straight down when the chain does not reach the floor.

    >>> [round(a, 2) for a in drape(0.2, 4, 1.0, 0.5)]
    [0.0, 0.0, 0.0, 0.0]
    >>> a = drape(0.2, 8, 0.9, 0.5)
    >>> round(sum(0.2 * math.cos(x) for x in a), 6), a == sorted(a), round(a[-1], 2)
    (0.9, True, 1.57)
    """

    def angles(k0: float) -> list[float]:
        # straight down up to link k0, then turning by ``bend`` a link until flat
        return [min(max((k + 0.5 - k0) * bend, 0.0), math.pi / 2) for k in range(links)]

    def fall(k0: float) -> float:
        return sum(link * math.cos(a) for a in angles(k0))

    if fall(float(links)) <= drop:
        return [0.0] * links
    lo, hi = -float(links), float(links)  # fall(lo) < drop < fall(hi)
    if fall(lo) >= drop:
        return angles(lo)
    for _ in range(50):
        mid = (lo + hi) / 2
        if fall(mid) < drop:
            lo = mid
        else:
            hi = mid
    return angles(hi)


def time_steps(steps: int, iterations: int, slop: float, dt: float) -> float:
    """Seconds of CPU one step of a gown adds (the best of three runs of ``steps``: on a shared
    machine a run is only ever slowed), its waist walking to and fro over the floor in a space
    of its own with the stage's solver settings (``iterations``, collision ``slop``, step
    ``dt``), less the same walk without the gown (a space's own step and the loop cost about
    2 us, which the stage pays anyway): the cloth's share of stepping a figure.

    >>> 0.0 <= time_steps(10, 20, 0.005, 1 / 120) < 0.01
    True
    """
    return max(_walk(steps, iterations, slop, dt, True) - _walk(steps, iterations, slop, dt), 0.0)


def _walk(steps: int, iterations: int, slop: float, dt: float, dressed: bool = False) -> float:
    """Seconds of CPU a step of :func:`time_steps`' walk takes, with a gown or without."""
    space = studio_space(iterations, slop)
    waist = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
    waist.position, waist.angle = (0.0, 0.9), math.pi / 2
    space.add(waist)
    gown = Gown(space, waist, (0.085, 0.0), 1.65, group=1) if dressed else None
    best = math.inf
    for _ in range(3):
        start = time.thread_time()
        for i in range(steps):
            # 0.8 m/s one way, then the other, every two seconds; turning round as she goes
            way = 1.0 if (i * dt) % 4.0 < 2.0 else -1.0
            waist.velocity = (0.8 * way, 0.0)
            if gown is not None:
                gown.face(way)
            space.step(dt)
        best = min(best, time.thread_time() - start)
    return best / steps
