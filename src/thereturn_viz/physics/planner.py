"""The plan: a choreography turned into blocks of drive targets for the figures. Pure numpy.

What the stepping loop copies into the solver is worked out here, ahead, for :data:`BLOCK` steps
at a time: each servo's phase at every step, the hip guide's velocity, and the sparse events
(an effort, the joints' limits or a foot's plant changing; a contact made or let go; the hand
holds loosening through a turn), each keyed to its step index. Blocks are aligned to multiples
of the block size, so the numbers fed to the solver at a given step are the same bits however
the piece is advanced (whole, frame by frame at any fps, after a seek, which rebuilds the stage
from t = 0, or built ahead in slices by :class:`Ahead`). Nothing here imports pymunk: the plan can
be built and tested without a physics engine, and :class:`~.stage.Stage` only applies it.

What a figure does beyond its keyframes comes from its script's traits
(:class:`~thereturn_viz.show.traits.Traits`): the trembling added to the one who trembles, the
carried one's hip drawn to where the carrier's hands' targets hold her. Every figure breathes
where its keyframes hold it (:mod:`.breath`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from ..show.anatomy import JOINTS, LIMITS, SEGMENT_NAMES
from ..show.choreography import Choreography, DancerScript, Targets
from ..show.cues import CueSheet
from ..show.kinematics import (
    CONTACT_RADIUS,
    LEGS,
    lowest_point,
    relative_angles,
    segment_points,
    turn_facing,
    wrap_into,
)
from ..show.traits import Tremble
from . import balance, footing, turns
from .breath import HOLD_EASE, Breath, Sampled
from .lift import held_points, lift_weight
from .skeleton import bones

STEP_HZ = 120
DT = 1.0 / STEP_HZ
#: Steps of targets computed at once (10 s).
BLOCK = 1200
#: Seconds before a block is needed from which its targets are worked out ahead in any case.
PREFETCH_DUE = 1.0
#: Steps after a turn before hand holds grip fully again.
TURN_EASE_STEPS = 20
#: A foot is planted while its target ankle, or else its toe, is this close (m) to its height
#: standing flat.
PLANT_SLACK = 0.03
#: How a foot is planted (:class:`DriveBlock` ``planted``): not, pinned at the ankle (the sole or
#: the heel on the floor), or pinned at the toe (on the ball of the foot, the heel raised: left
#: free, a foot on its toes bore the body on a friction of 0.3, and slid and chattered under it).
FREE, AT_ANKLE, AT_TOE = 0, 1, 2
#: Added to how a foot pinned at the toe is planted while the footing draws it along
#: (:mod:`.footing`): its pin carries it and it slides over the floor (gripping, a toe drawn by
#: its pin stuck: his weight on it and a friction of 3 outpulled the pin's 0.8 body weights, and
#: the body went on without it, 0.37 m off his feet). A foot pinned at the ankle grips as it
#: always has, drawn or not.
SLIDING = 4
#: Seconds after a turn in which the body finishes its mirror (in profile a turn passes the feet
#: through pointe and swings them round) and no foot is planted yet: a foot pinned at the ankle
#: with its toe gripping the floor could never come down from pointe onto its sole (her standing
#: foot stayed on its toes through a whole developpe).
TURN_SETTLE = 0.5

Arr = NDArray[np.float64]

_LO = np.array([LIMITS[j][0] for j in JOINTS])
_HI = np.array([LIMITS[j][1] for j in JOINTS])
_HANDS = [SEGMENT_NAMES.index("l_hand"), SEGMENT_NAMES.index("r_hand")]
_FEET = [SEGMENT_NAMES.index("l_foot"), SEGMENT_NAMES.index("r_foot")]
_PELVIS = SEGMENT_NAMES.index("pelvis")
_LEGS = np.array(LEGS)

#: What changes at a step, when something does: (stiffness, speed), the joints' limits (low and
#: high relative angles), feet planted or lifted as (foot, how: FREE, AT_ANKLE or AT_TOE, plus
#: SLIDING), the planted feet's sliding speeds (m/s).
StepEvent = tuple[
    tuple[float, float] | None,
    tuple[list[float], list[float]] | None,
    list[tuple[int, int]] | None,
    tuple[float, float] | None,
]
#: Where a figure is placed: its pose (joint angles, degrees), hip point and facing shown.
Placing = tuple[Arr, tuple[float, float], float]


@dataclass(frozen=True)
class DriveBlock:
    """A block of steps' targets for one figure: what the stepping loop reads every step as plain
    Python lists, the rest as arrays."""

    phases: Arr  # (n, servos) per step: pelvis world angle, then each joint's relative angle
    # the servos whose phase changes from one step to the next (about 60% a step), flat: step
    # k's are ``moved[moved_at[k]:moved_at[k + 1]]``, set to ``moved_to[...]`` (step 0: none)
    moved: list[int]
    moved_to: list[float]
    moved_at: list[int]
    guide_velocity: list[list[float]]  # per step: x, y
    hip: Arr  # (n, 2) target hip point at the end of each step
    rel: Arr  # (n, joints) target relative angles (for the tracking error)
    efforts: dict[int, tuple[float, float]]  # step -> (stiffness, speed), when it changes
    limits: dict[int, tuple[list[float], list[float]]]  # step -> joints' (low, high), on a change
    angles: Arr  # (n, joints) target joint angles in degrees (for a reset)
    facing: Arr  # (n,) the facing the body shows
    feet_velocity: Arr  # (n, 2) how fast each planted foot's pinned end slides (x, m/s)
    planted: NDArray[np.int8]  # (n, 2) FREE, AT_ANKLE or AT_TOE (plus SLIDING)
    events: dict[int, StepEvent]  # sparse: only the steps where something changes


@dataclass(frozen=True)
class Plan:
    """One block of targets for every figure, and the duet's events keyed to its steps."""

    number: int
    blocks: dict[str, DriveBlock]
    #: each figure's placing at the block's first step (to put it there)
    first: dict[str, Placing]
    #: step -> (contact index, made?) for the contacts made or let go at that step
    events: dict[int, list[tuple[int, bool]]]
    #: steps at which the hand holds loosen (True) for a turn or grip again (False)
    hold_events: dict[int, bool]


