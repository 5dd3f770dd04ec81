"""One articulated figure: pymunk bodies and pivots, driven toward target poses by PD motors.

Each joint is a pivot plus a :class:`pymunk.SimpleMotor` whose rate is set every step from the
angle error (a P term on position, the motor's own velocity servo giving the D term) and whose
``max_force`` limits the torque, so the figure yields instead of exploding. The pelvis is guided
softly by a kinematic body toward the keyframed floor position and standing height.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pymunk
from numpy.typing import NDArray

from ..show.anatomy import SEGMENTS
from ..show.kinematics import forward, standing_root
from .skeleton import Bone, bones

#: Collision categories: each figure collides with the floor and the other figure, not itself.
FLOOR_CATEGORY = 0b001


class Dancer:
    def __init__(
        self,
        space: pymunk.Space,
        name: str,
        height: float,
        group: int,
        category: int,
        angles_deg: Sequence[float] | NDArray[np.float64],
        x: float,
        facing: float,
    ) -> None:
        self.name = name
        self.height = height
        self.space = space
        self.bones: tuple[Bone, ...] = bones(height)
        self.facing = 1.0 if facing >= 0 else -1.0
        self.resets = 0
        self.bodies: list[pymunk.Body] = []
        self.motors: list[pymunk.SimpleMotor] = []
        self._index = {s.name: i for i, s in enumerate(SEGMENTS)}
        self._parent = [self._index[s.parent] if s.parent else -1 for s in SEGMENTS]
        self.guide = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
        space.add(self.guide)
        mask = pymunk.ShapeFilter.ALL_MASKS() & ~category
        shape_filter = pymunk.ShapeFilter(group=group, categories=category, mask=mask)
        segs = forward(angles_deg, height, standing_root(angles_deg, height, x, facing), facing)
        for bone in self.bones:
            a, b, world = segs[bone.spec.name]
            body = pymunk.Body(bone.mass, bone.moment)
            body.position = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            body.angle = world
            half = bone.length / 2
            shape = pymunk.Segment(body, (-half, 0), (half, 0), (bone.ra + bone.rb) / 2)
            shape.friction = 1.2 if "foot" in bone.spec.name else 0.4
            shape.filter = shape_filter
            space.add(body, shape)
            self.bodies.append(body)
        for i, bone in enumerate(self.bones):
            p = self._parent[i]
            if p < 0:
                continue
            parent = self.bodies[p]
            pbone = self.bones[p]
            anchor = (pbone.length * (bone.spec.attach - 0.5), 0.0)
            pivot = pymunk.PivotJoint(parent, self.bodies[i], anchor, (-bone.length / 2, 0.0))
            pivot.collide_bodies = False
            motor = pymunk.SimpleMotor(parent, self.bodies[i], 0.0)
            motor.max_force = self._torque(bone)
            space.add(pivot, motor)
            self.motors.append(motor)
        pelvis = self.bodies[0]
        self.hold = pymunk.PivotJoint(self.guide, pelvis, (0, 0), (-self.bones[0].length / 2, 0))
        self.hold.max_force = 9.81 * 75.0 * height / 1.8 * 1.6
        self.hold.error_bias = pow(0.2, 60)
        self.turn = pymunk.SimpleMotor(self.guide, pelvis, 0.0)
        self.turn.max_force = 1500.0
        space.add(self.hold, self.turn)
        self.guide.position = pelvis.local_to_world((-self.bones[0].length / 2, 0))
        self.guide.angle = 0.0

    def _torque(self, bone: Bone) -> float:
        """Torque budget of the joint driving ``bone``: bigger limbs get stronger muscles."""
        return 60.0 * (self.height / 1.8) ** 3 * max(bone.mass, 0.5) ** 0.5 * 4.0

    def steer(
        self, angles_deg: NDArray[np.float64], x: float, facing: float, stiffness: float, dt: float
    ) -> None:
        """Set motor rates and the pelvis guide for one step toward the target pose."""
        sign = 1.0 if facing >= 0 else -1.0
        self.facing = facing
        root = standing_root(angles_deg, self.height, x, sign)
        target = forward(angles_deg, self.height, root, sign)
        worlds = [target[s.name][2] for s in SEGMENTS]
        gain = 14.0 * stiffness
        max_rate = 9.0
        for i, motor in zip(range(1, len(SEGMENTS)), self.motors, strict=True):
            p = self._parent[i]
            want = worlds[i] - worlds[p]
            have = self.bodies[i].angle - self.bodies[p].angle
            err = (want - have + math.pi) % (2 * math.pi) - math.pi
            # SimpleMotor drives (a.angular_velocity - b.angular_velocity) toward rate.
            motor.rate = -max(-max_rate, min(max_rate, gain * err))
        pelvis = self.bodies[0]
        err = (worlds[0] - pelvis.angle + math.pi) % (2 * math.pi) - math.pi
        self.turn.rate = -max(-max_rate, min(max_rate, gain * err))
        gx, gy = self.guide.position
        self.guide.velocity = ((root[0] - gx) / dt * 0.2, (root[1] - gy) / dt * 0.2)

    def tracking_error_deg(self, angles_deg: NDArray[np.float64], facing: float) -> float:
        """Mean |target - actual| joint angle, in degrees."""
        sign = 1.0 if facing >= 0 else -1.0
        target = forward(angles_deg, self.height, (0.0, 0.0), sign)
        worlds = [target[s.name][2] for s in SEGMENTS]
        total = 0.0
        for i in range(1, len(SEGMENTS)):
            p = self._parent[i]
            want = worlds[i] - worlds[p]
            have = self.bodies[i].angle - self.bodies[p].angle
            total += abs((want - have + math.pi) % (2 * math.pi) - math.pi)
        return math.degrees(total / (len(SEGMENTS) - 1))

    def snapshot(self) -> NDArray[np.float64]:
        """(segments, 4): the a and b end points of every segment, in world meters."""
        out = np.empty((len(self.bodies), 4))
        for i, (body, bone) in enumerate(zip(self.bodies, self.bones, strict=True)):
            half = bone.length / 2
            c, s = math.cos(body.angle), math.sin(body.angle)
            px, py = body.position
            out[i] = (px - c * half, py - s * half, px + c * half, py + s * half)
        return out

    def healthy(self) -> bool:
        for body in self.bodies:
            x, y = body.position
            vx, vy = body.velocity
            if not all(math.isfinite(v) for v in (x, y, vx, vy, body.angle)):
                return False
            if abs(x) > 20 or abs(y) > 20 or abs(vx) + abs(vy) > 60:
                return False
        return True

    def reset(
        self, angles_deg: Sequence[float] | NDArray[np.float64], x: float, facing: float
    ) -> None:
        """Put the figure back in its target pose, at rest: the answer to a blown-up state."""
        segs = forward(
            angles_deg, self.height, standing_root(angles_deg, self.height, x, facing), facing
        )
        for body, bone in zip(self.bodies, self.bones, strict=True):
            a, b, world = segs[bone.spec.name]
            body.position = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            body.angle = world
            body.velocity = (0.0, 0.0)
            body.angular_velocity = 0.0
        self.guide.position = segs["pelvis"][0]
        self.resets += 1
