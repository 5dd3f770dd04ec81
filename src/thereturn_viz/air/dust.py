"""Dust: seeded particles drifting on slow air currents, stirred by what moves through the air.

The air is stepped on its own coarse clock (``AIR_DT``, slower than the physics) so that seeking
from t = 0 through the whole piece stays cheap; the picture interpolates between the last two air
steps, so the dust still glides at any frame rate. Everything here is numpy, seeded, and a pure
function of the steps it has been given: the same stirring gives the same dust.

The slow currents come from a stream function (:func:`currents`): divergence-free, so the dust
neither gathers nor thins anywhere however long it drifts, with no flow through the floor or the
ceiling, and periodic across the studio (a speck that leaves at one side comes back at the other
on the same current). A speck follows the air; a stir gives it a velocity of its own on top,
which settles away.

Things that stir the air are given as points (meters) each air step; the air takes their velocity
from how far each point moved since the previous step. The dancers' limbs come from the
performance and stir the specks near their plane; a visitor's hand comes through
:meth:`DustField.stir` and moves the specks that lie under it *on the screen*, at any depth.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ..state import DANCER_DEPTH, Camera

Arr = NDArray[np.float64]

#: The volume of air the dust lives in (meters): x and height across the studio, and the distance
#: from the camera (the dancers are at 8 m, the mirror at 11 m).
BOX_X = (-8.0, 8.0)
BOX_Y = (0.02, 4.6)
BOX_DEPTH = (5.0, 10.6)
#: The air's own step (seconds): slow enough that the whole piece steps in well under a second.
AIR_DT = 1.0 / 15.0
#: How far (m) a moving limb reaches into the air, and how much of its speed the air takes.
STIR_RADIUS = 0.32
STIR_GAIN = 0.55
#: A limb stirs only the specks this close (m) to the dancers' plane.
STIR_DEPTH = 0.6
#: A visitor's hand: how far (m, on the dancers' plane as the screen shows it) it reaches, and
#: how much of its speed the dust under it takes; the swirl is the share of its speed that turns
#: around it (the dust either side of a moving hand curls back into its wake).
HAND_RADIUS = 0.7
HAND_GAIN = 0.85
HAND_SWIRL = 0.45
#: Movers slower than this (m/s) leave the air alone.
STIR_MIN_SPEED = 0.15
#: Seconds for stirred dust to settle back onto the slow currents.
SETTLE_SECONDS = 1.6
#: Air steps between refreshes of the slow currents at the specks.
WIND_EVERY = 3
SETTLE_KEEP = float(np.exp(-AIR_DT / SETTLE_SECONDS))
#: Falling speed (m/s) of the dust at full fall (``pan_out``), by particle size.
FALL_SPEED = (0.05, 0.13)
#: How much of the currents is left once the dust falls like stars (1 - this at full fall).
FALL_CALM = 0.6

#: The currents: modes of the stream function, (amplitude m^2/s, waves across the studio,
#: half-waves from floor to ceiling, drift rad/s, phase). The waves across the studio are whole,
#: so the field is periodic over ``BOX_X``.
MODES: tuple[tuple[float, int, int, float, float], ...] = (
    (0.073, 2, 1, 0.07, 0.0),
    (0.026, 3, 2, -0.05, 1.3),
)
#: A steady drift (m/s) along x, the slow draught of the room.
DRAUGHT = 0.012

#: What the air needs from the piece at one air step: the points that stir it, and how much the
#: dust falls (0 drifting ... 1 falling like stars).
AirInput = tuple[Arr, float]


def currents(x: Arr, y: Arr, t: float) -> tuple[Arr, Arr]:
    """The slow air (m/s) at points ``(x, y)`` at time ``t``: ``wx = dpsi/dy, wy = -dpsi/dx`` of a
    stream function ``psi = sum A sin(n pi (y - y0) / H) sin(k x + w t + phase)``.

    Divergence-free by construction, with no flow through the floor or the ceiling (``wy = 0``
    there), periodic across ``BOX_X``:

    >>> import numpy as np
    >>> x = np.array([-3.0, -3.0 + 1e-4, -3.0]); y = np.array([2.0, 2.0, 2.0 + 1e-4])
    >>> wx, wy = currents(x, y, 10.0)
    >>> bool(abs((wx[1] - wx[0]) + (wy[2] - wy[0])) < 1e-9)  # div w = 0
    True
    >>> edges = np.array([BOX_Y[0], BOX_Y[1]])
    >>> bool(np.abs(currents(np.array([1.0, 1.0]), edges, 3.0)[1]).max() < 1e-12)
    True
    >>> a, b = currents(np.array([BOX_X[0], BOX_X[1]]), np.array([1.0, 1.0]), 7.0)
    >>> bool(np.allclose(a[0], a[1]) and np.allclose(b[0], b[1]))
    True
    """
    # in the points' own precision: the specks ask in float32, where the trig is many times
    # faster (and a current needs no more digits)
    x, y = np.asarray(x), np.asarray(y)
    dtype = np.result_type(x, y, np.float32)
    x, y = x.astype(dtype, copy=False), y.astype(dtype, copy=False)
    h = BOX_Y[1] - BOX_Y[0]
    span = BOX_X[1] - BOX_X[0]
    eta = (y - BOX_Y[0]) * (np.pi / h)
    s1, c1 = np.sin(eta), np.cos(eta)
    # sin and cos of n * eta from those of eta (the modes' few n), without more trig
    sn, cn = {1: s1}, {1: c1}
    for n in range(2, max(m[2] for m in MODES) + 1):
        sn[n] = sn[n - 1] * c1 + cn[n - 1] * s1
        cn[n] = cn[n - 1] * c1 - sn[n - 1] * s1
    wx = np.full(np.broadcast(x, eta).shape, DRAUGHT, dtype)
    wy = np.zeros_like(wx)
    for amp, waves, n, drift, phase in MODES:
        k = 2.0 * np.pi * waves / span
        th = k * (x - BOX_X[0]) + (drift * t + phase) % (2.0 * np.pi)
        s, c = np.sin(th), np.cos(th)
        wx += amp * (n * np.pi / h) * cn[n] * s
        wy -= amp * k * sn[n] * c
    return wx, wy


class DustField:
    """Thousands of specks, their slow drift, and the stirring of the air around moving things.

    ``eye`` is where the camera looks from (the picture's centre on the dancers' plane): a
    visitor's hand is matched to the specks as the screen shows them.
    """

    def __init__(self, count: int = 3000, seed: int = 0, eye: tuple[float, float] | None = None):
        rng = np.random.default_rng([seed, 0xD057])
        self.count = count
        # rows x and y (row-major, so each is contiguous for numpy)
        self.pos = np.vstack([rng.uniform(*BOX_X, count), rng.uniform(*BOX_Y, count)])
        self.prev = self.pos.copy()
        #: each speck's own velocity from a stir, on top of the air's, settling away
        self.vel = np.zeros_like(self.pos)
        self.wind = np.zeros_like(self.pos)
        self.depth = rng.uniform(*BOX_DEPTH, count).astype(np.float32)
        self.size = (rng.uniform(0.0, 1.0, count) ** 2 * 0.75 + 0.25).astype(np.float32)
        self.phase = rng.uniform(0.0, 2.0 * np.pi, count)
        self.spark = rng.uniform(0.6, 2.4, count)  # twinkle speed, radians per second
        self.gust = rng.uniform(0.6, 1.4, count)  # how much each speck catches the currents
        cam = Camera()
        self.eye = eye if eye is not None else (cam.x, cam.y)
        depth = self.depth.astype(np.float64)
        #: how much larger a speck's motion looks on the screen than the same on the dancers'
        #: plane; and the specks near that plane, the ones the dancers' limbs reach
        self._near = DANCER_DEPTH / depth
        self._plane = np.flatnonzero(np.abs(depth - DANCER_DEPTH) < STIR_DEPTH)
        self.t = 0.0
        self.steps = 0
        self._pending = 0.0
        self._falling = False
        self._movers: Arr | None = None
        self._pointer: tuple[float, float] | None = None
        self._hand_prev: tuple[float, float] | None = None

    # -- stepping ---------------------------------------------------------------------------
    def step(self, dt: float, air: Callable[[], AirInput] | None = None) -> int:
        """Let ``dt`` seconds pass; return the air steps taken.

        ``air`` is asked for the stirring points only when an air step actually happens.
        """
        self._pending += dt
        steps = 0
        while self._pending >= AIR_DT - 1e-9:
            self._pending -= AIR_DT
            points, fall = air() if air is not None else (np.zeros((0, 2)), 0.0)
            self._substep(points, fall)
            steps += 1
        return steps

    def stir(self, x: float, y: float) -> None:
        """A visitor's hand at world ``(x, y)`` meters on the dancers' plane (where the screen
        shows it): it stirs the dust under it, at every depth, from the next step on."""
        self._pointer = (float(x), float(y))

    def _currents(self, fall: float) -> None:
        """The slow air at each speck (:func:`currents`), each catching it by its own ``gust``;
        when the dust falls like stars the currents calm (evenly, so the air stays
        divergence-free) and each speck sinks at its own slow speed."""
        pos = self.pos.astype(np.float32)
        wx, wy = currents(pos[0], pos[1], self.t)
        calm = self.gust * (1.0 - FALL_CALM * fall)
        self.wind[0] = wx * calm
        self.wind[1] = wy * calm
        if fall > 0.0:
            lo, hi = FALL_SPEED
            self.wind[1] -= fall * (lo + (hi - lo) * self.size)
        self._falling = fall > 0.0

    def _substep(self, points: Arr, fall: float) -> None:
        dt = AIR_DT
        if self.steps % WIND_EVERY == 0:
            self._currents(fall)
        self.t += dt
        self.steps += 1
        self.prev[:] = self.pos
        # a stirred speck's own motion settles away; the air carries it all along
        self.vel *= SETTLE_KEEP
        self._stir(*self._limbs_now(points))
        self._stir_pointer()
        self.pos += (self.wind + self.vel) * dt
        self._wrap()

    def _limbs_now(self, points: Arr) -> tuple[Arr, Arr]:
        """The limbs' points and their velocities (m/s, on their planes) over the last air step."""
        prev, self._movers = self._movers, points
        if prev is not None and prev.shape == points.shape and len(points):
            return points, (points[:, :2] - prev[:, :2]) / AIR_DT
        return np.zeros((0, 2)), np.zeros((0, 2))

    def _stir_pointer(self) -> None:
        hand = self._pointer
        if hand is None:
            return
        last = self._hand_prev if self._hand_prev is not None else hand
        self._hand_prev = hand
        self._stir_hand(hand, ((hand[0] - last[0]) / AIR_DT, (hand[1] - last[1]) / AIR_DT))

    def _stir(self, points: Arr, vel: Arr) -> None:
        """The limbs: the specks near a dancer's plane within reach of her moving limb ends are
        dragged toward its velocity, more the nearer they are. A third column of ``points`` is
        each point's distance from the camera (m; without it, the dancers' home plane)."""
        if not len(points):
            return
        speed = np.hypot(vel[:, 0], vel[:, 1])
        fast = speed > STIR_MIN_SPEED
        if not fast.any():
            return
        pts, vel = points[fast], np.clip(vel[fast], -4.0, 4.0)
        if pts.shape[1] < 3:
            self._stir_plane(self._plane, pts, vel)
            return
        for dist in np.unique(pts[:, 2]).tolist():
            on = pts[:, 2] == dist
            if abs(dist - DANCER_DEPTH) < 1e-9:
                plane = self._plane
            else:
                plane = np.flatnonzero(np.abs(self.depth - dist) < STIR_DEPTH)
            self._stir_plane(plane, pts[on, :2], vel[on])

    def _stir_plane(self, plane: NDArray[np.intp], pts: Arr, vel: Arr) -> None:
        """:meth:`_stir` for the specks ``plane`` (indices) and the points on their plane."""
        if not len(plane):
            return
        r = STIR_RADIUS
        lo, hi = pts.min(axis=0) - r, pts.max(axis=0) + r
        x, y = self.pos[0, plane], self.pos[1, plane]
        inside = np.flatnonzero((x > lo[0]) & (x < hi[0]) & (y > lo[1]) & (y < hi[1]))
        if not len(inside):
            return
        near = plane[inside]
        dx = x[inside, None] - pts[None, :, 0]  # (k, m)
        dy = y[inside, None] - pts[None, :, 1]
        w = np.maximum(1.0 - (dx * dx + dy * dy) / (r * r), 0.0)
        w *= w
        total = w.sum(axis=1)
        carried = (w @ vel) / np.maximum(total, 1e-9)[:, None]
        pull = (STIR_GAIN * np.minimum(total, 1.0))[:, None]
        self._drag(near, carried, pull)

    def _stir_hand(self, hand: tuple[float, float], v: tuple[float, float]) -> None:
        """The hand: the specks that the screen shows under it, whatever their depth, take its
        motion as the screen shows it (a speck further away moves further in the room to keep up)
        and curl around it."""
        vx, vy = np.clip(v, -4.0, 4.0)
        speed = float(np.hypot(vx, vy))
        if speed <= STIR_MIN_SPEED:
            return
        ex, ey = self.eye
        near = self._near
        # where each speck is on the screen, as a point of the dancers' plane
        sx = ex + (self.pos[0] - ex) * near
        sy = ey + (self.pos[1] - ey) * near
        dx, dy = sx - hand[0], sy - hand[1]
        r = HAND_RADIUS
        d2 = dx * dx + dy * dy
        idx = np.flatnonzero(d2 < r * r)
        if not len(idx):
            return
        dx, dy, d2 = dx[idx], dy[idx], d2[idx]
        w = (1.0 - d2 / (r * r)) ** 2
        # the swirl: either side of the hand's path the dust turns back into its wake
        side = np.sign(dx * vy - dy * vx)
        dist = np.sqrt(d2) + 1e-6
        tx, ty = -dy / dist * side, dx / dist * side
        bend = HAND_SWIRL * speed * np.sin(np.pi * np.minimum(dist / r, 1.0))
        # on screen; in the room, further specks move further to look the same
        scale = 1.0 / near[idx]
        carried = np.stack([(vx - tx * bend) * scale, (vy - ty * bend) * scale], axis=1)
        self._drag(idx, carried, (HAND_GAIN * w)[:, None])

    def _drag(self, idx: NDArray[np.intp], carried: Arr, pull: Arr) -> None:
        """Pull the specks ``idx`` toward moving at ``carried`` (m/s) by ``pull`` (0..1)."""
        total = self.vel[:, idx].T + self.wind[:, idx].T
        self.vel[:, idx] += (pull * (carried - total)).T

    def _wrap(self) -> None:
        """Across the studio the air is periodic: a speck leaving one side comes back at the
        other. The floor and the ceiling hold the dust (a stirred speck bounces back in), except
        when it falls like stars: then what reaches the floor comes back in from the top."""
        x, y = self.pos[0], self.pos[1]
        if (
            x.min() >= BOX_X[0]
            and x.max() <= BOX_X[1]
            and y.min() >= BOX_Y[0]
            and y.max() <= BOX_Y[1]
        ):
            return
        side = np.flatnonzero((x < BOX_X[0]) | (x > BOX_X[1]))
        x[side] = (x[side] - BOX_X[0]) % (BOX_X[1] - BOX_X[0]) + BOX_X[0]
        self.prev[:, side] = self.pos[:, side]  # no streak across the room when a speck wraps
        low = np.flatnonzero(y < BOX_Y[0])
        high = np.flatnonzero(y > BOX_Y[1])
        if self._falling:
            out = np.concatenate([low, high])
            y[out] = (y[out] - BOX_Y[0]) % (BOX_Y[1] - BOX_Y[0]) + BOX_Y[0]
            self.prev[:, out] = self.pos[:, out]
        else:
            y[low] = np.minimum(2 * BOX_Y[0] - y[low], BOX_Y[1])
            y[high] = np.maximum(2 * BOX_Y[1] - y[high], BOX_Y[0])
            self.vel[1, low] = np.abs(self.vel[1, low])
            self.vel[1, high] = -np.abs(self.vel[1, high])

    # -- reading ----------------------------------------------------------------------------
    def positions(self) -> NDArray[np.float32]:
        """Where the specks are now, between the last two air steps.

        >>> d = DustField(count=4, seed=1)
        >>> d.positions().shape, d.positions().dtype.name
        ((4, 2), 'float32')
        """
        a = min(max(self._pending / AIR_DT, 0.0), 1.0)
        return (self.prev + (self.pos - self.prev) * a).T.astype(np.float32)

    def twinkle(self, t: float) -> NDArray[np.float32]:
        """Each speck's glint at time ``t``: mostly low, with brief bright peaks.

        >>> b = DustField(count=100, seed=0).twinkle(3.0)
        >>> bool(b.min() >= 0.0 and b.max() <= 1.0)
        True
        """
        s = 0.5 + 0.5 * np.sin(self.spark * t + self.phase)
        return (0.25 + 0.75 * s**3).astype(np.float32)