@dataclass(frozen=True)
class Figure:
    """One figure's target segments at some times (world m): ``ax, ay, bx, by`` are (segments,
    n) end points, ``depth`` (n,) meters from the mirror, ``facing`` (n,) the facing shown."""

    ax: Arr
    ay: Arr
    bx: Arr
    by: Arr
    depth: Arr
    facing: Arr


@dataclass(frozen=True)
class _Pose:
    """A figure's target poses over a block: joint angles, facing, segment points, hip."""

    angles: Arr  # (n, joints) degrees, wrapped into the joints' ranges
    facing: Arr  # (n,)
    points: tuple[Arr, Arr, Arr, Arr]  # ax, ay, bx, by: (segments, n) relative to the hip
    hip: Arr  # (n, 2)
    stands: NDArray[np.bool_]  # (n, 2) each foot held on the floor of a standing figure
    drawn: NDArray[np.bool_]  # (n, 2) each foot drawn along, not standing still


def hip_target(x: Arr, grounded: Arr, raise_y: Arr) -> Arr:
    """(n, 2) the guide's hip point: where the pose stands on the floor, plus any raise.

    >>> hip_target(np.array([1.0]), np.array([0.9]), np.array([0.25])).round(3).tolist()
    [[1.0, 1.15]]
    """
    return np.stack([x, grounded + raise_y], axis=1)


def tremble_deg(tremble: Tremble, sheet: CueSheet, t: Arr) -> Arr:
    """(n, joints) degrees added to a pose at times ``t``: zero outside the tremble's cues,
    and everywhere on a sheet without them."""
    out = np.zeros((len(t), len(JOINTS)))
    if tremble.start not in sheet or tremble.until not in sheet:
        return out
    a, b = sheet.time_of(tremble.start), sheet.time_of(tremble.until)
    env = np.clip(np.minimum(t - a, b - t) / tremble.ramp, 0.0, 1.0)
    if not env.any():
        return out
    for w in tremble.waves:
        out[:, JOINTS.index(w.joint)] += (
            env * w.amplitude * np.sin(2 * math.pi * w.hz * t + w.phase)
        )
    return out


