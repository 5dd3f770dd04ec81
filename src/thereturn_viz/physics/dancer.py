"""One articulated figure: pymunk bodies and pivots, driven toward target poses by servos.

Each joint is a pivot, a :class:`pymunk.RotaryLimitJoint` (the anatomical range, mirrored with
the facing) and a :class:`pymunk.GearJoint` used as a PD servo: its phase is the target relative
angle, its ``error_bias`` the P gain, the solver's velocity correction the D term, ``max_force``
the muscle's peak torque scaled by the effort and ``max_bias`` the fastest the joint may turn. The
phase is led by the target's own velocity over the gain, so a moving target is tracked without
lag. The targets arrive precomputed for a block of steps (:class:`~.planner.DriveBlock`), so a
step only copies numbers into the solver, through the handles :class:`~.solver.Solver` gives.

The pelvis is guided softly: a kinematic guide body moves along the keyframed hip path at its
exact velocity and steers the hip across the floor with a bounded force, and a bounded gear keeps
the trunk's tilt. Up and down the guide only catches the hip when it strays more than a few
centimeters from its path (a slack rope both ways), so the legs carry the body and the floor
carries its weight, rather than the guide holding it up or pressing it down.

Standing on its own feet (a foot planted, no one holding it) the figure's place and balance are
its legs' too: across, the guide is a slack rope as well, catching the hip only beyond
:data:`STAND_SLACK` of its path, and damping its sway about the path; the trunk's gear keeps
:data:`STAND_TRUNK` of its torque. Held to the path as in the air, the guide and the trunk's gear
fought the legs over fractions of a degree (a foot flat on the floor where its target tilts it,
the legs' own errors): the gear's torque came back through the floor as a couple with the guide's
pull across, a median of 302 N on the lead and 369 N on the partner (two fifths and more of a
body weight) while their weight was over their feet; now 13 N and 17 N
(``benchmarks/hip_guide.py``, 4 December at 65dbd7a). A foot set down on its own is held where
its target is, so the legs, reaching for their targets, stand the hip on its path. Held,
carried, on the toes or with no foot planted (a releve, a turn, a leap: a free foot slides over
the floor), the guide keeps its full pull.
"""

from __future__ import annotations

import math

import numpy as np
import pymunk
from numpy.typing import NDArray

from ..show.anatomy import SEGMENTS
from ..show.kinematics import forward_many, relative_angles, segment_points
from .planner import AT_TOE, FREE, SLIDING, DriveBlock
from .skeleton import (
    CORE,
    DEFAULT_FRICTION,
    FLOOR,
    FREE_FOOT_FRICTION,
    JOINT_SPEED,
    PLANTED_FRICTION,
    Bone,
    bones,
    core_category,
    limits_rad,
)
from .solver import Solver

Arr = NDArray[np.float64]

