"""The performance: the show, the physics and the air advanced together on one fixed step.

``advance_to(t)`` steps physics and dust at 120 Hz until the simulation has reached ``t``;
``frame_state(t)`` interpolates between the last two steps and returns the plain-data
:class:`FrameState` that the renderer and the trace read. Going back in time rebuilds everything
from a deterministic start and steps forward again: a seek never restores a pymunk snapshot.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from .air.dust import DustField
from .physics.planner import Planner
from .physics.skeleton import bones
from .physics.stage import DT, Stage
from .show import looks
from .show.anatomy import SEGMENTS, TRACE_JOINTS
from .show.choreography import Choreography
from .show.holds import apart
from .show.kinematics import forward, turn_facing
from .show.yaw import script_plan, yaw_at
from .state import MIRROR_DEPTH, Camera, DancerState, Dust, FrameState, Segment

#: The segments that stir the air as they move: hands, forearms, feet, the head.
_STIRRING = [
    i
    for i, spec in enumerate(SEGMENTS)
    if spec.name in ("l_hand", "r_hand", "l_forearm", "r_forearm", "l_foot", "r_foot", "head")
]

#: How much brighter the dust glints once it falls like stars (``pan_out``): 1 + this.
STARLIGHT = 0.9
#: A figure fades in over this many seconds when it enters, out of the shadow.
ENTER_SECONDS = 2.5
#: The step (seconds) of the tables of depth and facing: finer than any keyed move shows.
DEPTH_STEP = 1.0 / 60.0
#: The spin (the yaw's pace, for the gown's flare) is measured over this many seconds.
SPIN_SPAN = 0.1


class Performance:
    def __init__(self, choreography: Choreography, seed: int = 0) -> None:
        self.choreography = choreography
        self.seed = seed
        self.dropped_steps = 0
        self._radii = {
            name: [(b.ra, b.rb) for b in bones(script.height)]
            for name, script in choreography.dancers.items()
        }
        end = choreography.sheet.duration + 1.0
        grid = np.arange(0.0, end + DEPTH_STEP, DEPTH_STEP)
        #: per dancer: the grid's times, the eased depths and the facing shown there
        self._tables: dict[str, tuple[NDArray[np.float64], ...]] = {}
        for name, script in choreography.dancers.items():
            tg = script.sample(grid)
            self._tables[name] = (grid, tg.depth, turn_facing(tg.facing))
        #: the drive targets' planner, kept across the stages a seek rebuilds
        self._planner = Planner(choreography)
        self._restart()

    def _restart(self) -> None:
        self.stage = Stage(self.choreography, self._planner)
        self.dust = DustField(seed=self.seed)
        now = self.stage.snapshot()
        self._prev: dict[str, NDArray[np.float64]] = now
        self._cur: dict[str, NDArray[np.float64]] = now

    @property
    def sim_t(self) -> float:
        return self.stage.t

    def advance_to(self, t: float, max_steps: int | None = None) -> int:
        """Step until the simulation reaches ``t``; return the number of steps taken.

        With ``max_steps`` (the real-time loop), time beyond that many steps is dropped rather
        than letting the loop spiral: the figures then catch up with their targets.
        """
        if t < self.stage.t - DT - 1e-9:
            self._restart()
        needed = max(0, math.ceil((t - self.stage.t) / DT - 1e-9))
        if max_steps is not None and needed > max_steps:
            skip = needed - max_steps
            self.stage.skip(skip)
            self.dust.t += skip * DT
            self.dropped_steps += skip
            needed = max_steps
        for _ in range(needed):
            if needed == 1 or _ == needed - 1:
                self._prev = self.stage.snapshot(measure=False)  # read: its points, momentum
            self.stage.step()
            self.dust.step(DT, self._air)
        if needed:
            self._cur = self.stage.snapshot()
        return needed

    def start_at(self, t: float) -> None:
        """Begin at ``t`` without simulating what came before: the figures stand on their targets
        there (a live reload uses this). Not the piece's own history, so not for export or seek.
        """
        self._restart()
        self.advance_to(t, max_steps=1)
        stage = self.stage
        for name, dancer in stage.dancers.items():
            dancer.place(*stage.target(name))
        for gown in stage.gowns.values():
            gown.hang()
        self._prev = self._cur = stage.snapshot()

    def prefetch(self, spare: float = math.inf) -> bool:
        """Work ahead on the physics' next block of targets, one slice, if ``spare`` seconds
        leave room for it (or the block is due within a second); False if nothing was done.

        For the real-time loop after a frame is drawn: the same numbers, spread over frames.
        """
        return self.stage.prefetch(spare)

    def view_at(self, t: float) -> tuple[Camera, float]:
        """The camera and the light's mix at ``t``, from the cue sheet alone (no stepping): what
        the picture there will need, for a real-time loop making it ahead."""
        sheet = self.choreography.sheet
        return Camera(zoom=looks.camera(t, sheet)), looks.light_mix(t, sheet)

    def catch_up(self, t: float, chunk: float = 2.0) -> Iterator[float]:
        """:meth:`advance_to` ``t`` in chunks of ``chunk`` seconds of piece time, yielding the
        fraction done after each, so that a window can show a long seek and stay responsive.

        The steps are those of one ``advance_to(t)``: the same figures at ``t`` to the last digit.
        """
        if t < self.stage.t - DT - 1e-9:
            self._restart()
        start = self.stage.t
        span = max(t - start, DT)
        while math.ceil((t - self.stage.t) / DT - 1e-9) > 0:
            self.advance_to(min(t, self.stage.t + chunk))
            yield min(1.0, (self.stage.t - start) / span)

    def _air(self) -> tuple[NDArray[np.float64], float]:
        """What stirs the dust now: the ends of the limbs (and the gown's hem), and the fall."""
        t = self.stage.t
        points = [
            (*d.bodies[i].position, MIRROR_DEPTH - self.depth(name, t))
            for name, d in self.stage.dancers.items()
            for i in _STIRRING
        ]
        for name, gown in self.stage.gowns.items():  # the hem stirs the air at its wearer's depth
            far = MIRROR_DEPTH - self.depth(name, t)
            points += [(*b.position, far) for b in gown.bodies[-2:]]
        fall = looks.dust_fall(t, self.choreography.sheet)
        return np.asarray(points, np.float64), fall

    def depth(self, name: str, t: float) -> float:
        """How far (m) from the mirror the dancer ``name`` is at ``t``: the picture places her
        by it and the dust she stirs lies there; the physics keeps to its plane. Read from a
        table of the choreography's eased depths (every air step asks: sampling the script each
        time would cost seconds over the piece)."""
        times, depths, _ = self._tables[name]
        return float(np.interp(t, times, depths))

    def _spin(self, name: str, t: float) -> float:
        """How fast (degrees per second) the dancer ``name`` turns at ``t``, over the last
        ``SPIN_SPAN``: the gown flares with it."""
        times, _, shown = self._tables[name]
        turns = script_plan(self.choreography.dancers[name])
        f0, f1 = np.interp([t - SPIN_SPAN, t], times, shown).tolist()
        return (yaw_at(turns, t, f1) - yaw_at(turns, t - SPIN_SPAN, f0)) / SPIN_SPAN

    def stir(self, x: float, y: float) -> None:
        """A visitor's hand (pointer or touch) at world ``(x, y)`` meters stirs the dust."""
        self.dust.stir(x, y)

    def _apart(self, t: float, dancers: list[DancerState]) -> tuple[str, ...]:
        """The holds in force whose figures' hands (or hands and waist) are apart now: the one
        who carries holds (the contact's lead hand), the one carried is held."""
        if not self.stage.active:
            return ()
        traits = {n: s.traits for n, s in self.choreography.dancers.items()}
        holder = next((d.joints for d in dancers if traits[d.name].carries), None)
        held = next((d.joints for d in dancers if traits[d.name].carried), None)
        if holder is None or held is None:
            return ()
        holds = tuple(self.choreography.contacts[i] for i in sorted(self.stage.active))
        return apart(holds, t, holder, held)

    def frame_state(self, t: float, film: bool = True, targets: bool = True) -> FrameState:
        """The picture at ``t`` (call :meth:`advance_to` first): plain data, interpolated.

        ``targets`` adds each figure's target pose (for the debug overlay): half the cost of a
        FrameState, so the real-time loop asks for it only while the overlay shows."""
        sheet = self.choreography.sheet
        alpha = 1.0 - min(max((self.stage.t - t) / DT, 0.0), 1.0)
        dancers = []
        for name, script in self.choreography.dancers.items():
            pts = self._prev[name] + (self._cur[name] - self._prev[name]) * alpha
            radii = self._radii[name]
            segs = tuple(
                Segment(spec.name, (p[0], p[1]), (p[2], p[3]), radii[i][0], radii[i][1])
                for i, (spec, p) in enumerate(
                    zip(SEGMENTS, pts[: len(SEGMENTS)].tolist(), strict=True)
                )
            )
            links = pts[len(SEGMENTS) :]
            gown: tuple[tuple[float, float], ...] = ()
            if len(links):
                gown = tuple((float(x), float(y)) for x, y in [links[0, :2], *links[:, 2:]])
            by_name = {s.name: s for s in segs}
            joints = {}
            for joint, (seg, u) in TRACE_JOINTS.items():
                s = by_name[seg]
                joints[joint] = (s.a[0] + (s.b[0] - s.a[0]) * u, s.a[1] + (s.b[1] - s.a[1]) * u)
            ang, hip, fac = self.stage.target(name)
            target_segs: tuple[Segment, ...] = ()
            if targets:
                fk = forward(ang, script.height, hip, fac)
                target_segs = tuple(
                    Segment(spec.name, fk[spec.name][0], fk[spec.name][1], *radii[i])
                    for i, spec in enumerate(SEGMENTS)
                )
            turns = script_plan(script)
            yaw = yaw_at(turns, t, fac)
            spin = self._spin(name, t)
            visible = min(max((t - script.enters) / ENTER_SECONDS, 0.0), 1.0)
            if script.enters <= 0.0:
                visible = 1.0
            weight = self.stage.weights[name]
            dancers.append(
                DancerState(
                    name=name,
                    visible=visible,
                    facing=fac,
                    segments=segs,
                    joints=joints,
                    gown=gown,
                    target=target_segs,
                    tracking_error_deg=self.stage.errors.get(name, 0.0),
                    resets=self.stage.dancers[name].resets,
                    yaw=yaw,
                    spin=spin,
                    depth=self.depth(name, t),
                    com=weight.com,
                    mass=weight.mass,
                    support=weight.support,
                    carried_n=weight.carried_n,
                )
            )
        glint = self.dust.twinkle(t)
        fall = looks.dust_fall(t, sheet)
        if fall > 0.0:  # falling like stars: brighter where the light catches them
            glint = np.minimum(glint * (1.0 + STARLIGHT * fall), 1.0).astype(np.float32)
        dust = Dust(self.dust.positions(), glint, self.dust.size, self.dust.depth)
        return FrameState(
            t=t,
            cue=sheet.cue_at(t),
            dancers=tuple(dancers),
            dust=dust,
            light_mix=looks.light_mix(t, sheet),
            presence=looks.presence(t, sheet),
            camera=Camera(zoom=looks.camera(t, sheet)),
            fade=looks.fade(t, sheet),
            film=film,
            flicker=looks.reflection_flicker(t, sheet),
            seed=self.seed,
            contacts=self.stage.active_contacts,
            apart=self._apart(t, dancers),
            faces=looks.faces(t, sheet),
        )