class Planner:
    """The choreography's drive targets, a block at a time. Holds only what never changes: a seek
    builds a new stage, which may reuse the planner (its turns are worked out once)."""

    def __init__(self, choreography: Choreography) -> None:
        self.choreography = choreography
        self.sheet = choreography.sheet
        self.scripts: dict[str, DancerScript] = dict(choreography.dancers)
        #: the order figures are planned in: those who carry first, since the carried one's
        #: targets in a lift follow their hands
        self.order = tuple(
            sorted(self.scripts, key=lambda n: (not self.scripts[n].traits.carries, n))
        )
        self._omega = {
            name: np.array([b.gain for b in bones(s.height)]) for name, s in self.scripts.items()
        }
        self._turns = {name: turns.turns(s) for name, s in self.scripts.items()}
        self._breath = {s.name: Breath.of(s.name, s.height) for s in self.scripts.values()}
        #: each figure's weight shift over its feet, worked out once for the whole piece
        self._shifts = {
            name: balance.shifts(
                s,
                choreography.contacts,
                np.array([b.mass for b in bones(s.height)]),
                0.0,
                self.sheet.duration,
            )
            for name, s in self.scripts.items()
        }
        #: where each figure's feet stand, stepped rather than slid, worked out once
        self._footing = {name: self._feet(s) for name, s in self.scripts.items()}

    def feet(self, name: str) -> footing.Footing:
        """Where the figure ``name``'s feet stand over the piece (:mod:`.footing`)."""
        return self._footing[name]

    def _feet(self, script: DancerScript) -> footing.Footing:
        """The figure's footing over the piece (:mod:`.footing`), from its balanced poses
        stood on the floor (without the breath: the legs reach from the hip as it is)."""
        grid = np.arange(0.0, self.sheet.duration + 1.0, footing.GRID)
        tg = script.sample(grid)
        angles = self._balanced(script, grid, wrap_into(tg.angles, _LO, _HI), tg.y)
        # facing right: a foot is held only where the figure is not turning (facing +-1), and
        # there facing left mirrors x
        at = balance.points(angles, script.height)
        ax, ay, bx, by = at
        sign = np.where(tg.facing < 0.0, -1.0, 1.0)
        # world x: the hip's travel and the feet's own, mirrored facing left
        sole = footing.sole_x(tg.x + sign * ax, ay, tg.x + sign * bx, by)
        plain = (sign * footing.sole_at(ax, ay, bx, by)).T
        up = balance.heights(ay, by, script.height, tg.y)[list(_FEET)]
        low = balance.low(at, script.height, tg.y)
        if script.traits.carried:  # carried in a lift: in the air
            for c in self.choreography.contacts:
                if c.kind == "lift":
                    low |= lift_weight(c, self.sheet, grid) > 0.0
        down = (up < balance.ON_FLOOR).T
        alone = balance.free(script, self.choreography.contacts, grid)
        held = np.zeros(len(grid), dtype=bool)
        for c in self.choreography.contacts:
            if c.kind != "hands":
                held |= (grid >= c.start) & (grid < c.end)
        fast = footing.fast(grid, sole, down.T)
        down &= ~footing.releasing(grid, tg.facing, low | held | fast)[:, None]
        return footing.footing(grid, sole.T, down, alone, plain)

    def plan(self, number: int) -> Plan:
        """Block ``number``'s targets, all at once."""
        *_, done = self.build(number)
        assert done is not None
        return done

    def build(self, number: int) -> Iterator[Plan | None]:
        """The targets for steps ``number * BLOCK`` onward (plus the step before, for
        velocities), in slices of a few milliseconds (None after each), then the whole block."""
        start = number * BLOCK
        times = (start + np.arange(BLOCK + 1, dtype=np.float64)) * DT
        blocks: dict[str, DriveBlock] = {}
        first: dict[str, Placing] = {}
        hands: Arr | None = None
        for name in self.order:
            for part in self._figure(name, times, hands):
                if part is not None:
                    blocks[name], first[name], aim = part
                    hands = aim if aim is not None else hands
                yield None
        events: dict[int, list[tuple[int, bool]]] = {}
        for ci, c in enumerate(self.choreography.contacts):
            on = (times >= c.start) & (times < c.end)
            for i in np.nonzero(on[1:] != on[:-1])[0].tolist():
                events.setdefault(i, []).append((ci, bool(on[i + 1])))
        # hands held through a turn let go a little: in profile a spin under the arm cannot keep
        # the hand where it was without bending an elbow backwards
        turning = np.zeros(BLOCK + 1, dtype=bool)
        for block in blocks.values():
            turning[1:] |= np.abs(block.facing) < 1.0
        after = np.convolve(turning, np.ones(TURN_EASE_STEPS), mode="full")[: BLOCK + 1] > 0
        hold = {int(i): bool(after[i + 1]) for i in np.nonzero(after[1:] != after[:-1])[0].tolist()}
        yield Plan(number, blocks, first, events, hold)

    def figures_at(self, times: Arr) -> dict[str, Figure]:
        """Every figure's target segments at any ``times`` (world m), and its depth: what the
        choreography asks there, worked out from the script alone.

        A pure function of the times, unlike a block, which needs the steps around it: a
        camera that frames the targets over a window around a frame gives the same framing
        whichever frames are drawn before it (``export --follow``). A carried one in a lift is
        held where the carrier's hands aim, as in the blocks."""
        out: dict[str, Figure] = {}
        hands: Arr | None = None
        for name in self.order:
            script = self.scripts[name]
            tg = script.sample(times)
            pose = self._pose(script, tg, times, hands)
            if script.traits.carries:  # the carried one's hip uses the aim only inside a lift
                hands = _hands_aim(pose)
            ax, ay, bx, by = pose.points
            hx, hy = pose.hip[:, 0], pose.hip[:, 1]
            out[name] = Figure(ax + hx, ay + hy, bx + hx, by + hy, tg.depth, pose.facing)
        return out

    def _figure(
        self, name: str, times: Arr, hands: Arr | None
    ) -> Iterator[tuple[DriveBlock, Placing, Arr | None] | None]:
        """One figure's targets for ``times`` in two parts: None after sampling the
        choreography, then its block, its placing at the first of ``times`` and, for one who
        carries during a lift, where its hands aim (n, 3: x, y and the hip's x)."""
        script = self.scripts[name]
        # the choreography sampled once, with the steps a turn's settling looks back over
        settle = round(TURN_SETTLE / DT)
        back = times[0] - DT * np.arange(settle, 0, -1)
        every = script.sample(np.concatenate([back, times]))
        tg = Targets(*(getattr(every, f.name)[settle:] for f in fields(Targets)))
        before = turn_facing(every.facing[:settle])
        yield None
        pose = self._pose(script, tg, times, hands)
        lifting = any(
            c.kind == "lift" and c.start <= times[-1] and c.end >= times[0]
            for c in self.choreography.contacts
        )
        aim = _hands_aim(pose) if script.traits.carries and lifting else None
        planted, plants = _planted(script, pose, before, settle)
        block = self._drive_block(name, tg, times, pose, planted, plants)
        first = (
            pose.angles[0],
            (float(pose.hip[0, 0]), float(pose.hip[0, 1])),
            float(pose.facing[0]),
        )
        yield block, first, aim

    def _pose(self, script: DancerScript, tg: Targets, times: Arr, hands: Arr | None) -> _Pose:
        """The target poses: the keyframes' angles (breathing, and any trembling), stood on the
        floor or, for one carried in a lift, placed where the carrier's hands hold."""
        breath = self._breath[script.name]
        sampled = breath.sampled(script, times)
        angles, drift, sink = self._breathe(script, tg, times, sampled)
        if script.traits.tremble is not None:
            angles = angles + tremble_deg(script.traits.tremble, self.sheet, times)
        angles = self._balanced(script, times, wrap_into(angles, _LO, _HI), tg.y)
        if sink.any():
            # the breath's knees, after the balance's legs: those reach for the feet and would
            # take the sink back (a standing chest rose 3 mm instead of 6)
            give = breath.give_at(
                sampled,
                times,
                lambda at, g: self._balanced(script, at, wrap_into(g.angles, _LO, _HI), g.y),
            )
            angles = np.clip(breath.soften(angles, sink * give), _LO, _HI)
        facing = turn_facing(tg.facing)
        ax, ay, bx, by = segment_points(angles, script.height, facing)
        grounded = -lowest_point(ay, by, script.height)
        hip = hip_target(tg.x + drift * facing, grounded, tg.y)
        # the feet where they stand (:mod:`.footing`): each leg reaches from the hip to its foot,
        # set off from its target across (world x, so mirrored facing left)
        feet = self._footing[script.name]
        off, rise, hold = feet.at(times)
        stands = (hold >= 1.0) & (rise == 0.0)
        drawn = feet.drawn_at(times)
        if hold.any():
            over = feet.hip_at(times)
            hip[:, 0] += over
            rows = np.nonzero((hold > 0.0).any(axis=1) | (rise > 0.0).any(axis=1))[0]
            moved = (drift * facing + over)[rows]
            # rows held or stepping are never mid-turn: facing left mirrors x
            sign = np.where(tg.facing[rows] < 0.0, -1.0, 1.0)
            at = (ax[:, rows], ay[:, rows], bx[:, rows], by[:, rows])
            placed = feet.place(angles[rows], script.height, times[rows], sign, moved, at)
            angles = angles.copy()
            angles[rows] = np.clip(placed, _LO, _HI)
            # only the legs moved
            legs = segment_points(angles[rows], script.height, facing[rows], legs=True)
            ax, ay, bx, by = (p.copy() for p in (ax, ay, bx, by))
            for p, q in zip((ax, ay, bx, by), legs, strict=True):
                p[np.ix_(_LEGS, rows)] = q[_LEGS]
        if script.traits.carried:
            for c in self.choreography.contacts:
                if c.kind != "lift":
                    continue
                w = lift_weight(c, self.sheet, times)
                if hands is None:  # no one to carry her: the contact's own height
                    hip[:, 1] += w * np.maximum(c.height - hip[:, 1], 0.0)
                else:
                    # carried: the point of her pelvis his hands hold goes where they are
                    a, b = (ax[_PELVIS], ay[_PELVIS]), (bx[_PELVIS], by[_PELVIS])
                    radius = bones(script.height)[0].radius
                    held = held_points(a, b, radius, hands[:, 2] - hip[:, 0])
                    hip[:, 0] += w * (hands[:, 0] - hip[:, 0] - held[:, 0])
                    hip[:, 1] += w * (hands[:, 1] - hip[:, 1] - held[:, 1])
        return _Pose(angles, facing, (ax, ay, bx, by), hip, stands, drawn)

    def _balanced(self, script: DancerScript, times: Arr, angles: Arr, raise_y: Arr) -> Arr:
        """A standing pose's weight over its feet: the standing legs bend to put the feet under
        it (:mod:`.balance`)."""
        shift = balance.shift_at(self._shifts[script.name], times)
        moved = np.nonzero(shift)[0]
        if not len(moved):
            return angles
        some, dx, up = angles[moved], shift[moved], raise_y[moved]
        # the legs are all it reads: a pose it shifts stands on its feet, its lowest point a foot
        at = segment_points(some, script.height, np.ones(len(some)), legs=True)
        bears = balance.bearing(some, script.height, up, at)
        out = angles.copy()
        out[moved] = np.clip(balance.shift_pose(some, script.height, dx, bears, at), _LO, _HI)
        return out

    def _breathe(
        self, script: DancerScript, tg: Targets, times: Arr, sampled: Sampled
    ) -> tuple[Arr, Arr, Arr]:
        """The keyframes' angles with the dancer's breath (:mod:`.breath`), and the pelvis's
        drift over the feet (m forward). Hand in hand or at the waist only the heads breathe:
        a breathing spine pulls a held hand (her held wrist was pulled 45 degrees off its target
        for 0.6 s). Held high neither breathes: his knees breathing under her weight rocked his
        feet (for a step in 70 one foot bore nothing), and her guide, steadying her over his
        hands, pulled 106 N against 40 N with only her head breathing."""
        lifted = np.zeros(len(times))
        held = np.zeros(len(times))
        # a block is 10 s, the piece has 16 contacts: only those within a hold's ease of it count
        # (the others' weights are 0 all through it)
        near = times[0] - 2 * HOLD_EASE, times[-1] + 2 * HOLD_EASE
        for c in self.choreography.contacts:
            if c.end < near[0] or c.start > near[1]:
                continue
            if c.kind == "lift":
                lifted = np.maximum(lifted, lift_weight(c, self.sheet, times))
            else:
                inside = np.minimum(times - c.start, c.end - times) / HOLD_EASE
                held = np.maximum(held, np.clip(inside + 1.0, 0.0, 1.0))
        free = (1.0 - lifted) * (1.0 - held)
        breath = self._breath[script.name]
        angles, drift, sink = breath.pose(sampled, times, tg.angles, free, 1.0 - held, free)
        # held high, not even the heads: her balance over his hands is steadied by her guide
        calm = (1.0 - lifted)[:, None]
        return tg.angles + (angles - tg.angles) * calm, drift, sink * calm[:, 0]

    def _drive_block(
        self,
        name: str,
        tg: Targets,
        times: Arr,
        pose: _Pose,
        planted: NDArray[np.int8],
        plants: dict[int, list[tuple[int, int]]],
    ) -> DriveBlock:
        """The servos' phases, the guide's velocity and the events the stepping loop reads."""
        hip, facing = pose.hip, pose.facing
        # raised arms pass overhead through a turn, and carry the whole turn made
        whole = turns.offsets(self._turns[name], times, facing)
        rel = relative_angles(pose.angles, facing) + whole
        stiff = np.maximum(tg.stiffness, 0.2)
        omega = self._omega[name][None, :] * stiff[:, None]
        rate = (1.0 - np.exp(-omega * DT)) / DT
        lead = (rel[1:] - rel[:-1]) / DT / rate[1:]
        phases = rel[1:] + lead
        velocity = (hip[1:] - hip[:-1]) / DT
        efforts = _efforts(tg)
        limits = _limits(self._turns[name], times, facing, whole)
        # a planted foot's guide moves only as the choreography slides that foot's pinned end
        ankle_v = np.diff(hip[:, 0:1] + pose.points[0][_FEET].T, axis=0) / DT
        toe_v = np.diff(hip[:, 0:1] + pose.points[2][_FEET].T, axis=0) / DT
        end = planted[1:] & ~SLIDING
        feet_v = np.where(end == AT_ANKLE, ankle_v, np.where(end == AT_TOE, toe_v, 0.0))
        slide = np.nonzero((feet_v[1:] != feet_v[:-1]).any(axis=1))[0] + 1
        at = zip(slide.tolist(), feet_v[slide].tolist(), strict=True)
        slides = {k: (a, b) for k, (a, b) in at}
        slides[0] = (float(feet_v[0, 0]), float(feet_v[0, 1]))
        # most steps with an event only slide a foot (a sliding foot's speed changes every step)
        events: dict[int, StepEvent] = {k: (None, None, None, v) for k, v in slides.items()}
        for k in {*efforts, *limits, *plants}:
            events[k] = (efforts.get(k), limits.get(k), plants.get(k), slides.get(k))
        step, servo = np.nonzero(phases[1:] != phases[:-1])
        moved_at = np.zeros(len(phases) + 1, dtype=np.int64)
        np.cumsum(np.bincount(step + 1, minlength=len(phases)), out=moved_at[1:])
        return DriveBlock(
            phases=phases,
            moved=servo.tolist(),
            moved_to=phases[step + 1, servo].tolist(),
            moved_at=moved_at.tolist(),
            guide_velocity=velocity.tolist(),
            hip=hip[1:],
            rel=rel[1:],
            efforts=efforts,
            limits=limits,
            angles=pose.angles[1:],
            facing=facing[1:],
            feet_velocity=feet_v,
            planted=planted[1:],
            events=events,
        )


