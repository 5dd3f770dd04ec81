"""The stage: the pymunk space, the floor, both figures, the gown and the contacts between them.

Targets are computed in blocks of :data:`BLOCK` steps aligned to multiples of the block size, so
the numbers fed to the solver at a given step are the same bits however the piece is advanced
(whole, frame by frame at any fps, or after a seek, which rebuilds the stage from t = 0). Every
event (a contact made or let go, an effort or a facing change, a health check) is keyed to the
step index, never to when a frame happened to be drawn.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pymunk
from numpy.typing import NDArray

from ..show.anatomy import JOINTS, LIMITS, SEGMENT_NAMES
from ..show.choreography import Choreography, DancerScript, Targets
from ..show.kinematics import (
    CONTACT_RADIUS,
    lowest_point,
    relative_angles,
    segment_points,
    turn_facing,
    wrap_into,
)
from . import contacts, turns
from .dancer import (
    PLANT_SLACK,
    SOLVER,
    TURN_SETTLE,
    Dancer,
    DriveBlock,
    StepEvent,
    hip_target,
)
from .gown import Gown
from .skeleton import FLOOR, bones

STEP_HZ = 120
#: Solver passes per step. The figures are long chains of servoed joints: with pymunk's default
#: of 10 an unconverged chain rings at about 6 Hz (the head swung +-8 cm standing still); 20 passes
#: bring that under a centimeter for about 0.4 s more over the whole piece.
SOLVER_ITERATIONS = 20
DT = 1.0 / STEP_HZ
#: How far (m) a body may overlap the floor before the solver pushes it out. pymunk's default
#: (0.1 m) let the soles sink 2-3 cm into the floor under a dancer's weight.
COLLISION_SLOP = 0.005
#: Steps of targets computed at once (10 s).
BLOCK = 1200
#: Seconds before a block is needed from which its targets are worked out ahead in any case.
PREFETCH_DUE = 1.0
#: Steps after a turn before hand holds grip fully again.
TURN_EASE_STEPS = 20
#: Steps between health checks.
CHECK_EVERY = 24
#: The lead's trembling hands while he kneels: (joint, amplitude deg, Hz, phase).
TREMBLE: tuple[tuple[str, float, float, float], ...] = (
    ("l_wrist", 5.0, 7.3, 0.0),
    ("l_wrist", 2.5, 11.9, 1.3),
    ("r_wrist", 5.0, 6.7, 2.1),
    ("r_wrist", 2.5, 12.7, 0.4),
    ("l_elbow", 1.8, 8.1, 0.7),
    ("r_elbow", 1.8, 7.7, 2.9),
)
#: The cues between which he trembles, and how long (s) it takes to start and to stop.
TREMBLE_FROM, TREMBLE_UNTIL, TREMBLE_RAMP = "kneel", "last_breath", 1.0

Arr = NDArray[np.float64]

log = logging.getLogger("thereturn.physics")


#: The solver's own step: :meth:`pymunk.Space.step` adds bookkeeping for callbacks and for
#: bodies added or removed mid-step, which the stage never does (a few tenths of a second a
#: piece).
_RAW_STEP: Callable[[Any, float], None] | None = None if SOLVER is None else SOLVER.cpSpaceStep


#: One figure's block of targets, its first pose, and where the lead's hands aim (or None).
_Driven = tuple[DriveBlock, tuple[Arr, tuple[float, float], float], Arr | None] | None


@dataclass(frozen=True)
class _Targets:
    """One block of targets for both figures, and the contact events keyed to its steps."""

    number: int
    blocks: dict[str, DriveBlock]
    #: each figure's pose, hip point and facing at the block's first step (to place it there)
    first: dict[str, tuple[Arr, tuple[float, float], float]]
    events: dict[int, list[tuple[int, bool]]]
    #: steps at which the hand holds loosen (True) for a turn or grip again (False)
    hold_events: dict[int, bool]


_LO = np.array([LIMITS[j][0] for j in JOINTS])
_HI = np.array([LIMITS[j][1] for j in JOINTS])


class Stage:
    """Both dancers in one space. Built fresh from the choreography: never restored from a copy."""

    def __init__(self, choreography: Choreography) -> None:
        self.choreography = choreography
        self.sheet = choreography.sheet
        self.space = pymunk.Space()
        self.space.gravity = (0.0, -9.81)
        self.space.iterations = SOLVER_ITERATIONS
        self.space.damping = 0.8
        self.space.collision_slop = COLLISION_SLOP
        floor = pymunk.Segment(self.space.static_body, (-30.0, -0.5), (30.0, -0.5), 0.5)
        floor.friction = 1.0
        floor.filter = pymunk.ShapeFilter(categories=FLOOR)
        self.space.add(floor)
        self.step_index = 0
        self.scripts: dict[str, DancerScript] = dict(choreography.dancers)
        self.names = tuple(self.scripts)
        self._omega = {
            name: np.array([b.gain for b in bones(s.height)]) for name, s in self.scripts.items()
        }
        self._turns = {name: turns.turns(s) for name, s in self.scripts.items()}
        self._block_no = -1
        self._blocks: dict[str, DriveBlock] = {}
        self._events: dict[int, list[tuple[int, bool]]] = {}
        self._hold_events: dict[int, bool] = {}
        self._first: dict[str, tuple[Arr, tuple[float, float], float]] = {}
        #: the next block's targets, built a slice at a time by :meth:`prefetch`
        self._ahead: tuple[int, Iterator[_Targets | None]] | None = None
        self._ready: _Targets | None = None
        self._slice_seconds = 0.005  # a slice of a block of targets, until one is measured
        self._load_block(0)
        self.dancers: dict[str, Dancer] = {}
        for n, name in enumerate(self.names):
            first = self._first[name]
            self.dancers[name] = Dancer(
                self.space,
                name,
                self.scripts[name].height,
                index=n,
                angles_deg=first[0],
                hip=first[1],
                facing=first[2],
            )
        self.gown: Gown | None = None
        if "partner" in self.dancers:
            her = self.dancers["partner"]
            self.gown = Gown(
                self.space, her.bodies[0], (her.bones[0].length / 2, 0.0), her.height, her.group
            )
        self._pair()
        self.active: dict[int, list[pymunk.Constraint]] = {}
        self._loose = False
        self._last = (self._blocks, 0)
        self.errors: dict[str, float] = {name: 0.0 for name in self.dancers}
        self._sync(0)

    @property
    def t(self) -> float:
        return self.step_index * DT

    # -- targets -----------------------------------------------------------------------------

    def _tremble(self, t: Arr) -> Arr:
        """(n, joints) degrees added to the lead's pose: small, fast and the same every run."""
        out = np.zeros((len(t), len(JOINTS)))
        if TREMBLE_FROM not in self.sheet or TREMBLE_UNTIL not in self.sheet:
            return out
        a, b = self.sheet.time_of(TREMBLE_FROM), self.sheet.time_of(TREMBLE_UNTIL)
        env = np.clip(np.minimum(t - a, b - t) / TREMBLE_RAMP, 0.0, 1.0)
        if not env.any():
            return out
        for joint, amp, hz, phase in TREMBLE:
            out[:, JOINTS.index(joint)] += env * amp * np.sin(2 * math.pi * hz * t + phase)
        return out

    def _drive_parts(self, name: str, times: Arr, hands: Arr | None = None) -> Iterator[_Driven]:
        """Targets for ``times`` in two parts (None after sampling the choreography, then the
        block); ``hands`` (n, 2) is where the lead's hands aim (for the lift).

        With the block, the pose at the first of ``times`` and, for the lead during a lift,
        where his hands aim (for the partner's targets)."""
        script = self.scripts[name]
        # the choreography sampled once, with the steps a turn's settling looks back over
        settle = round(TURN_SETTLE / DT)
        back = times[0] - DT * np.arange(settle, 0, -1)
        every = script.sample(np.concatenate([back, times]))
        tg = Targets(*(getattr(every, f.name)[settle:] for f in fields(Targets)))
        before = turn_facing(every.facing[:settle])
        yield None
        angles = tg.angles
        if name == "lead":
            angles = angles + self._tremble(times)
        angles = wrap_into(angles, _LO, _HI)
        facing = turn_facing(tg.facing)
        ax, ay, bx, by = segment_points(angles, script.height, facing)
        grounded = -lowest_point(ay, by, script.height)
        hip = hip_target(tg.x, grounded, tg.y)
        if name == "partner":
            for c in self.choreography.contacts:
                if c.kind == "lift":
                    w = contacts.lift_weight(c, self.sheet, times)
                    if hands is None:  # no one to carry her: the contact's own height
                        hip[:, 1] += w * np.maximum(c.height - hip[:, 1], 0.0)
                    else:
                        # carried: the point of her pelvis his hands hold goes where they are
                        held = self._held_point(ax, ay, bx, by, hands[:, 2] - hip[:, 0])
                        hip[:, 0] += w * (hands[:, 0] - hip[:, 0] - held[:, 0])
                        hip[:, 1] += w * (hands[:, 1] - hip[:, 1] - held[:, 1])
        lifting = any(
            c.kind == "lift" and c.start <= times[-1] and c.end >= times[0]
            for c in self.choreography.contacts
        )
        hands_out = None
        if name == "lead" and lifting:
            hand = [SEGMENT_NAMES.index("l_hand"), SEGMENT_NAMES.index("r_hand")]
            hx = ((ax[hand] + bx[hand]) / 2).mean(axis=0)
            hy = ((ay[hand] + by[hand]) / 2).mean(axis=0)
            hands_out = np.stack([hip[:, 0] + hx, hip[:, 1] + hy, hip[:, 0]], axis=1)
        # feet: planted while the target ankle is down and the figure is done with any turn
        feet = [SEGMENT_NAMES.index("l_foot"), SEGMENT_NAMES.index("r_foot")]
        flat = CONTACT_RADIUS[feet[0]] * script.height + PLANT_SLACK
        ankle_x = hip[:, 0:1] + ax[feet].T
        ankle_y = hip[:, 1:2] + ay[feet].T
        turning = np.abs(np.concatenate([before, facing])) < 1.0
        turned = np.convolve(turning, np.ones(settle + 1), mode="full")[settle:]
        planted = (ankle_y < flat) & (turned[: len(times)] < 0.5)[:, None]
        feet_v = np.diff(ankle_x, axis=0) / DT
        plants: dict[int, list[tuple[int, bool]]] = {}
        for i, foot in zip(*np.nonzero(planted[1:] != planted[:-1]), strict=True):
            plants.setdefault(int(i), []).append((int(foot), bool(planted[i + 1, foot])))
        # raised arms pass overhead through a turn, and carry the whole turn made
        whole = turns.offsets(self._turns[name], times, facing)
        rel = relative_angles(angles, facing) + whole
        stiff = np.maximum(tg.stiffness, 0.2)
        omega = self._omega[name][None, :] * stiff[:, None]
        rate = (1.0 - np.exp(-omega * DT)) / DT
        lead = (rel[1:] - rel[:-1]) / DT / rate[1:]
        phases = rel[1:] + lead
        velocity = (hip[1:] - hip[:-1]) / DT
        efforts = {0: (float(tg.stiffness[1]), float(tg.speed[1]))}
        changed = np.nonzero(
            (tg.stiffness[2:] != tg.stiffness[1:-1]) | (tg.speed[2:] != tg.speed[1:-1])
        )[0]
        for i in changed.tolist():
            efforts[i + 1] = (float(tg.stiffness[i + 2]), float(tg.speed[i + 2]))
        # the limits of the side shown (mid-turn both sides': the union)
        side = np.where(np.abs(facing) >= 1.0, np.sign(facing), 0.0)
        limits: dict[int, tuple[list[float], list[float]]] = {}
        for k in [0, *(np.nonzero(side[2:] != side[1:-1])[0] + 1).tolist()]:
            t, shown = float(times[k + 1]), float(side[k + 1])
            lo, hi = turns.window(self._turns[name], t, shown, whole[k + 1])
            limits[k] = (lo.tolist(), hi.tolist())
        first = (angles[0], (float(hip[0, 0]), float(hip[0, 1])), float(facing[0]))
        # a planted foot's guide moves only as the choreography slides that foot
        feet_v = np.where(planted[1:], feet_v, 0.0)
        slide = np.nonzero((feet_v[1:] != feet_v[:-1]).any(axis=1))[0] + 1
        slides = {int(i): (float(feet_v[i, 0]), float(feet_v[i, 1])) for i in slide.tolist()}
        slides[0] = (float(feet_v[0, 0]), float(feet_v[0, 1]))
        events: dict[int, StepEvent] = {}
        for k in sorted({*efforts, *limits, *plants, *slides}):
            events[k] = (efforts.get(k), limits.get(k), plants.get(k), slides.get(k))
        step, servo = np.nonzero(phases[1:] != phases[:-1])
        moved_at = np.zeros(len(phases) + 1, dtype=np.int64)
        np.cumsum(np.bincount(step + 1, minlength=len(phases)), out=moved_at[1:])
        block = DriveBlock(
            phases=phases,
            moved=servo.tolist(),
            moved_to=phases[step + 1, servo].tolist(),
            moved_at=moved_at.tolist(),
            guide_velocity=velocity.tolist(),
            hip=hip[1:],
            rel=rel[1:],
            efforts=efforts,
            limits=limits,
            angles=angles[1:],
            facing=facing[1:],
            feet_velocity=feet_v,
            planted=planted[1:],
            events=events,
        )
        yield block, first, hands_out

    def _held_point(self, ax: Arr, ay: Arr, bx: Arr, by: Arr, toward: Arr) -> Arr:
        """(n, 2) where his hands hold her pelvis (:func:`contacts.hold_point`) from her hip, for
        her segment points relative to the hip and the side the lead is on (``toward``, in x)."""
        radius = bones(self.scripts["partner"].height)[0].radius
        i = SEGMENT_NAMES.index("pelvis")
        dx, dy = bx[i] - ax[i], by[i] - ay[i]
        length = np.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        # the normal of her pelvis that points toward him: on its surface there
        side = np.where(toward >= 0.0, 1.0, -1.0) * np.where(uy <= 0.0, 1.0, -1.0) * radius
        along = contacts.HOLD_AT * length
        return np.stack([ax[i] + ux * along - uy * side, ay[i] + uy * along + ux * side], axis=1)

    def _build(self, number: int) -> Iterator[_Targets | None]:
        """The targets for steps ``number * BLOCK`` onward (plus the step before, for
        velocities), in slices of a few milliseconds (None after each), then the whole block."""
        start = number * BLOCK
        times = (start + np.arange(BLOCK + 1, dtype=np.float64)) * DT
        blocks: dict[str, DriveBlock] = {}
        first: dict[str, tuple[Arr, tuple[float, float], float]] = {}
        hands: Arr | None = None
        for name in sorted(self.names):  # the lead first: the partner's lift follows his hands
            for part in self._drive_parts(name, times, hands):
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
        yield _Targets(number, blocks, first, events, hold)

    def _targets(self, number: int) -> _Targets:
        """Block ``number``'s targets: prefetched, part built, or computed now."""
        ready, self._ready = self._ready, None
        if ready is not None and ready.number == number:
            return ready
        ahead, self._ahead = self._ahead, None
        parts = ahead[1] if ahead is not None and ahead[0] == number else self._build(number)
        *_, done = parts  # run the builder to its end: the whole block comes last
        assert done is not None
        return done

    def prefetch(self, spare: float = math.inf) -> bool:
        """Build one slice (a few ms) of the next block's targets ahead of need; False when
        there is nothing to do, or when ``spare`` (seconds left in the caller's frame) is less
        than a slice has taken and the next block is still more than a second away.

        Called by the real-time loop after drawing a frame, it spreads the ~12 ms of a block's
        targets over frames that have room, instead of one step taking it all every 10 s. The
        targets are the same numbers either way."""
        number = self._block_no + 1
        if number * BLOCK * DT > self.sheet.duration:
            return False
        if self._ready is not None and self._ready.number == number:
            return False
        due = (number * BLOCK - self.step_index) * DT
        if spare < self._slice_seconds and due > PREFETCH_DUE:
            return False
        if self._ahead is None or self._ahead[0] != number:
            self._ahead = (number, self._build(number))
        began = time.perf_counter()
        done = next(self._ahead[1])
        # the longest slice seen (slowly forgotten) is the room a slice needs
        took = time.perf_counter() - began
        self._slice_seconds = max(took, 0.98 * self._slice_seconds)
        if done is not None:
            self._ready, self._ahead = done, None
        return True

    def _load_block(self, number: int) -> None:
        """Make block ``number`` the one the steps read."""
        got = self._targets(number)
        self._blocks, self._first = got.blocks, got.first
        self._events, self._hold_events = got.events, got.hold_events
        self._block_no = number
        self._pair()

    def _pair(self) -> None:
        """Each figure with its block of targets, for the stepping loop."""
        dancers = getattr(self, "dancers", {})
        self._driving = [(dancers[n], self._blocks[n]) for n in self.names if n in dancers]

    def prepare(self, n_steps: int) -> None:
        """Kept for the performance loop: targets are computed per block as the steps need them."""
        if self.step_index // BLOCK != self._block_no:
            self._load_block(self.step_index // BLOCK)

    # -- contacts ----------------------------------------------------------------------------

    def _contact(self, ci: int, on: bool) -> None:
        if "lead" not in self.dancers or "partner" not in self.dancers:
            return
        if on and ci not in self.active:
            c = self.choreography.contacts[ci]
            made = contacts.build(c, self.dancers["lead"], self.dancers["partner"])
            self.space.add(*made)
            self.active[ci] = made
            self._loosen(self._loose)
        elif not on and ci in self.active:
            self.space.remove(*self.active.pop(ci))
        kinds = {self.choreography.contacts[i].kind for i in self.active}
        self.dancers["partner"].carry("lift" in kinds)
        embrace = bool(kinds & contacts.EMBRACE)
        for d in self.dancers.values():
            d.set_core_collision(not embrace)

    def _sync(self, k: int) -> None:
        """Make efforts, limits and contacts right for step ``k`` of the block (start, seek)."""
        t = (self.step_index + 1) * DT
        for ci, c in enumerate(self.choreography.contacts):
            self._contact(ci, c.start <= t < c.end)
        before = [s for s in self._hold_events if s <= k]
        if before:
            self._loosen(self._hold_events[max(before)])
        for name, d in self.dancers.items():
            block = self._blocks[name]
            last = max(s for s in block.efforts if s <= k)
            d.set_effort(*block.efforts[last])
            d.set_window(*block.limits[max(s for s in block.limits if s <= k)])
            d.full = True
            for foot in (0, 1):
                d.plant(foot, bool(block.planted[k, foot]))
            d.slide(float(block.feet_velocity[k, 0]), float(block.feet_velocity[k, 1]))

    def _loosen(self, loose: bool) -> None:
        """Hand holds at full strength, or yielding while someone turns."""
        self._loose = loose
        for ci, made in self.active.items():
            kind = self.choreography.contacts[ci].kind
            if kind == "hands":
                force = contacts.HOLD_FORCE[kind] * (contacts.TURN_GRIP if loose else 1.0)
                for pin in made:
                    pin.max_force = force

    @property
    def active_contacts(self) -> tuple[str, ...]:
        return tuple(sorted(self.choreography.contacts[i].kind for i in self.active))

    # -- stepping ----------------------------------------------------------------------------

    def step(self) -> None:
        k = self.step_index - self._block_no * BLOCK
        if not 0 <= k < BLOCK:
            self._load_block(self.step_index // BLOCK)
            k = self.step_index - self._block_no * BLOCK
        events = self._events.get(k)
        if events is not None:
            for ci, on in events:
                self._contact(ci, on)
        loose = self._hold_events.get(k)
        if loose is not None:
            self._loosen(loose)
        for dancer, block in self._driving:
            dancer.drive(block, k)
        space = self.space
        if _RAW_STEP is not None and not (space._bodies_to_check or space._removed_shapes):
            _RAW_STEP(space._space, DT)
        else:  # after a reset: let pymunk check the new bodies and drop the removed shapes
            space.step(DT)
        self._last = (self._blocks, k)
        self.step_index += 1
        if self.step_index % CHECK_EVERY == 0:
            self._check(k)

    def _check(self, k: int) -> None:
        """Reset a figure whose state is non-finite or absurd to its target pose, and count it."""
        for name, dancer in list(self.dancers.items()):
            gown_ok = self.gown is None or name != "partner" or self.gown.healthy()
            if dancer.healthy() and gown_ok:
                continue
            self._rebuild(name, k)

    def _rebuild(self, name: str, k: int) -> None:
        """A fresh figure in the target pose of step ``k``: a NaN lives on in the solver's cached
        impulses, so the bodies and constraints are replaced, not just moved."""
        block = self._blocks[name]
        old = self.dancers[name]
        log.warning(
            "%s reset to the target pose at t=%.3f s (a non-finite or absurd state; reset %d)",
            name,
            self.t,
            old.resets + 1,
        )
        held = list(self.active)
        for ci in held:
            self.space.remove(*self.active.pop(ci))
        if name == "partner" and self.gown is not None:
            self.gown.remove()
        old.remove()
        fresh = Dancer(
            self.space,
            name,
            old.height,
            index=old.index,
            angles_deg=block.angles[k],
            hip=(float(block.hip[k, 0]), float(block.hip[k, 1])),
            facing=float(block.facing[k]),
            rel=block.rel[k],
        )
        fresh.resets = old.resets + 1
        self.dancers[name] = fresh
        self._pair()
        if name == "partner":
            self.gown = Gown(
                self.space,
                fresh.bodies[0],
                (fresh.bones[0].length / 2, 0.0),
                fresh.height,
                fresh.group,
            )
        self._sync(k)

    def skip(self, n_steps: int) -> None:
        """Move the clock on without simulating (time dropped by a loop that fell behind)."""
        self.step_index += n_steps
        self._load_block(self.step_index // BLOCK)
        k = self.step_index - self._block_no * BLOCK
        self._last = (self._blocks, k)
        self._sync(k)

    # -- reading -----------------------------------------------------------------------------

    def target(self, name: str) -> tuple[Arr, tuple[float, float], float]:
        """The pose a figure was last steered toward: joint angles (deg), hip point, facing shown.

        For the debug overlay: the very numbers the physics follows (the lift and the trembling
        included), with no resampling of the choreography. Mid-turn a raised arm's own path
        (overhead, :mod:`.turns`) is not drawn: the pose is the kinematics'.
        """
        blocks, k = self._last
        block = blocks[name]
        return (
            block.angles[k],
            (float(block.hip[k, 0]), float(block.hip[k, 1])),
            float(block.facing[k]),
        )

    def snapshot(self) -> dict[str, NDArray[np.float64]]:
        """Per dancer (segments [+ gown links], 4) end points; also updates the tracking errors."""
        out = {}
        for name, d in self.dancers.items():
            pts = d.snapshot()
            if name == "partner" and self.gown is not None:
                g = self.gown.points()
                pts = np.vstack([pts, np.hstack([g[:-1], g[1:]])])
            out[name] = pts
            blocks, k = self._last
            if self.step_index > 0:
                self.errors[name] = d.tracking_error_deg(blocks[name].rel[k])
        return out


def time_whole_piece(choreography: Choreography) -> float:
    """Seconds taken to step both dancers through the whole piece (the stage alone, no dust).

    For ``bench``: the budget is a few seconds, since a seek steps the piece from the start.
    """
    stage = Stage(choreography)
    steps = math.ceil(choreography.sheet.duration / DT - 1e-9)
    start = time.perf_counter()
    for _ in range(steps):
        stage.step()
    return time.perf_counter() - start
