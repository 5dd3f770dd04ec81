"""Where a standing foot stands: held on the floor while it bears, stepped rather than slid.
Pure numpy.

The choreography moves a figure by easing one pose into the next while its hip travels: read
literally, the feet glide. A foot that bears the body and glides reads as ice (on 4 December the
figures' bearing feet slid faster than 0.15 m/s in 38 to 48 % of the samples they bore in, 16 to
34 m a foot over the piece; the targets alone slid each foot 37 to 41 m). A dancer travels by
stepping: weight on one foot, the other picked up and set down further on.

So before the targets reach the physics, each foot's place on the floor is worked out for the
whole piece (:func:`footing`), the way :mod:`.balance` works out the weight shift: where a
target foot is down on the floor of a standing figure, its sole stays where it was set down
(the leg bends to reach it from the hip); when the target has wandered :data:`STEP_AT` from it
and the other foot stands, the foot is picked up (:data:`STEP_RISE` at the ankle) and set down
over :data:`STEP_TIME` where its target will be a little later; when the target lifts the foot,
it goes back to its target in the air over :data:`RELEASE`. Standing alone, the hip goes over
the feet that stand (:func:`over_feet`). The planner reads the result at any times
(:meth:`Footing.at`): the same number at a time however the times around it are asked for. It
holds no foot of a figure turning, kneeling, sitting or lying, held at the waist or in the lift
(held there, his right foot stepped at lift_begin, under her), nor one whose target crosses the
floor faster than :data:`FAST`.

Standing alone on one foot, a foot follows its target within half of :data:`STEP_AT` (drawn, no
faster than :data:`DRAWN`): a figure cannot travel on one foot without hopping or sliding; held
with the hip over it (15 cm and more behind its path), the partner's weight left her feet in
1.7 % of the frames she stood alone, falling into the steps the choreography makes from one foot
(the weight test allows 1 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..show.anatomy import SEGMENT_NAMES
from ..show.easing import smoothstep
from ..show.kinematics import turn_facing
from . import balance

Arr = NDArray[np.float64]
Points = tuple[Arr, Arr, Arr, Arr]

#: Seconds between the times a footing is worked out at.
GRID = 1.0 / 60.0
#: How far (m) a held foot's target may wander from it before the foot steps.
STEP_AT = 0.10
#: How long (s) a step takes, and how high (m) its ankle lifts at the middle.
STEP_TIME = 0.30
STEP_RISE = 0.06
#: The longest step (m).
STRIDE = 0.4
#: How fast (m/s) a target foot on the floor may cross it and still be stepped after: a foot
#: carried faster (a run, a dash, a quick glide) follows its target. Stepping, the cloth test's
#: crossing at up to 1.5 m/s fell behind its feet and lurched after them at 2 m/s; at 0.6 m/s
#: it let go of 31 and 36 s of the piece's walking, whose feet scissor past each other, and the
#: bearing feet slid in a quarter more of the samples (14 and 15 s at 1.0 m/s, turns among them).
FAST = 1.0
#: Seconds a foot stands after it is set down before the other may be picked up.
STANCE = 0.10
#: How far (m) a foot may be from its target while it cannot step (the other foot is stepping, or
#: in the air while a partner holds the figure) before it is drawn along, and how fast (m/s) a
#: foot is drawn at most.
GIVE = 0.25
DRAWN = 1.5
#: Seconds in which a foot its target lifts goes back to it in the air; a turn, or a knee or
#: a hip coming to the floor, releases the feet as long before.
RELEASE = 0.25
#: Seconds over which the hip's going with the feet is eased either side, and how far (m) at
#: most it goes from its path: a figure carried fast across the floor (1.5 m/s in the cloth test's
#: crossing) falls behind its steps, and its hip, going all the way over the feet, came after
#: them in lurches of 2 m/s.
SWAY = 0.15
LAG = 0.12
#: Where a foot is planted on the floor, from its ends' heights: flat (the ankle this much
#: above the toes, m) it stands on its ankle; this much higher again, on its toes.
FLAT = 0.025
ROLL = 0.02

_FEET = (SEGMENT_NAMES.index("l_foot"), SEGMENT_NAMES.index("r_foot"))


@dataclass(frozen=True)
class Footing:
    """One figure's feet over the piece, on a grid of times: how far (m, world x) each foot is
    set from its target, how high (m) its ankle is lifted for a step, how far (0 to 1) it is
    held on the floor (1 while it stands, easing to 0 as it is let go), how far (m) the hip
    goes with the feet that stand (see :func:`over_feet`), and where a foot that cannot step
    is drawn along (1) rather than standing still (0)."""

    grid: Arr  # (m,)
    offset: Arr  # (m, 2)
    rise: Arr  # (m, 2)
    hold: Arr  # (m, 2)
    hip: Arr  # (m,)
    drawn: Arr  # (m, 2)
    #: (m, 2) where each foot's target bears (:func:`sole_at`) from the hip, world x, as the
    #: footing read it: without the breath (the planner sets the feet against the breath's own
    #: bending by it)
    plain: Arr

    def at(self, times: Arr) -> tuple[Arr, Arr, Arr]:
        """(n, 2) each foot's offset, rise and hold at ``times`` (0 beyond the grid).

        >>> z = np.zeros((2, 2))
        >>> f = Footing(np.array([0.0, 1.0]), np.array([[0.0, 0.0], [0.2, 0.0]]), z, z, z[0], z, z)
        >>> f.at(np.array([0.5, 3.0]))[0].tolist()
        [[0.1, 0.0], [0.0, 0.0]]
        """
        return tuple(  # type: ignore[return-value]
            np.stack([_lerp(times, self.grid, v[:, k]) for k in (0, 1)], axis=1)
            for v in (self.offset, self.rise, self.hold)
        )

    def drawn_at(self, times: Arr) -> NDArray[np.bool_]:
        """(n, 2) where each foot is drawn along at ``times`` (or about to be, or was)."""
        return np.stack([_lerp(times, self.grid, self.drawn[:, k]) > 0.0 for k in (0, 1)], axis=1)

    def place(
        self, angles: Arr, height: float, times: Arr, sign: Arr, moved: Arr, at: Points
    ) -> Arr:
        """(n, joints) the pose ``angles`` at ``times`` (its points ``at``, facing ``sign``:
        +1 right, -1 left) with each leg reaching from the hip to where this footing holds or
        steps its foot: set off from its target across (world x, so mirrored facing left). The
        hip ``moved`` (m, world x: its going over the feet and the breath's drift) and the
        breath's and tremble's own bending move the hip, not a foot that stands: the footing was
        worked out without them (a held foot crept 7 mm/s across the floor as she breathed)."""
        off, rise, hold = self.at(times)
        bent = self.plain_at(times) - sole_at(*at).T
        off = off + hold * bent - hold * moved[:, None]
        right = (at[0] * sign, at[1], at[2] * sign, at[3])
        return balance.place_feet(angles, height, off * sign[:, None], rise, right)

    def plain_at(self, times: Arr) -> Arr:
        """(n, 2) :attr:`plain` at ``times``."""
        return np.stack([_lerp(times, self.grid, self.plain[:, k]) for k in (0, 1)], axis=1)

    def hip_at(self, times: Arr) -> Arr:
        """(n,) how far (m, world x) the hip goes with the feet at ``times``."""
        return _lerp(times, self.grid, self.hip)


def _lerp(times: Arr, grid: Arr, values: Arr) -> Arr:
    return np.asarray(np.interp(times, grid, values, left=0.0, right=0.0), dtype=np.float64)


def sole_x(ax: Arr, ay: Arr, bx: Arr, by: Arr) -> Arr:
    """(2, n) how far (m) each foot (segment end points at evenly spaced times) has gone across
    the floor: what moves a foot's sole, not what rolls it. A foot rolling onto its toes
    turns about them and has not gone anywhere; nor has one rocking back onto its heel, about
    its ankle. So the distance adds up the toe's way while the heel is raised, the ankle's
    while the toe is, and either standing flat (the same then).

    >>> t = np.linspace(0.0, 1.0, 5)
    >>> ax = np.zeros((16, 5)) + 0.1 * t; bx = ax + 0.19  # gliding 10 cm, flat
    >>> ay = np.full((16, 5), 0.02); by = ay - 0.017
    >>> sole_x(ax, ay, bx, by)[0].round(3).tolist()
    [0.0, 0.025, 0.05, 0.075, 0.1]
    >>> ay = ay + 0.1 * t; ax = 0.19 - np.sqrt(0.19**2 - (ay - by) ** 2)  # up onto its toes
    >>> bx = np.full((16, 5), 0.19)
    >>> bool(np.abs(sole_x(ax, ay, bx, by)).max() < 0.005)  # the ankle went 4 cm: hardly any
    True
    """
    feet = list(_FEET)
    up, down = _raised(ay, by), _raised(by, ay)
    va, vb = np.diff(ax[feet], axis=1), np.diff(bx[feet], axis=1)
    # between two times, the end that stays down: the toe as far as the heel is up at either
    s = np.maximum(up[:, 1:], up[:, :-1])
    v = va + s * (vb - va)
    h = np.maximum(down[:, 1:], down[:, :-1])
    v = v + h * (va - v)
    out = np.zeros_like(ax[feet])
    np.cumsum(v, axis=1, out=out[:, 1:])
    return out


def sole_at(ax: Arr, ay: Arr, bx: Arr, by: Arr) -> Arr:
    """(2, n) where on each foot (segment end points) it bears at each time: the ankle standing
    flat, the toe up on it, between them as the heel rises (for comparing two poses at the same
    times; across times :func:`sole_x` tells how far a foot went).

    >>> ax = np.zeros((16, 1)); bx = np.full((16, 1), 0.2); ay = np.full((16, 1), 0.1)
    >>> sole_at(ax, ay, bx, np.zeros((16, 1))).round(2).tolist()  # up on its toes
    [[0.2], [0.2]]
    """
    feet = list(_FEET)
    up = _raised(ay, by)
    return np.asarray(ax[feet] + up * (bx[feet] - ax[feet]), dtype=np.float64)


def _raised(ay: Arr, by: Arr) -> Arr:
    """(2, n) how far (0 to 1) each foot's ``a`` end is raised above its ``b`` end beyond
    standing flat: the heel (ankle) over the toe, or, ends swapped, the toe over the heel."""
    feet = list(_FEET)
    return np.asarray(np.clip((ay[feet] - by[feet] - FLAT) / ROLL, 0.0, 1.0), dtype=np.float64)


def footing(
    grid: Arr,
    sole: Arr,
    down: NDArray[np.bool_],
    alone: Arr | None = None,
    plain: Arr | None = None,
) -> Footing:
    """The feet's footing over ``grid`` (evenly spaced times): ``sole`` (m, 2) where each
    target foot stands (world x), ``down`` (m, 2) where it is on the floor of a standing figure
    (the only times a foot is held), ``alone`` (m,) 1 where the hip may go with the feet (no
    partner holds the figure: see :func:`over_feet`), 0 where it may not (by default nowhere);
    ``plain`` (m, 2) kept as :attr:`Footing.plain` (by default 0).

    A figure gliding on both feet steps instead, each foot in turn:

    >>> g = np.arange(0, 3.0, GRID)
    >>> glide = np.stack([0.3 * g, 0.3 * g + 0.2], axis=1)
    >>> f = footing(g, glide, np.ones((len(g), 2), dtype=bool))
    >>> held = glide + f.offset
    >>> speed = np.abs(np.diff(held, axis=0)) / GRID
    >>> still = (f.rise[1:] == 0) & (f.rise[:-1] == 0)
    >>> bool((speed[still] < 1e-9).all())  # a foot on the floor never slides
    True
    >>> bool(np.abs(f.offset).max() < GIVE)  # nor drawn along: each steps in time
    True
    >>> int((np.diff((f.rise > 0).astype(int), axis=0) == 1).sum())  # steps taken
    7
    """
    walk = _Walk(grid, sole, down, alone)
    walk.run()
    m, release_n = len(grid), walk.release_n
    off, up, kept = (np.array(v).T for v in (walk.offset, walk.rise, walk.hold))
    free = np.zeros(m) if alone is None else alone
    # drawn, give or take a release either side: the physics lets such a foot slide
    near = np.ones(2 * release_n + 1)
    drawn = np.array(walk.drawn).T
    pulled = np.stack([np.convolve(drawn[:, k], near, mode="same") > 0 for k in (0, 1)], axis=1)
    kept_plain = np.zeros((m, 2)) if plain is None else plain
    hip = over_feet(off, up, kept, free)
    return Footing(grid, off, up, kept, hip, pulled.astype(float), kept_plain)


class _Walk:
    """:func:`footing`'s walk through the grid, a point at a time: what each foot does (held,
    stepping, drawn along or let go) follows from what it and the other did before. Plain Python
    lists: a scalar numpy call a point made this 0.7 s for the piece."""

    def __init__(self, grid: Arr, sole: Arr, down: NDArray[np.bool_], alone: Arr | None) -> None:
        m = self.m = len(grid)
        self.step_n = max(round(STEP_TIME / GRID), 2)
        self.stance_n = round(STANCE / GRID)
        self.release_n = max(round(RELEASE / GRID), 1)
        self.kept_curve = (
            1.0 - smoothstep(np.arange(self.release_n + 1) / self.release_n)
        ).tolist()
        step_u = np.arange(self.step_n) / self.step_n
        self.step_curve = smoothstep(step_u).tolist()
        self.rise_curve = (STEP_RISE * np.sin(np.pi * step_u) ** 2).tolist()
        # per foot, per point
        self.offset = [[0.0] * m, [0.0] * m]
        self.rise = [[0.0] * m, [0.0] * m]
        self.hold = [[0.0] * m, [0.0] * m]
        self.drawn = [[0.0] * m, [0.0] * m]
        self.sole = sole.tolist()
        self.down = down.tolist()
        self.left = _run_left(down).tolist()
        self.free = [False] * m if alone is None else (alone >= 1.0).tolist()
        self.held: list[float | None] = [None, None]  # where each held foot stands
        #: each foot's step under way: (first point, from, to)
        self.stepping: list[tuple[int, float, float] | None] = [None, None]
        self.since = [0, 0]  # the point each foot was last set down at
        self.spare = [0.0, 0.0]  # what is left of each foot's offset when it was let go
        self.freed = [-self.release_n, -self.release_n]  # the point it was let go at

    def run(self) -> None:
        held, freed, release_n = self.held, self.freed, self.release_n
        for i in range(self.m):
            here, on = self.sole[i], self.down[i]
            idle = not (on[0] or on[1]) and held[0] is None and held[1] is None
            if idle and i - freed[0] > release_n and i - freed[1] > release_n:
                continue  # nothing held nor being let go
            e0 = abs(here[0] - held[0]) if held[0] is not None else 0.0
            e1 = abs(here[1] - held[1]) if held[1] is not None else 0.0
            errors = (e0, e1)
            for k in (0, 1) if e0 >= e1 else (1, 0):
                if not on[k]:
                    self._let_go(i, k)
                elif not self._stepped(i, k, here[k]):
                    self._stand(i, k, here[k], errors)

    def _let_go(self, i: int, k: int) -> None:
        """A foot its target lifts (or a turn, a knee down, a hold releases) goes back to its
        target over RELEASE."""
        if self.held[k] is not None:
            self.spare[k], self.freed[k] = self.offset[k][i - 1] if i else 0.0, i
            self.held[k] = self.stepping[k] = None
        gone = i - self.freed[k]
        if gone <= self.release_n:
            kept = self.kept_curve[gone]
            self.offset[k][i], self.hold[k][i] = self.spare[k] * kept, kept
            self.rise[k][i] = self.rise[k][i - 1] * 0.8 if i else 0.0

    def _stepped(self, i: int, k: int, x: float) -> bool:
        """Set a foot down if it was not held, and carry a step under way: True while it is."""
        self.hold[k][i] = 1.0
        if self.held[k] is None:  # set down: where it is, with what is left of its offset
            gone = i - self.freed[k]
            spare = self.spare[k] * self.kept_curve[gone] if gone <= self.release_n else 0.0
            down = x + spare
            if self.free[i] and self.held[1 - k] is not None and i:
                # alone, the hip is over the foot that stands: the foot comes down as far from
                # its target as that one is
                down += self.offset[1 - k][i - 1]
            self.held[k] = down
            self.since[k] = i
        step = self.stepping[k]
        if step is None:
            return False
        first, a, b = step
        j = i - first
        if j < self.step_n:
            self.offset[k][i] = a + (b - a) * self.step_curve[j] - x
            self.rise[k][i] = self.rise_curve[j]
            return True
        self.held[k], self.stepping[k], self.since[k] = b, None, i
        return False

    def _stand(self, i: int, k: int, x: float, errors: tuple[float, float]) -> None:
        """A held foot: it stays, steps, or (when it cannot step) is drawn along."""
        at = self.held[k]
        assert at is not None
        o = 1 - k
        error = x - at
        if abs(error) > STEP_AT / 2:
            if self._step(i, k, x, at, error, errors):
                self.offset[k][i] = at - x
                return
            # drawn along: it cannot step (alone on one foot, drawn back to its target once half
            # STEP_AT off it)
            give = 0.0 if self.held[o] is None and self.free[i] else GIVE
            if abs(error) > give:
                # no faster than DRAWN: the give changes as the other foot comes and goes
                pull = min(abs(error) - give, DRAWN * GRID)
                self.held[k] = at = at + math.copysign(pull, error)
                self.drawn[k][i] = 1.0
        self.offset[k][i] = at - x

    def _step(
        self, i: int, k: int, x: float, at: float, error: float, errors: tuple[float, float]
    ) -> bool:
        """Pick the foot up if it should and can step now: True if it does."""
        o = 1 - k
        held, left, sole = self.held, self.left, self.sole
        can = (
            held[o] is not None
            and self.stepping[o] is None
            and i - self.since[o] >= self.stance_n
            and left[i][k] > self.step_n
        )
        # a target coming back to its foot is waited for, if not far
        away = error * (sole[min(i + 1, self.m - 1)][k] - x) > 0.0 or abs(error) > GIVE / 2
        # both feet left behind (a glide setting off): the further steps at half the way
        both = held[o] is not None and errors[o] > STEP_AT / 2 and errors[k] >= errors[o]
        if not (abs(error) > (STEP_AT / 2 if both else STEP_AT) and away and can):
            return False
        # set down where the target will be once the other foot has stepped too, at most half
        # STEP_AT past where it is as this step ends, and no further than a STRIDE
        last = i + left[i][k] - 1
        end = sole[min(i + self.step_n, last)][k]
        ahead = sole[min(i + 2 * self.step_n + self.stance_n, last)][k]
        lead = STEP_AT / 2
        land = end + max(-lead, min(lead, ahead - end))
        self.stepping[k] = (i, at, max(at - STRIDE, min(at + STRIDE, land)))
        return True


def over_feet(offset: Arr, rise: Arr, hold: Arr, alone: Arr) -> Arr:
    """(m,) how far (m, world x) the hip goes with the feet that stand: as far as they are set
    from their targets (on both feet, the mean; stepping, the one that stands), eased over
    :data:`SWAY` s, and only where ``alone`` is 1 (held by a partner the hip stays where the
    hold needs it, and the hold steadies the figure).

    The planner puts a standing pose's weight over its feet (:mod:`.balance`) by setting the
    feet under the hip; a foot held where it stands cannot go there, so the hip goes over it
    instead, as a dancer's weight goes over the foot that takes it: without this the lead's
    weight left his feet in 16 % of the frames he stood alone (15 cm at 25.4 s, where his pose
    leans and the planner set his feet 15 cm back).

    >>> one = np.ones((40, 2)); z = np.zeros((40, 2)); alone = np.ones(40); alone[30:] = 0.0
    >>> hip = over_feet(np.full((40, 2), 0.1), z, one, alone)
    >>> hip[[0, 10, 15, 20, 25, 30]].round(3).tolist()  # near a hold it eases back to its path
    [0.1, 0.1, 0.093, 0.055, 0.012, 0.0]
    """
    bears = hold * (rise == 0.0)
    total = bears.sum(axis=1)
    raw = np.where(total > 0.0, (bears * offset).sum(axis=1) / np.maximum(total, 1e-9), 0.0)
    n = max(round(SWAY / GRID), 1)
    # held by no one for the whole of the ease about a point: the hip is the hold's elsewhere
    free = np.convolve(np.pad(alone < 1.0, n), np.ones(2 * n + 1), mode="valid") == 0
    raw = np.where(free, np.clip(raw, -LAG, LAG), 0.0)
    kernel = np.hanning(2 * n + 3)[1:-1]
    eased = np.convolve(np.pad(raw, n, mode="edge"), kernel / kernel.sum(), mode="valid")
    return np.asarray(eased, dtype=np.float64)


def _run_left(down: NDArray[np.bool_]) -> NDArray[np.int64]:
    """(m, 2) how many points each foot stays down from each point on (0 where it is not).

    >>> _run_left(np.array([[1, 0], [1, 1], [0, 1]], dtype=bool)).tolist()
    [[2, 0], [1, 2], [0, 1]]
    """
    m = len(down)
    idx = np.arange(m)[:, None]
    # the first point at or after each that is not down, per foot
    nxt = np.where(~down, idx, m)
    nxt = np.minimum.accumulate(nxt[::-1], axis=0)[::-1]
    return np.asarray(np.where(down, nxt - idx, 0), dtype=np.int64)


def fast(grid: Arr, sole: Arr, down: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(m,) where a foot on the floor (``down``, (2, m)) has its target crossing it faster
    than :data:`FAST` (averaged over :data:`STEP_TIME`): faster than steps follow.

    >>> g = np.arange(0.0, 2.0, GRID)
    >>> run = np.stack([np.minimum(g, 1.0) * 1.5] * 2)  # 1.5 m/s for a second, then still
    >>> f = fast(g, run, np.ones((2, len(g)), dtype=bool))
    >>> bool(f[30]), bool(f[100])
    (True, False)
    """
    n = max(round(STEP_TIME / GRID), 1)
    speed = np.abs(np.diff(sole, axis=1, prepend=sole[:, :1])) / GRID
    mean = np.stack([np.convolve(v, np.ones(n) / n, mode="same") for v in speed])
    return np.asarray(((mean > FAST) & down).any(axis=0))


def releasing(grid: Arr, facing: Arr, low: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(m,) where a figure's feet are not held: turning (``facing`` as keyframed) or ``low``
    (a knee, a hip, the body on the floor), and :data:`RELEASE` s before, so a foot is back on
    its target before either begins.

    >>> g = np.arange(0, 1.0, 0.25)
    >>> releasing(g, np.array([1.0, 1.0, 1.0, 0.0]), np.zeros(4, dtype=bool)).tolist()
    [False, False, True, True]
    """
    off = (np.abs(turn_facing(facing)) < 1.0) | low
    ahead = round(RELEASE / float(grid[1] - grid[0])) if len(grid) > 1 else 0
    out = off.copy()
    for s in range(1, ahead + 1):
        out[:-s] |= off[s:]
    return out