def _hands_aim(pose: _Pose) -> Arr:
    """(n, 3) where the carrier's hands aim (the middle of both, x and y) and the hip's x."""
    ax, ay, bx, by = pose.points
    hx = ((ax[_HANDS] + bx[_HANDS]) / 2).mean(axis=0)
    hy = ((ay[_HANDS] + by[_HANDS]) / 2).mean(axis=0)
    hip = pose.hip
    return np.stack([hip[:, 0] + hx, hip[:, 1] + hy, hip[:, 0]], axis=1)


def _planted(
    script: DancerScript, pose: _Pose, before: Arr, settle: int
) -> tuple[NDArray[np.int8], dict[int, list[tuple[int, int]]]]:
    """(n, 2) how each foot is planted (:data:`FREE`, :data:`AT_ANKLE`, :data:`AT_TOE`), and the
    steps where that changes: at the ankle while the target ankle is down, else at the toe while
    the target toe is, once the figure is done with any turn (``before``: the facings of the
    ``settle`` steps ahead of the block)."""
    flat = CONTACT_RADIUS[_FEET[0]] * script.height + PLANT_SLACK
    ankle_y = pose.hip[:, 1:2] + pose.points[1][_FEET].T
    toe_y = pose.hip[:, 1:2] + pose.points[3][_FEET].T
    turning = np.abs(np.concatenate([before, pose.facing])) < 1.0
    turned = np.convolve(turning, np.ones(settle + 1), mode="full")[settle:]
    settled = (turned[: len(pose.facing)] < 0.5)[:, None]
    # on its toes only standing: a kneeling figure's toes on the floor are not pinned
    toe = (toe_y < flat) & pose.stands
    how = np.where(ankle_y < flat, AT_ANKLE, np.where(toe, AT_TOE + SLIDING * pose.drawn, FREE))
    planted = np.where(settled, how, FREE).astype(np.int8)
    plants: dict[int, list[tuple[int, int]]] = {}
    for i, foot in zip(*np.nonzero(planted[1:] != planted[:-1]), strict=True):
        plants.setdefault(int(i), []).append((int(foot), int(planted[i + 1, foot])))
    return planted, plants


