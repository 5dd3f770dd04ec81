"""The stage: the pymunk space, the floor, every figure, the gowns and the contacts between them.

The stage applies a plan (:mod:`.planner`: blocks of drive targets worked out ahead, keyed to step
indices), steps the space and reports what the figures did. It computes no targets itself: a
step copies one row of a block into the solver, makes or lets go of the contacts due at that
step, and every :data:`CHECK_EVERY` steps checks the figures' health. Who carries, who is carried
and who wears a gown is read from the dancers' traits, never from their names.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np
import pymunk
from numpy.typing import NDArray

from ..show.choreography import Choreography
from . import contacts
from .dancer import Dancer
from .floor import studio_space
from .gown import Gown
from .planner import BLOCK, DT, STEP_HZ, Ahead, DriveBlock, Placing, Planner
from .solver import Solver
from .weight import (
    FOOT_FLAT,
    Retouches,
    Weight,
    carried,
    centre,
    flat_ends,
    floor_push,
    momentum_y,
    support_span,
)

__all__ = ["BLOCK", "CHECK_EVERY", "DT", "STEP_HZ", "Stage", "time_whole_piece"]

#: Solver passes per step. The figures are long chains of servoed joints: with pymunk's default
#: of 10 an unconverged chain rings at about 6 Hz (the head swung +-8 cm standing still); 20 passes
#: bring that under a centimeter for about 0.4 s more over the whole piece.
SOLVER_ITERATIONS = 20
#: How far (m) a body may overlap the floor before the solver pushes it out. pymunk's default
#: (0.1 m) let the soles sink 2-3 cm into the floor under a dancer's weight.
COLLISION_SLOP = 0.005
#: Steps between health checks.
CHECK_EVERY = 24

Arr = NDArray[np.float64]
#: What happens at a step besides the servos: contacts made (True) or let go, the hand holds
#: loosened (True) or gripping again, and the facings the gowns' wearers show from then on.
Happening = tuple[list[tuple[int, bool]] | None, bool | None, list[tuple[str, float]] | None]

log = logging.getLogger("thereturn.physics")


class Stage:
    """Every dancer in one space. Built fresh from the choreography: never restored from a copy.

    ``planner`` may be shared by the stages a performance builds one after another (a seek
    rebuilds the stage); ``plain`` forces plain pymunk calls (:class:`~.solver.Solver`)."""

    def __init__(
        self, choreography: Choreography, planner: Planner | None = None, plain: bool | None = None
    ) -> None:
        self.choreography = choreography
        self.solver = Solver(plain)
        self.space = _space()
        #: what a floor contact touching again reports but never pushed, for :meth:`_weigh`
        self._retouches = Retouches(self.space)
        self._step_space = self.solver.stepper(self.space, DT)
        self.step_index = 0
        self.planner = planner if planner is not None else Planner(choreography)
        self.traits = {name: s.traits for name, s in choreography.dancers.items()}
        self.names = tuple(self.traits)
        #: who holds the other in a contact, and who is held (None: no contacts are made)
        self._holder = next((n for n, t in self.traits.items() if t.carries), None)
        self._held = next((n for n, t in self.traits.items() if t.carried), None)
        self._ahead = Ahead(self.planner)
        self._block_no = -1
        self._blocks: dict[str, DriveBlock] = {}
        self._driving: list[tuple[Dancer, DriveBlock]] = []
        #: the steps of the block at which more happens than the servos' phases (:meth:`_schedule`)
        self._happen: dict[int, Happening] = {}
        self.gowns: dict[str, Gown] = {}
        self.dancers: dict[str, Dancer] = {}
        self._load_block(0)
        for n, name in enumerate(self.names):
            self.dancers[name] = self._dancer(name, n, self._first[name])
        #: the gowns, by the dancer who wears one
        self.gowns = {
            name: _gown(d, self._first[name][2])
            for name, d in self.dancers.items()
            if self.traits[name].gown
        }
        self._pair()
        self.active: dict[int, list[pymunk.Constraint]] = {}
        self._loose = False
        self._last = (self._blocks, 0)
        self.errors: dict[str, float] = {name: 0.0 for name in self.dancers}
        #: each figure's balance as of the last snapshot (:mod:`.weight`)
        self.weights: dict[str, Weight] = {}
        #: per dancer, the step index and vertical momentum at the last snapshot
        self._momenta: dict[str, tuple[int, float]] = {}
        self._sync(0)

    def _dancer(self, name: str, index: int, at: Placing, rel: Arr | None = None) -> Dancer:
        """Figure ``index`` (its collision group) placed ``at`` a pose, hip point and facing."""
        height = self.choreography.dancers[name].height
        return Dancer(self.space, self.solver, name, height, index, *at, rel=rel)

    @property
    def t(self) -> float:
        return self.step_index * DT

    # -- the plan ------------------------------------------------------------------------------

    def prefetch(self, spare: float = math.inf) -> bool:
        """Build one slice (a few ms) of the next block's targets ahead of need; False when
        there is nothing to do, or when ``spare`` (seconds left in the caller's frame) is less
        than a slice has taken and the next block is still more than a second away.

        Called by the real-time loop after drawing a frame (see :class:`~.planner.Ahead`)."""
        number = self._block_no + 1
        return self._ahead.work(number, (number * BLOCK - self.step_index) * DT, spare)

    def _load_block(self, number: int) -> None:
        """Make block ``number`` the one the steps read."""
        got = self._ahead.take(number)
        self._blocks, self._first = got.blocks, got.first
        self._events, self._hold_events = got.events, got.hold_events
        self._block_no = number
        self._schedule()
        self._pair()

    def _schedule(self) -> None:
        """The block's steps at which a contact is made or let go, the holds loosen or grip, or
        a gown's wearer shows another facing, each with what happens then: the stepping loop
        looks a step up once instead of asking each source (most steps have none of them)."""
        faces: dict[int, list[tuple[str, float]]] = {}
        for name in self.names:
            if not self.traits[name].gown:
                continue
            facing = self._blocks[name].facing
            for k in [0, *(np.flatnonzero(facing[1:] != facing[:-1]) + 1).tolist()]:
                faces.setdefault(k, []).append((name, float(facing[k])))
        events, holds = self._events, self._hold_events
        self._happen = {
            k: (events.get(k), holds.get(k), faces.get(k)) for k in {*events, *holds, *faces}
        }

    def _pair(self) -> None:
        """Each figure with its block of targets, for the stepping loop."""
        dancers = self.dancers
        self._driving = [(dancers[n], self._blocks[n]) for n in self.names if n in dancers]

    # -- contacts ----------------------------------------------------------------------------

    def _contact(self, ci: int, on: bool) -> None:
        if self._holder is None or self._held is None:
            return
        if on and ci not in self.active:
            c = self.choreography.contacts[ci]
            made = contacts.build(c, self.dancers[self._holder], self.dancers[self._held])
            self.space.add(*made)
            self.active[ci] = made
            self._loosen(self._loose)
        elif not on and ci in self.active:
            self.space.remove(*self.active.pop(ci))
        kinds = {self.choreography.contacts[i].kind for i in self.active}
        self.dancers[self._held].carry("lift" in kinds)
        embrace = bool(kinds & contacts.EMBRACE)
        for d in self.dancers.values():
            d.set_core_collision(not embrace)
            d.touch(bool(kinds))

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
                d.plant(foot, int(block.planted[k, foot]))
            d.slide(float(block.feet_velocity[k, 0]), float(block.feet_velocity[k, 1]))

    def _loosen(self, loose: bool) -> None:
        """Hand holds at full strength, or yielding while someone turns."""
        self._loose = loose
        for ci, made in self.active.items():
            force = contacts.hold_force(self.choreography.contacts[ci].kind, loose)
            if force is not None:
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
        happen = self._happen.get(k)
        if happen is not None:
            events, loose, _ = happen
            if events is not None:
                for ci, on in events:
                    self._contact(ci, on)
            if loose is not None:
                self._loosen(loose)
        for dancer, block in self._driving:
            dancer.drive(block, k)
        if happen is not None and happen[2] is not None:
            for name, facing in happen[2]:  # the train curls behind her as she faces
                self.gowns[name].face(facing)
        self._step_space()
        self._last = (self._blocks, k)
        self.step_index += 1
        if self.step_index % CHECK_EVERY == 0:
            self._check(k)

    def _check(self, k: int) -> None:
        """Reset a figure whose state (or gown's) is non-finite or absurd to its target pose."""
        for name, dancer in list(self.dancers.items()):
            gown = self.gowns.get(name)
            if dancer.healthy() and (gown is None or gown.healthy()):
                continue
            self._rebuild(name, k)

    def _rebuild(self, name: str, k: int) -> None:
        """A fresh figure in the target pose of step ``k``, counted and logged: a NaN lives on in
        the solver's cached impulses, so the bodies and constraints are replaced, not moved."""
        block = self._blocks[name]
        old = self.dancers[name]
        log.warning(
            "%s reset to the target pose at t=%.3f s (a non-finite or absurd state; reset %d)",
            name,
            self.t,
            old.resets + 1,
        )
        for ci in list(self.active):
            self.space.remove(*self.active.pop(ci))
        gown = self.gowns.get(name)
        if gown is not None:
            gown.remove()
        old.remove()
        hip = (float(block.hip[k, 0]), float(block.hip[k, 1]))
        at = (block.angles[k], hip, float(block.facing[k]))
        fresh = self._dancer(name, old.index, at, rel=block.rel[k])
        fresh.resets = old.resets + 1
        self.dancers[name] = fresh
        if gown is not None:
            self.gowns[name] = _gown(fresh, at[2])
        self._pair()
        self._sync(k)

    def skip(self, n_steps: int) -> None:
        """Move the clock on without simulating (time dropped by a loop that fell behind)."""
        self.step_index += n_steps
        self._load_block(self.step_index // BLOCK)
        k = self.step_index - self._block_no * BLOCK
        self._last = (self._blocks, k)
        self._sync(k)
        for name, gown in self.gowns.items():  # a step faces a gown only when its facing changes
            gown.face(float(self._blocks[name].facing[k]))

    # -- reading -----------------------------------------------------------------------------

    def target(self, name: str) -> Placing:
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

    def snapshot(self, measure: bool = True) -> dict[str, NDArray[np.float64]]:
        """Per dancer (segments [+ gown links], 4) end points; also updates the tracking errors
        and the balance (:attr:`weights`).

        ``measure=False`` keeps only what the next snapshot needs of this one (each figure's
        momentum): for a frame's snapshot one step before its last, whose errors and balance
        the last one's replace unread (the floor's push alone is a third of a millisecond)."""
        out = {}
        for name, d in self.dancers.items():
            pts = d.snapshot()
            gown = self.gowns.get(name)
            if gown is not None:
                g = gown.points()
                pts = np.vstack([pts, np.hstack([g[:-1], g[1:]])])
            out[name] = pts
            blocks, k = self._last
            if measure and self.step_index > 0:
                self.errors[name] = d.tracking_error_deg(blocks[name].rel[k])
        if measure:
            self._weigh()
        else:
            for name in self.dancers:
                self._momenta[name] = (self.step_index, momentum_y(self._moving(name)))
        return out

    def _moving(self, name: str) -> list[pymunk.Body]:
        """Every body that moves with figure ``name``: its segments and its gown's links."""
        gown = self.gowns.get(name)
        return self.dancers[name].bodies + (gown.bodies if gown is not None else [])

    def _weigh(self) -> None:
        """Each figure's centre of mass, support and the force its partner carries (N), from
        the bodies; the carried force needs the momentum one step ago, so it is 0 unless the
        snapshot before this one was taken exactly one step earlier (as each frame's are)."""
        owner = {id(b): n for n in self.dancers for b in self._moving(n)}
        bodies = frozenset(id(b) for d in self.dancers.values() for b in d.bodies)
        floor = floor_push(self.space, owner, self._retouches, bodies)
        touching = bool(self.active)
        for name, d in self.dancers.items():
            com, mass = centre(d.bodies)
            moving = self._moving(name)
            p = momentum_y(moving)
            push, xs = floor.get(name, (0.0, []))
            if xs:  # standing on anything, a foot lying on the floor stands on it too
                xs = xs + [x for f in d.feet for x in flat_ends(d.shapes[f], FOOT_FLAT)]
            lifted = 0.0
            last = self._momenta.get(name)
            if touching and last is not None and last[0] == self.step_index - 1:
                total = sum(b.mass for b in moving)
                damping = self.space.damping**DT
                lifted = carried(last[1], p, total, DT, damping, push, d.guide_push_y(DT))
            self._momenta[name] = (self.step_index, p)
            self.weights[name] = Weight(com, mass, support_span(xs), lifted)


def _space() -> pymunk.Space:
    """An empty studio with the stage's solver settings."""
    return studio_space(SOLVER_ITERATIONS, COLLISION_SLOP)


def _gown(wearer: Dancer, facing: float) -> Gown:
    """A gown hung from the top of ``wearer``'s pelvis, its train behind her ``facing``."""
    pelvis = wearer.bodies[0]
    anchor = (wearer.bones[0].length / 2, 0.0)
    return Gown(wearer.space, pelvis, anchor, wearer.height, wearer.group, facing)


def time_whole_piece(choreography: Choreography, plain: bool | None = None) -> float:
    """Seconds taken to step both dancers through the whole piece (the stage alone, no dust).

    For ``bench``: the budget is a few seconds, since a seek steps the piece from the start.
    """
    stage = Stage(choreography, plain=plain)
    steps = math.ceil(choreography.sheet.duration / DT - 1e-9)
    start = time.perf_counter()
    for _ in range(steps):
        stage.step()
    return time.perf_counter() - start