#: The hip guide: its pull, in body weights, and how fast it closes a gap (fraction left per s).
GUIDE_WEIGHTS = 1.4
GUIDE_BIAS = 0.02
#: The share of the body's weight the guide may hold up or press down once the hip strays out of
#: its slack, and in a lift, where his arms carry her and the guide only catches her. Across, the
#: guide keeps its full pull in a lift too (GUIDE_WEIGHTS): held weaker there, her balance over his
#: straight arms rocked him and her together at 1.7 Hz (1.6 cm RMS); held, 4 mm.
CARRY_WEIGHTS = 0.6
LIFT_WEIGHTS = 0.3
#: How far (m) the hip may sink below its path, or rise above it, before the guide acts: the
#: feet settle into the floor by up to the collision slop, and the legs never match their targets
#: to the millimeter, so a guide held exactly to the path would always be pulling one way.
SAG_SLACK = 0.015
RISE_SLACK = 0.01
#: Carried in a lift, her hip goes where his hands hold it: the guide acts only beyond this (m)
#: up or down, and across beyond ``LIFT_STEADY``: her weight is his, while her balance over his
#: hands is steadied (held still in the air, she would otherwise rock on his straight arms).
LIFT_SLACK = 0.08
LIFT_STEADY = 0.005
#: The vertical guide is a rope this long (m) hung from above the hip: straight up and down.
ROPE = 50.0
#: Standing on its own feet, the guide across only catches the hip this far (m) from its path,
#: with at most this share of the body's weight: the legs carry the hip there. The legs stand the
#: hip where the feet are, at times a few centimeters off its path (a foot set down where it came
#: down rather than at its target, 2 cm of slack left the rope at its cap through a passage of
#: 7 s where a foot had landed 2.4 cm off).
STAND_SLACK = 0.04
STAND_WEIGHTS = 0.5
#: Standing on its own feet, how hard (N s/m per kg of the body) the guide damps the hip's sway
#: about its path: the solver's chain of servos, held by the feet alone, otherwise rings at 3 to
#: 4 Hz (the hip +-2.5 cm, rope end to rope end). It pulls only on a hip moving off its path's
#: pace.
STAND_DAMPING = 12.5
#: Standing on its own feet, the share of its torque the trunk's gear keeps: the legs hold the
#: pelvis, as only a few tens of N m of the body's weight ask of them; at full torque the gear
#: fought the legs' servos (the lead's hip at its 420 N m against the gear's 630 N m in an
#: arabesque that asked 10 N m of the hip), and the figure as a whole pushed that torque into the
#: floor against the guide (a tenth of its torque, or none, left more of the sway to the damper:
#: the guide's median pull standing rose from 14 N to 24 N and 85 N).
STAND_TRUNK = 0.2
#: How hard (in body weights) a planted foot is held against sliding.
PLANT_WEIGHTS = 0.8
#: A figure is reset when a body is further than this from the studio's centre or faster (m/s).
ABSURD_DISTANCE = 12.0
ABSURD_SPEED = 40.0

_PARENT = [[s.name for s in SEGMENTS].index(s.parent) if s.parent else -1 for s in SEGMENTS]


