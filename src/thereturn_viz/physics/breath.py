"""The breath: what a figure does while the choreography holds it. Pure numpy.

A pose the keyframes hold is, to the physics, a statue: the servos reach it and stay. A dancer
holding still is never still: the chest rises and settles with each breath and the weight drifts
from one foot toward the other and back. :class:`Breath` adds both to every figure's targets,
always, scaled by how still the choreography is around that moment (:func:`stillness`): in a
held pose it is all there is to see, in a phrase it fades to nothing, so it never blurs a move.

Everything is a function of absolute time and of the dancer's name, so a block of targets is the
same numbers however the piece is advanced, and the two dancers breathe at their own pace.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from ..show.anatomy import JOINTS, SEGMENTS
from ..show.choreography import DancerScript, Targets
from ..show.easing import smoothstep
from ..show.kinematics import CONTACT_RADIUS, segment_points

Arr = NDArray[np.float64]

#: Breaths a second: 13 to 17 a minute, a dancer at rest after moving. Each dancer's rate is drawn
#: in this range from its name, so the two never breathe in step (the lead 0.25, the partner 0.27).
RATE_HZ = (0.22, 0.28)
#: How far a dancer's rate wanders (a fraction of it) and how slowly (Hz): breaths of one length
#: read as a machine.
WANDER, WANDER_HZ = 0.08, 0.023
#: The weight's drift from one foot toward the other and back: its period (s), drawn per dancer
#: in this range, and how far (m) the pelvis travels either side of the written place. Within a
#: foot's length of where it was: the centre of mass never leaves the feet.
SHIFT_PERIOD = (6.5, 9.5)
SHIFT_M = 0.012
#: The chest's part. A straight spine is as tall as it gets, and a rigid chest rises with it
#: only as the body under it does, so upright the breath shows in how the chest opens: the
#: out-breath curls it forward from the pose by up to ``CURL_DEG`` and the in-breath opens it
#: ``OPEN_DEG`` past the pose (the breastbone lifts; with the curl alone the held figure leaned
#: 2 degrees forward of its pose on average, and the opening reads as the breath coming in).
#: Bowed, the in-breath lifts the chest's top by about ``RISE_M`` (m), turning the waist by
#: ``WAIST_DEG`` at most; lying, it turns the chest's top into the floor and the middle of the
#: body rises (see :func:`_trunk`), by ``LIE_DEG`` of the waist. The neck and the head follow
#: the chest by ``NECK_DEG`` and ``HEAD_DEG`` at most: a small nod.
CURL_DEG = 3.0
OPEN_DEG = 1.0
WAIST_DEG = 4.0
RISE_M = 0.012
LIE_DEG = 2.4
NECK_DEG = 2.0
HEAD_DEG = 2.5
#: The legs' part: as the breath goes out the knees soften (the hips and ankles by half as much,
#: so the trunk stays over flat feet) until the hip has sunk ``SINK_M`` (m), by ``KNEE_DEG`` at
#: most. Upright, that is what lowers the shoulders, which a curl of a straight spine hardly
#: can: a chest 3 degrees from upright is a millimetre lower. Straight legs sink little for
#: their bend, so the knee travels forward five or six times the sink (held standing, 8 cm for
#: the shoulders' 14 to 15 mm, 3 px at 1080p; at 6 mm, 5.5 cm for 7 mm); a sink of 18 mm (8.5
#: cm) read as a dip of the knees. Kneeling, folded knees lower the hips a great deal for a
#: degree: there it is the hips settling toward the heels.
SINK_M = 0.015
KNEE_DEG = 24.0
#: Kneeling (the lowest point a knee or a shin), a foot within ``PLANTED_M`` (m) of the floor
#: stands on it, and the knees' give lifts it by ``LIFT_M`` at most: on one knee the hips pivot
#: on that knee, and the give of a sink lifted the front foot 10 cm off the floor and drew it
#: back 10 cm for 9 mm of the shoulders.
PLANTED_M = 0.03
LIFT_M = 0.015
#: The arms follow softly: the elbows bend a little as the breath goes out, the upper arms
#: float forward as it comes in (degrees): hanging hands sway 3.5 to 4 cm with each breath.
#: Lying, arms laid overhead press the floor by ``PRESS_DEG`` instead, which lifts the chest
#: (4 degrees, with the waist turning 2.7, heaved her middle 3.8 cm; 2.5 with 2.4, 1.9 cm).
ELBOW_DEG = 5.0
SHOULDER_DEG = 4.0
PRESS_DEG = 2.5
#: An arm raised forward past this (degrees at the shoulder; fading from 30 below it) reaches for
#: something, a cheek or a hand, and keeps its aim: its elbow and shoulder do not breathe.
REACH_DEG = 60.0
#: Below this (degrees a second, the fastest joint) the choreography holds still and the breath
#: is whole; above ``MOVING_DEG_S`` it is gone. The same for the dancer's place (m/s). A held
#: keyframe, a hold in counts or two keyframes of one pose are still; the slowest phrases move a
#: few degrees a second, a walk 0.3 m/s.
STILL_DEG_S, MOVING_DEG_S = 8.0, 40.0
STILL_M_S, MOVING_M_S = 0.03, 0.15
#: How the motion is read: the choreography sampled every ``GRID`` s, its fastest over ``REACH`` s
#: either side, so the breath comes in as a move ends and goes before the next one starts.
GRID = 0.25
REACH = 0.5
#: Seconds over which the arms' breath gives way to a hold as it is taken and comes back after.
HOLD_EASE = 0.5
#: Seconds (either side) over which the drift of weight comes in as a move ends and goes before
#: the next: coming in with the breath, it moved her pelvis at 5 cm/s just after she stopped from
#: a run (the stop read as not yet done); eased over this, 4 cm/s, as without it 3.
SETTLE = 0.75

_J = {j: i for i, j in enumerate(JOINTS)}
#: The arms' joints, and the body's: the rest.
ARMS = np.array([i for i, j in enumerate(JOINTS) if j.endswith(("shoulder", "elbow", "wrist"))])
BODY = np.setdiff1d(np.arange(len(JOINTS)), ARMS)
_CHEST = next(s.length for s in SEGMENTS if s.name == "chest")
_FEET = [i for i, s in enumerate(SEGMENTS) if s.name in ("l_foot", "r_foot")]
_LEG = sum(s.length for s in SEGMENTS if s.name in ("l_thigh", "l_shin"))


def _unit(name: str, what: str) -> float:
    """A number in [0, 1) that is always the same for this dancer and this use of it.

    >>> _unit("lead", "rate") == _unit("lead", "rate") != _unit("partner", "rate")
    True
    """
    return zlib.crc32(f"{name}:{what}".encode()) / 2.0**32


def inhale(theta: Arr) -> Arr:
    """How full the lungs are at breath phase ``theta`` (radians): -1 emptied, +1 full. The
    in-breath takes about 40% of the cycle, the out-breath the rest.

    >>> [round(float(v), 2) for v in inhale(np.array([0.0, math.pi / 2, math.pi, 1.5 * math.pi]))]
    [0.0, 1.0, 0.0, -1.0]
    >>> float(inhale(np.array([0.4 * math.pi]))[0]) > 0.99  # full before a quarter of the cycle
    True
    """
    return np.asarray(np.sin(theta + 0.3 * np.sin(2.0 * theta)), dtype=np.float64)


def stillness(script: DancerScript, times: Arr, arms: bool = True) -> Arr:
    """(n,) how still the choreography holds this dancer around each of ``times``: 1 where no
    joint moves faster than :data:`STILL_DEG_S` (nor the place faster than :data:`STILL_M_S`)
    within :data:`REACH` s, 0 where anything moves faster than the ``MOVING_`` speeds. Without
    ``arms`` the arms' joints are not read: the stillness of the body, which breathes while only
    the hands move (at ``kneel`` his hands tremble over her, the rest of him held).

    Read from the keyframes on a grid of absolute times, so the same time gets the same answer
    whatever else is asked with it."""
    grid = _grid(times)
    on_grid = _still(script.sample(grid))[:, 1 if arms else 0]
    return np.asarray(np.interp(times, grid, on_grid), dtype=np.float64)


def _grid(times: Arr, extra: float = 0.0) -> Arr:
    """Multiples of :data:`GRID` s from :data:`REACH` s, ``extra`` s and a step before ``times``
    to after."""
    first = math.floor((float(times.min()) - REACH - extra) / GRID) - 1
    last = math.ceil((float(times.max()) + REACH + extra) / GRID) + 1
    return np.arange(first, last + 1, dtype=np.float64) * GRID


def _still(tg: Targets) -> Arr:
    """(grid, 2) :func:`stillness` at the points of a grid the keyframes ``tg`` were sampled
    on: of the body without the arms, and of the whole figure (read together: a block's breath
    asks for both)."""
    turn = np.abs(np.diff(tg.angles, axis=0))
    body = turn[:, BODY].max(axis=1)
    turns = np.stack([body, np.maximum(body, turn[:, ARMS].max(axis=1))], axis=1) / GRID
    walk = np.abs(np.diff(tg.x))[:, None] / GRID
    moving = np.maximum(
        (turns - STILL_DEG_S) / (MOVING_DEG_S - STILL_DEG_S),
        (walk - STILL_M_S) / (MOVING_M_S - STILL_M_S),
    )
    # ``moving`` is between grid points k and k + 1: at each point, the fastest within REACH
    reach = round(REACH / GRID)
    padded = np.pad(moving, ((reach, reach + 1), (0, 0)), mode="edge")
    fastest = np.max([padded[i : i + len(tg.x)] for i in range(2 * reach + 1)], axis=0)
    return 1.0 - smoothstep(fastest)


def _trunk(tilt: Arr, b: Arr, chest: float) -> Arr:
    """(n,) degrees the waist turns at fullness ``b`` for a chest ``chest`` m long tilted
    ``tilt`` degrees from upright (+ leaning back): whichever way raises the chest on the
    in-breath. Upright, the out-breath curls the chest :data:`CURL_DEG` forward of the pose and
    the in-breath opens it :data:`OPEN_DEG` past it; bowed, the in-breath lifts the chest's top
    by about :data:`RISE_M` too; lying (on the back or the front), the pose is the empty breath
    and the in-breath presses the chest's top to the floor, so the middle of the body rises.

    >>> [round(float(v), 2) + 0.0 for v in _trunk(np.zeros(2), np.array([1.0, -1.0]), 0.34)]
    [1.0, -3.0]
    >>> [round(float(v), 2) + 0.0 for v in _trunk(np.full(2, 90.0), np.array([1.0, -1.0]), 0.34)]
    [2.4, 0.0]
    """
    r = np.radians(tilt)
    s = np.sin(r)
    # turning the waist back (+) raises a chest leaning forward, by chest * sin(tilt) a radian
    bowed = np.minimum(WAIST_DEG * np.abs(s), np.degrees(RISE_M / chest))
    # lying, the in-breath turns the chest's top into the floor instead: the middle of the body
    # rises, and the chest pressed to the floor lies still (lifted off it, it shivered on the
    # floor at 3 Hz, 4 mm RMS). The lever is long: the 2.9 degrees of a bow lifted her middle
    # 2.8 cm, 2.2 degrees 1.6 cm
    lie = np.clip((np.abs(tilt) - 45.0) / 30.0, 0.0, 1.0)
    up = -np.sign(s) * ((1.0 - lie) * bowed - lie * LIE_DEG)
    upright = np.maximum(np.cos(r), 0.0) * np.clip(1.0 - tilt / 20.0, 0.0, 1.0)
    full, empty = (b + 1.0) / 2.0, (1.0 - b) / 2.0
    return np.asarray(full * (up + OPEN_DEG * upright) - empty * CURL_DEG * upright)


@dataclass(frozen=True)
class Sampled:
    """What a block's breath reads around its times, worked out once (:meth:`Breath.sampled`):
    the grid, the keyframes sampled on it and their stillness there (:func:`_still`)."""

    grid: Arr
    targets: Targets
    still: Arr  # (grid, 2): the body's, the whole figure's


@dataclass(frozen=True)
class Breath:
    """One dancer's breath and drift of weight: its pace, drawn once from its name."""

    height: float  # m
    rate: float  # breaths a second
    phase: float  # radians at t = 0
    wander: float  # radians, the phase of the rate's wandering
    shift_hz: float
    shift_phase: float

    @classmethod
    def of(cls, name: str, height: float) -> Breath:
        """The breath of the dancer called ``name``, ``height`` m tall: the same every run.

        >>> lead, partner = Breath.of("lead", 1.8), Breath.of("partner", 1.65)
        >>> lead == Breath.of("lead", 1.8), round(lead.rate, 3), round(partner.rate, 3)
        (True, 0.246, 0.272)
        """
        lo, hi = RATE_HZ
        slo, shi = SHIFT_PERIOD
        return cls(
            height=height,
            rate=lo + (hi - lo) * _unit(name, "rate"),
            phase=2 * math.pi * _unit(name, "phase"),
            wander=2 * math.pi * _unit(name, "wander"),
            shift_hz=1.0 / (slo + (shi - slo) * _unit(name, "shift")),
            shift_phase=2 * math.pi * _unit(name, "shift phase"),
        )

    def give(self, angles: Arr) -> Arr:
        """(n,) degrees the knees bend at the bottom of an out-breath (the hips and ankles half as
        much, so the trunk stays over the feet): what lowers the hip by about :data:`SINK_M`, and
        no more than :data:`KNEE_DEG`, nor than lifts a foot on the floor :data:`LIFT_M`.
        Straight legs sink little for a lot of bend; folded (sitting back on the heels) a lot for
        a little: a degree lowers the hip 7 mm; on one knee, nothing sinks but the front foot
        rises.

        >>> lead = Breath.of("lead", 1.8)
        >>> round(float(lead.give(np.zeros((1, len(JOINTS))))[0]), 1)  # straight: 18.7 for 15 mm
        18.7
        """
        probe = np.zeros(len(JOINTS))
        for side in ("l_", "r_"):
            probe[[_J[side + "knee"], _J[side + "hip"], _J[side + "ankle"]]] = (-1.0, 0.5, 0.5)
        hip, feet, kneels = self._stood(angles)
        bent, lifted, _ = self._stood(angles + KNEE_DEG * probe)
        give = KNEE_DEG * np.minimum(1.0, SINK_M / np.maximum(hip - bent, 1e-9))
        lift = np.where(kneels & (feet < PLANTED_M), lifted - feet, 0.0).max(axis=0)
        return np.asarray(np.minimum(give, KNEE_DEG * LIFT_M / np.maximum(lift, 1e-9)))

    def _stood(self, angles: Arr) -> tuple[Arr, Arr, NDArray[np.bool_]]:
        """(n,) the hip's height standing the pose on its lowest point, (2, n) how high the
        feet's lowest points are above the floor and (n,) whether that lowest point is not a
        foot's (a knee, a shin: kneeling)."""
        _, ay, _, by = segment_points(angles, self.height, np.ones(len(angles)))
        low = np.minimum(ay, by) - (CONTACT_RADIUS * self.height)[:, None]
        floor = low.min(axis=0)
        return -floor, low[_FEET] - floor, ~np.isin(low.argmin(axis=0), _FEET)

    def fullness(self, t: Arr) -> Arr:
        """(n,) the lungs at ``t``, -1 to 1 (:func:`inhale`), the rate wandering slowly."""
        drift = WANDER * self.rate / WANDER_HZ * np.sin(2 * math.pi * WANDER_HZ * t + self.wander)
        return inhale(2 * math.pi * self.rate * t + self.phase + drift)

    @staticmethod
    def sampled(script: DancerScript, t: Arr) -> Sampled:
        """The breath's grid around ``t`` (:data:`SETTLE` s wider each way), ``script``'s
        keyframes sampled on it and their stillness: what :meth:`pose` and :meth:`give_at`
        read, worked out once (a sampling is the dearest part of a block's breath)."""
        grid = _grid(t, SETTLE)
        targets = script.sample(grid)
        return Sampled(grid, targets, _still(targets))

    def pose(
        self, sampled: Sampled, t: Arr, angles: Arr, free: Arr, arms: Arr, shift: Arr
    ) -> tuple[Arr, Arr, Arr]:
        """:meth:`apply` to the pose ``angles`` at ``t`` with its :func:`stillness` read on the
        grid (:meth:`sampled`: a pose that changes between its points is moving, and has no
        breath to speak of; the body's without the arms, the arms' with them), all but the
        knees: returns the pose, the drift and how far (0 to 1, :meth:`sink`) the knees soften
        now. The planner gives them (:meth:`soften`, by
        :meth:`give_at`) once it has put the weight over the feet: the balance's legs reach for
        the feet again and would take back the sink (a standing chest rose 3 mm instead of 6)."""
        grid, on_grid = sampled.grid, sampled.still[:, 0]
        still = np.interp(t, grid, on_grid)
        reach = np.interp(t, grid, sampled.still[:, 1])
        # the drift eased in and out over SETTLE s either side (the grid reaches that far)
        ease = np.hanning(2 * round(SETTLE / GRID) + 3)[1:-1]
        slow = np.interp(t, grid, np.convolve(on_grid, ease / ease.sum(), mode="same"))
        zero = np.zeros(len(t))
        out, dx = self.apply(t, still, angles, free, arms, shift, zero, slow, reach)
        return out, dx, self.sink(t, still, angles, free)

    def give_at(self, sampled: Sampled, t: Arr, stand: Callable[[Arr, Targets], Arr]) -> Arr:
        """(n,) the knees' :meth:`give` at ``t``, read on the grid (:meth:`sampled`) from the
        poses as ``stand`` (grid times, their targets -> angles) puts their weight over the feet:
        1200 steps' poses cost 50 of the knees'. Only where the body is still enough to breathe
        or beside it: elsewhere the sink the give is multiplied by is 0 (a block where only the
        arms moved part of the time stood all its grid)."""
        grid, still = sampled.grid, sampled.still[:, 0] > 0.0
        near = still.copy()
        near[1:] |= still[:-1]
        near[:-1] |= still[1:]
        # and only the points ``t`` lies between (the grid reaches SETTLE s further for the drift)
        near &= (grid > t[0] - GRID) & (grid < t[-1] + GRID)
        at = np.flatnonzero(near)
        give = np.zeros(len(grid))
        if len(at):
            some = Targets(*(getattr(sampled.targets, f.name)[at] for f in fields(Targets)))
            give[at] = self.give(stand(grid[at], some))
        return np.asarray(np.interp(t, grid, give), dtype=np.float64)

    def sink(self, t: Arr, still: Arr, angles: Arr, free: Arr) -> Arr:
        """(n,) how far the knees soften at ``t``: 0 full of breath or moving, 1 emptied and
        still, less as the pose leans away from upright (a bow, lying)."""
        soft = still * (1.0 - self.fullness(t)) / 2.0
        upright = np.clip(np.cos(np.radians(angles[:, _J["pelvis"]])), 0.0, 1.0)
        return np.asarray(soft * upright * free, dtype=np.float64)

    @staticmethod
    def soften(angles: Arr, knee: Arr) -> Arr:
        """(n, joints) the pose with both knees bent ``knee`` (n,) degrees more and the hips
        and ankles half as much, so the thighs and shins turn alike and the feet stay flat.

        >>> out = Breath.soften(np.zeros((1, len(JOINTS))), np.array([10.0]))
        >>> [float(out[0, _J[j]]) for j in ("l_hip", "l_knee", "l_ankle")]
        [5.0, -10.0, 5.0]
        """
        out = angles.copy()
        for side in ("l_", "r_"):
            out[:, _J[side + "knee"]] -= knee
            out[:, _J[side + "hip"]] += knee / 2.0
            out[:, _J[side + "ankle"]] += knee / 2.0
        return out

    def apply(
        self,
        t: Arr,
        still: Arr,
        angles: Arr,
        free: Arr,
        arms: Arr,
        shift: Arr,
        give: Arr,
        settle: Arr | None = None,
        reach: Arr | None = None,
    ) -> tuple[Arr, Arr]:
        """The pose ``angles`` (n, joints; degrees) breathing at ``t``, and how far (m, the
        dancer's own forward) the pelvis drifts over the feet.

        ``still`` (n,) scales it all (:func:`stillness`); ``free`` (n,) all but the head's part
        (0 under a weight held high: the body keeps still, the head still breathes),
        ``arms`` the arms' alone (0 where a hold places them), ``shift`` the drift of weight (0
        where the feet do not bear it), ``give`` the knees' bend at the bottom of a breath
        (:meth:`give`), ``settle`` the drift's own stillness, slower to come, and ``reach`` the
        arms' (whose own moves take their breath), both ``still`` when None. With the drift the
        legs lean as one over the feet: hips back and ankles up by the angle that keeps each
        foot where it stood.

        >>> t, pose, one = np.array([0.0, 1.0]), np.zeros((2, len(JOINTS))), np.ones(2)
        >>> out, dx = Breath.of("lead", 1.8).apply(t, 0 * one, pose, one, one, one, 11 * one)
        >>> bool((out == pose).all()), dx.tolist()  # a moving phrase: nothing added
        (True, [0.0, 0.0])
        >>> out, dx = Breath.of("lead", 1.8).apply(t, one, pose, one, one, one, 11 * one)
        >>> bool((out[:, _J["l_knee"]] <= 0.0).all()), bool((np.abs(dx) <= SHIFT_M).all())
        (True, True)
        """
        b = self.fullness(t)
        out = angles.copy()
        tilt = angles[:, _J["pelvis"]] + angles[:, _J["waist"]]
        chest = still * _trunk(tilt, b, _CHEST * self.height)
        out[:, _J["waist"]] += chest * free
        follow = np.clip(chest / CURL_DEG, -1.0, 1.0)  # the chest's own breath: a small nod
        out[:, _J["neck"]] += NECK_DEG * follow
        out[:, _J["head"]] += HEAD_DEG * follow
        upright = np.clip(np.cos(np.radians(angles[:, _J["pelvis"]])), 0.0, 1.0)
        if give.any():  # none from :meth:`pose`: the planner gives the knees theirs after
            out = self.soften(out, self.sink(t, still, angles, free) * give)
        wave = np.sin(2 * math.pi * self.shift_hz * t + self.shift_phase)
        straight = np.clip(
            1.0 + np.minimum(angles[:, _J["l_knee"]], angles[:, _J["r_knee"]]) / 40.0, 0, 1
        )
        settled = still if settle is None else settle
        # the arms' breath: as still as the arms are, 0 full, 1 emptied
        limbs = still if reach is None else np.minimum(reach, still)
        soft = limbs * (1.0 - b) / 2.0
        dx = SHIFT_M * settled * shift * upright * straight * wave
        lean = np.degrees(dx / (_LEG * self.height))
        for side in ("l_", "r_"):
            out[:, _J[side + "hip"]] -= lean
            out[:, _J[side + "ankle"]] += lean
            # an arm held out (raised past REACH_DEG) keeps its aim: it reaches for something,
            # and turns back by the chest's turn (opening the chest took her hand at his cheek
            # a centimetre further off); lying, arms laid overhead press the floor and lift the
            # chest as the breath comes in
            aim = np.clip((REACH_DEG - angles[:, _J[side + "shoulder"]]) / 30.0, 0.0, 1.0)
            aim = np.maximum(aim, 1.0 - upright)
            out[:, _J[side + "elbow"]] += ELBOW_DEG * soft * free * arms * aim
            lift = (SHOULDER_DEG * upright + PRESS_DEG * (1.0 - upright)) * (b + 1.0) / 2.0
            turn = chest * free * (1.0 - aim)
            out[:, _J[side + "shoulder"]] += lift * limbs * free * arms * aim - turn
        return out, dx