def _efforts(tg: Targets) -> dict[int, tuple[float, float]]:
    """Step -> (stiffness, speed) at the first step and wherever either changes."""
    efforts = {0: (float(tg.stiffness[1]), float(tg.speed[1]))}
    changed = np.nonzero(
        (tg.stiffness[2:] != tg.stiffness[1:-1]) | (tg.speed[2:] != tg.speed[1:-1])
    )[0]
    for i in changed.tolist():
        efforts[i + 1] = (float(tg.stiffness[i + 2]), float(tg.speed[i + 2]))
    return efforts


def _limits(
    made: tuple[turns.Turn, ...], times: Arr, facing: Arr, whole: Arr
) -> dict[int, tuple[list[float], list[float]]]:
    """Step -> the joints' limits of the side shown (mid-turn both sides': the union), at the
    first step and wherever the side changes."""
    side = np.where(np.abs(facing) >= 1.0, np.sign(facing), 0.0)
    limits: dict[int, tuple[list[float], list[float]]] = {}
    for k in [0, *(np.nonzero(side[2:] != side[1:-1])[0] + 1).tolist()]:
        t, shown = float(times[k + 1]), float(side[k + 1])
        lo, hi = turns.window(made, t, shown, whole[k + 1])
        limits[k] = (lo.tolist(), hi.tolist())
    return limits