class Dancer:
    def __init__(
        self,
        space: pymunk.Space,
        solver: Solver,
        name: str,
        height: float,
        index: int,
        angles_deg: Arr,
        hip: tuple[float, float],
        facing: float,
        rel: Arr | None = None,
    ) -> None:
        self.name = name
        self.height = height
        self.space = space
        self.solver = solver
        self.index = index
        self.bones: tuple[Bone, ...] = bones(height)
        self.mass = sum(b.mass for b in self.bones)
        self.resets = 0
        self.bodies: list[pymunk.Body] = []
        self.shapes: list[pymunk.Segment] = []
        self.servos: list[pymunk.GearJoint] = []
        self.limits: list[pymunk.RotaryLimitJoint] = []
        self.constraints: list[pymunk.Constraint] = []
        self.group = index + 1
        self._stiffness = -1.0
        self._speed = -1.0
        for bone in self.bones:
            body = pymunk.Body(bone.mass, bone.moment)
            half = bone.length / 2
            shape = pymunk.Segment(body, (-half, 0), (half, 0), bone.radius)
            shape.friction = DEFAULT_FRICTION
            space.add(body, shape)
            self.bodies.append(body)
            self.shapes.append(shape)
        self.set_core_collision(True)
        self.guide = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
        space.add(self.guide)
        # a planted foot is held where it stands (it moves only as the choreography slides it)
        self.feet = [[b.spec.name for b in self.bones].index(f) for f in ("l_foot", "r_foot")]
        self.foot_guides = [pymunk.Body(body_type=pymunk.Body.KINEMATIC) for _ in self.feet]
        space.add(*self.foot_guides)
        self.pins: list[pymunk.GrooveJoint | None] = [None, None]
        #: where each pin holds its foot (FREE, AT_ANKLE or AT_TOE)
        self._pinned_at = [FREE, FREE]
        for foot in self.feet:  # not planted until the stage plants them
            self.shapes[foot].friction = FREE_FOOT_FRICTION
        self._add_guides()
        self._add_joints()
        self._set_phases, self._set_velocity = solver.set_phases, solver.set_velocity
        self._servo_handles = [solver.servo(s) for s in self.servos]
        self._servo_handle = self._servo_handles.__getitem__
        self._guide_handle = solver.body(self.guide)
        self._foot_handles = [solver.body(g) for g in self.foot_guides]
        #: set every servo at the next step, not just those that move (after a placing or a seek)
        self.full = True
        watched = ("pelvis", "head", "l_hand", "r_hand", "l_foot", "r_foot")
        self._watched = [i for i, b in enumerate(self.bones) if b.spec.name in watched]
        self._watched_handles = [solver.body(self.bodies[i]) for i in self._watched]
        self.set_effort(1.0, 1.0)
        if rel is None:  # the pose as the kinematics gives it: no whole turns made
            rel = relative_angles(np.asarray(angles_deg)[None, :], np.array([facing]))[0]
        self.place(angles_deg, hip, facing, rel)

    # -- set-up and state ------------------------------------------------------------------

    def _add_guides(self) -> None:
        """The hip guide's constraints, loose for the body's weight (see the module's words)."""
        pelvis = self.bodies[0]
        hip_at = (-self.bones[0].length / 2, 0.0)
        # a groove steers the hip across the floor; up and down a slack rope only catches it
        # when it strays, so the floor (feet, knees, back) carries the weight; carried in a lift,
        # a slack rope across takes the groove's place, so his hands place her
        self.steer_x: pymunk.Constraint = pymunk.GrooveJoint(
            self.guide, pelvis, (0.0, -9.0), (0.0, 9.0), hip_at
        )
        self._slack_x = pymunk.SlideJoint(
            self.guide, pelvis, (-ROPE, 0.0), hip_at, ROPE - LIFT_STEADY, ROPE + LIFT_STEADY
        )
        self.steer_y = pymunk.SlideJoint(
            self.guide, pelvis, (0.0, ROPE), hip_at, ROPE - RISE_SLACK, ROPE + SAG_SLACK
        )
        for guide in (self.steer_x, self._slack_x, self.steer_y):
            guide.error_bias = GUIDE_BIAS
            guide.max_bias = 2.5
        # standing on its own feet: a damper across, against the hip's sway about its path
        self._damper = pymunk.DampedSpring(
            self.guide, pelvis, (-ROPE, 0.0), hip_at, ROPE, 0.0, STAND_DAMPING * self.mass
        )
        self.space.add(self.steer_x, self.steer_y)
        self.constraints += [self.steer_x, self.steer_y]
        self._lifted = self._held = self._standing = False
        self.carry(False)

    def _add_joints(self) -> None:
        """The trunk's servo, then each joint's pivot, servo and limit, root to extremities."""
        trunk = pymunk.GearJoint(self.guide, self.bodies[0], 0.0, 1.0)
        self.servos.append(trunk)
        self.space.add(trunk)
        self.constraints.append(trunk)
        for i, bone in enumerate(self.bones):
            p = _PARENT[i]
            if p < 0:
                continue
            parent, pbone = self.bodies[p], self.bones[p]
            anchor = (pbone.length * (bone.spec.attach - 0.5), 0.0)
            pivot = pymunk.PivotJoint(parent, self.bodies[i], anchor, (-bone.length / 2, 0.0))
            servo = pymunk.GearJoint(parent, self.bodies[i], 0.0, 1.0)
            limit = pymunk.RotaryLimitJoint(parent, self.bodies[i], -math.pi, math.pi)
            limit.max_force = bone.strength * 4.0
            self.space.add(pivot, servo, limit)
            self.constraints += [pivot, servo, limit]
            self.servos.append(servo)
            self.limits.append(limit)

    def set_core_collision(self, on: bool) -> None:
        """Whether this figure's trunk and legs push the other figure away (off while held)."""
        other = core_category(1 - self.index)
        for bone, shape in zip(self.bones, self.shapes, strict=True):
            core = bone.spec.name in CORE
            category = core_category(self.index) if core else 0b10000
            mask = FLOOR | (other if core and on else 0)
            shape.filter = pymunk.ShapeFilter(group=self.group, categories=category, mask=mask)

    def carry(self, lifted: bool) -> None:
        """How much of the weight the hip guide may hold or press once the hip strays: a good
        share, or in a lift (where his arms carry her) a little; across, the same pull always."""
        self._lifted = lifted
        self._steer()
        weight = 9.81 * self.mass
        self.steer_y.max_force = weight * (LIFT_WEIGHTS if lifted else CARRY_WEIGHTS)
        self.steer_y.min = ROPE - (LIFT_SLACK if lifted else RISE_SLACK)
        self.steer_y.max = ROPE + (LIFT_SLACK if lifted else SAG_SLACK)

    def touch(self, held: bool) -> None:
        """Whether the partner holds this figure or is held by it (any contact) from now on."""
        if held != self._held:
            self._held = held
            self._steer()

    def _steer(self) -> None:
        """The guide across for what the figure does now (see the module's words): standing on
        its own feet, a slack rope, a damper and a weaker trunk; carried in a lift, a short
        slack rope; otherwise the groove. Called only as that changes (a foot planted or lifted,
        a contact made or let go): never in a plain step."""
        standing = not self._lifted and not self._held and any(p is not None for p in self.pins)
        rope = self._lifted or standing
        if rope != isinstance(self.steer_x, pymunk.SlideJoint):
            old, self.steer_x, self._slack_x = self.steer_x, self._slack_x, self.steer_x
            self.space.remove(old)
            self.space.add(self.steer_x)
            self.constraints[self.constraints.index(old)] = self.steer_x
        weight = 9.81 * self.mass
        self.steer_x.max_force = weight * (STAND_WEIGHTS if standing else GUIDE_WEIGHTS)
        if isinstance(self.steer_x, pymunk.SlideJoint):
            slack = STAND_SLACK if standing else LIFT_STEADY
            self.steer_x.min, self.steer_x.max = ROPE - slack, ROPE + slack
        if standing != self._standing:
            self._standing = standing
            if standing:
                self.space.add(self._damper)
                self.constraints.append(self._damper)
            else:
                self.space.remove(self._damper)
                self.constraints.remove(self._damper)
            self._trunk_force()

    def _trunk_force(self) -> None:
        """The trunk's gear's torque: the effort's, and standing, :data:`STAND_TRUNK` of it."""
        if self.servos:  # not yet made while the guides are
            share = STAND_TRUNK if self._standing else 1.0
            self.servos[0].max_force = self.bones[0].strength * max(self._stiffness, 0.2) * share

    def plant(self, foot: int, how: int, at: float | None = None) -> None:
        """Hold a foot where it stands (sideways only: it can still rise and roll), pinned at the
        ankle (``how`` :data:`~.planner.AT_ANKLE`) or at the toe (:data:`~.planner.AT_TOE`, on
        the ball of the foot), or let it go (:data:`~.planner.FREE`); ``at``: where (x, m) the
        pinned end is held, if not where it stands. Plus :data:`~.planner.SLIDING`, the pin
        carries it over the floor without its grip.

        A planted foot grips the floor; a free one slides over it (a figure built afresh gets
        the same grip, since the stage plants its feet again from the targets)."""
        grip = how and not how & SLIDING
        self.shapes[self.feet[foot]].friction = PLANTED_FRICTION if grip else FREE_FOOT_FRICTION
        how &= ~SLIDING
        pin = self.pins[foot]
        if pin is not None and self._pinned_at[foot] != how:
            self.space.remove(pin)
            self.pins[foot] = pin = None
            if not how:
                self._steer()
        self._pinned_at[foot] = how
        if how and pin is None:
            body = self.bodies[self.feet[foot]]
            half = self.bones[self.feet[foot]].length / 2
            end = (half if how == AT_TOE else -half, 0.0)
            guide = self.foot_guides[foot]
            guide.position = (body.local_to_world(end)[0] if at is None else at, 0.0)
            pin = pymunk.GrooveJoint(guide, body, (0.0, -3.0), (0.0, 3.0), end)
            pin.max_force = 9.81 * self.mass * PLANT_WEIGHTS
            pin.max_bias = 0.5
            self.space.add(pin)
            self.pins[foot] = pin
            self._steer()

    def slide(self, left: float, right: float) -> None:
        """How fast (m/s) the choreography slides each planted foot across the floor."""
        setv = self._set_velocity  # a step in four slides a foot
        setv(self._foot_handles[0], (left, 0.0))
        setv(self._foot_handles[1], (right, 0.0))

    def set_effort(self, stiffness: float, speed: float) -> None:
        """Per-joint gains and torques scaled by the keyframe's effort."""
        if stiffness == self._stiffness and speed == self._speed:
            return
        self._stiffness, self._speed = stiffness, speed
        for bone, servo in zip(self.bones, self.servos, strict=True):
            servo.max_force = bone.strength * max(stiffness, 0.2)
            servo.error_bias = math.exp(-bone.gain * stiffness)
            servo.max_bias = JOINT_SPEED * max(speed, 0.2)
        self._trunk_force()

    def set_limits(self, facing: float, rel: Arr) -> None:
        """Anatomical ranges for the facing shown (mid-turn, the union of both sides), each moved
        by the whole turns that put relative angle ``rel`` nearest its middle."""
        if abs(facing) >= 1.0:
            lo, hi = limits_rad(1.0 if facing > 0 else -1.0)
        else:
            lo_r, hi_r = limits_rad(1.0)
            lo_l, hi_l = limits_rad(-1.0)
            lo, hi = np.minimum(lo_r, lo_l), np.maximum(hi_r, hi_l)
        whole = 2 * math.pi * np.round((rel - (lo + hi) / 2) / (2 * math.pi))
        self.set_window((lo + whole).tolist(), (hi + whole).tolist())

    def set_window(self, lo: list[float], hi: list[float]) -> None:
        """Relative-angle limits (radians) for every joint (the pelvis entry is not a joint)."""
        # limits[0] is the chest's: the trunk's own tilt is the guide's business
        for limit, low, high in zip(self.limits, lo[1:], hi[1:], strict=True):
            limit.min = low
            limit.max = high

    def place(
        self, angles_deg: Arr, hip: tuple[float, float], facing: float, rel: Arr | None = None
    ) -> None:
        """Put every body in the pose, at rest (the start, and the answer to a blown-up state).

        ``rel`` is the relative angles the servos will be driven to (whole turns made in turns
        included); by default the pose's, moved by the whole turns nearest the servos' targets.
        """
        a, b, _ = forward_many(np.asarray(angles_deg)[None, :], self.height, np.array([facing]))
        if rel is None:
            rel = relative_angles(np.asarray(angles_deg)[None, :], np.array([facing]))[0]
            phase = np.array([servo.phase for servo in self.servos])
            rel = rel + 2 * math.pi * np.round((phase - rel) / (2 * math.pi))
        world = np.asarray(rel, dtype=np.float64).copy()
        for i in range(1, len(world)):
            world[i] += world[_PARENT[i]]
        for i, body in enumerate(self.bodies):
            body.position = (
                hip[0] + float(a[0, i, 0] + b[0, i, 0]) / 2,
                hip[1] + float(a[0, i, 1] + b[0, i, 1]) / 2,
            )
            body.angle = float(world[i])
            body.velocity = (0.0, 0.0)
            body.angular_velocity = 0.0
        self.guide.position = hip
        self.guide.velocity = (0.0, 0.0)
        self.guide.angle = 0.0
        for servo, v in zip(self.servos, np.asarray(rel).tolist(), strict=True):
            servo.phase = v
        self.full = True
        self.set_limits(facing, np.asarray(rel))
        self.space.reindex_shapes_for_body(self.bodies[0])
        for body in self.bodies[1:]:
            self.space.reindex_shapes_for_body(body)

    def remove(self) -> None:
        """Take the figure out of the space (a reset builds a fresh one: solver caches and all)."""
        pins = [p for p in self.pins if p is not None]
        self.space.remove(*pins, *self.constraints, *self.shapes, *self.bodies, self.guide)
        self.space.remove(*self.foot_guides)

    # -- the hot loop ------------------------------------------------------------------------

    def drive(self, block: DriveBlock, k: int) -> None:
        """Copy step ``k``'s targets into the solver."""
        event = block.events.get(k)
        if event is not None:
            effort, turn, plants, slide = event
            if effort is not None:
                self.set_effort(*effort)
            if turn is not None:
                self.set_window(*turn)
            if plants is not None:
                alone = not self._held and not self._lifted
                for foot, how in plants:
                    end = how & ~SLIDING
                    at = self._target_end_x(block, k, foot, end) if how and alone else None
                    self.plant(foot, how, at)
            if slide is not None:
                self.slide(*slide)
        if self.full or k == 0:
            self.full = False
            self._set_phases(self._servo_handles, block.phases[k].tolist())
        else:  # only the servos that move: the same phase is a no-op
            a, b = block.moved_at[k], block.moved_at[k + 1]
            self._set_phases(map(self._servo_handle, block.moved[a:b]), block.moved_to[a:b])
        self._set_velocity(self._guide_handle, block.guide_velocity[k])

    def _target_end_x(self, block: DriveBlock, k: int, foot: int, how: int) -> float:
        """Where (x, m) step ``k``'s targets put a foot's pinned end (``how``: the ankle or the
        toe): a foot set down on its own (no one held) is held there, where the choreography
        sets it, so that the legs, reaching for their targets, stand the hip on its path (held
        where it came down, a foot landed wherever the hip was, up to the guide's slack off, and
        kept the hip there). Held, a foot is held where it came down, as before: his base under
        her in the lift is where his feet found the floor (set at their targets, her guide
        steadied her with 105 N)."""
        pts = segment_points(block.angles[k][None, :], self.height, block.facing[k : k + 1])
        x = pts[2 if how == AT_TOE else 0]
        return float(block.hip[k, 0] + x[self.feet[foot], 0])

    # -- reading -----------------------------------------------------------------------------

    def angles(self) -> Arr:
        """Actual relative angles (the pelvis: world), unwrapped like the targets."""
        w = np.array([b.angle for b in self.bodies])
        rel = w.copy()
        rel[1:] = w[1:] - w[_PARENT[1:]]
        return rel

    def guide_push_y(self, dt: float) -> float:
        """The upward force (N) the hip guide's ropes put on the hip over the last step of
        ``dt`` s: the hanging rope pulls up once the hip sags past its slack and presses down
        once it rises past it; in a lift the rope across too, a little, as the hip sits above or
        below its far anchor (its 0.3 percent of a pull across is a newton or two). A rope's
        impulse is a size: the side the hip is on gives its direction (where the hip ended the
        step is where the solver placed the rope's ends: positions move before velocities are
        solved). The groove across steers only across; standing on its own feet the rope across
        counts too, and the damper across is left out: it lies level to within its tilt over
        50 m, a thousandth of its pull, and standing alone nothing is carried."""
        ropes = [self.steer_y] + (
            [self.steer_x] if isinstance(self.steer_x, pymunk.SlideJoint) else []
        )
        return sum(self._rope_push(rope, dt)[1] for rope in ropes)

    def _rope_push(self, rope: pymunk.Constraint, dt: float) -> tuple[float, float]:
        """The force (N) a slack rope between the guide and the hip put on the hip: toward its
        far anchor when stretched past the middle of its slack, away from it when pushed short."""
        assert isinstance(rope, pymunk.SlideJoint)
        a = self.guide.local_to_world(rope.anchor_a)
        b = self.bodies[0].local_to_world(rope.anchor_b)
        d = a - b
        length = d.length
        if length == 0.0:
            return 0.0, 0.0
        sign = 1.0 if length > (rope.min + rope.max) / 2 else -1.0
        f = sign * rope.impulse / dt / length
        return f * d.x, f * d.y

    def tracking_error_deg(self, target_rel: Arr) -> float:
        """Mean |target - actual| joint angle, in degrees."""
        err = (self.angles() - target_rel + math.pi) % (2 * math.pi) - math.pi
        return float(np.degrees(np.abs(err)).mean())

    def snapshot(self) -> Arr:
        """(segments, 4): the a and b end points of every segment, in world meters."""
        out = np.empty((len(self.bodies), 4))
        for i, (body, bone) in enumerate(zip(self.bodies, self.bones, strict=True)):
            half = bone.length / 2
            c, s = math.cos(body.angle), math.sin(body.angle)
            px, py = body.position
            out[i] = (px - c * half, py - s * half, px + c * half, py + s * half)
        return out

    def healthy(self) -> bool:
        """False when a body is non-finite, far away, too fast or under the floor.

        Only the extremities and the pelvis are read: a blow-up anywhere reaches them at once.
        """
        for x, y, vx, vy, a, w in map(self.solver.state, self._watched_handles):
            if not math.isfinite(x + y + vx + vy + a + w):
                return False
            if math.hypot(x, y - 1.0) > ABSURD_DISTANCE or math.hypot(vx, vy) > ABSURD_SPEED:
                return False
            if y < -0.3:
                return False
        return True