class Ahead:
    """A stage's blocks of targets, built ahead of need a slice at a time when asked to.

    The real-time loop calls :meth:`work` after drawing a frame: the ~12 ms of a block's targets
    are spread over frames that have room, instead of one step taking it all every 10 s. The
    targets are the same numbers either way."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        #: the block being built ahead, and its builder part-way through
        self._building: tuple[int, Iterator[Plan | None]] | None = None
        self._ready: Plan | None = None
        self._slice_seconds = 0.005  # a slice of a block of targets, until one is measured

    def take(self, number: int) -> Plan:
        """Block ``number``'s targets: built ahead, part built, or built now."""
        ready, self._ready = self._ready, None
        if ready is not None and ready.number == number:
            return ready
        ahead, self._building = self._building, None
        parts = ahead[1] if ahead is not None and ahead[0] == number else self.planner.build(number)
        *_, done = parts  # run the builder to its end: the whole block comes last
        assert done is not None
        return done

    def work(self, number: int, due: float, spare: float = math.inf) -> bool:
        """Build one slice (a few ms) of block ``number``, needed in ``due`` seconds; False when
        there is nothing to do (past the end, or built already), or when ``spare`` (seconds
        left in the caller's frame) is less than a slice has taken and the block is still more
        than :data:`PREFETCH_DUE` away."""
        if number * BLOCK * DT > self.planner.sheet.duration:
            return False
        if self._ready is not None and self._ready.number == number:
            return False
        if spare < self._slice_seconds and due > PREFETCH_DUE:
            return False
        if self._building is None or self._building[0] != number:
            self._building = (number, self.planner.build(number))
        began = time.perf_counter()
        done = next(self._building[1])
        # the longest slice seen (slowly forgotten) is the room a slice needs
        took = time.perf_counter() - began
        self._slice_seconds = max(took, 0.98 * self._slice_seconds)
        if done is not None:
            self._ready, self._building = done, None
        return True
