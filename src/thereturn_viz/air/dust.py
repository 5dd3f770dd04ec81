"""Dust: seeded particles drifting on slow air currents, stirred by what moves through the air.

The air is stepped on its own coarse clock (``AIR_DT``, slower than the physics) so that seeking
from t = 0 through the whole piece stays cheap; the picture interpolates between the last two air
steps, so the dust still glides at any frame rate. Everything here is numpy, seeded, and a pure
function of the steps it has been given: the same stirring gives the same dust.

Things that stir the air are given as points (meters) each air step; the air takes their velocity
from how far each point moved since the previous step. The dancers' limbs come from the
performance; a visitor's hand comes through :meth:`DustField.stir`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

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
#: Limbs slower than this (m/s) leave the air alone.
STIR_MIN_SPEED = 0.15
#: Seconds for stirred dust to settle back onto the slow currents.
SETTLE_SECONDS = 1.6
#: Cells (x, y) of the grid the slow currents are evaluated on.
GRID = (64, 20)
#: Air steps between refreshes of the slow currents.
WIND_EVERY = 3
SETTLE_KEEP = float(np.exp(-AIR_DT / SETTLE_SECONDS))
#: Falling speed (m/s) of the dust at full fall (``pan_out``), by particle size.
FALL_SPEED = (0.05, 0.13)

#: What the air needs from the piece at one air step: the points that stir it, and how much the
#: dust falls (0 drifting ... 1 falling like stars).
AirInput = tuple[Arr, float]


class DustField:
    """Thousands of specks, their slow drift, and the stirring of the air around moving things."""

    def __init__(self, count: int = 3000, seed: int = 0) -> None:
        rng = np.random.default_rng([seed, 0xD057])
        self.count = count
        # rows x and y (row-major, so each is contiguous for numpy)
        self.pos = np.vstack([rng.uniform(*BOX_X, count), rng.uniform(*BOX_Y, count)])
        self.prev = self.pos.copy()
        self.vel = np.zeros_like(self.pos)
        self.wind = np.zeros_like(self.pos)
        self.depth = rng.uniform(*BOX_DEPTH, count).astype(np.float32)
        self.size = (rng.uniform(0.0, 1.0, count) ** 2 * 0.75 + 0.25).astype(np.float32)
        self.phase = rng.uniform(0.0, 2.0 * np.pi, count)
        self.spark = rng.uniform(0.6, 2.4, count)  # twinkle speed, radians per second
        self.gust = rng.uniform(0.6, 1.4, count)  # how much each speck catches the currents
        self._grid_x = np.linspace(*BOX_X, GRID[0])
        self._grid_y = np.linspace(*BOX_Y, GRID[1])
        self.t = 0.0
        self.steps = 0
        self._pending = 0.0
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
        """A visitor's hand at world ``(x, y)`` meters: it stirs the air from the next step on."""
        self._pointer = (float(x), float(y))

    def _currents(self, fall: float) -> None:
        """The slow air: a divergence-free field from a stream function, two gentle modes.

        It changes slowly in space and time, so it is evaluated on a coarse grid every few air
        steps and each speck reads its cell.
        """
        gx, gy, t = self._grid_x, self._grid_y, self.t
        # each mode is a product of a function of x and one of y: trig on the axes only
        sa1, ca1 = np.sin(0.55 * gx + 0.07 * t), np.cos(0.55 * gx + 0.07 * t)
        sa2, ca2 = np.sin(0.8 * gy), np.cos(0.8 * gy)
        sb1, cb1 = np.sin(0.9 * gx - 0.05 * t + 1.3), np.cos(0.9 * gx - 0.05 * t + 1.3)
        sb2, cb2 = np.sin(0.45 * gy + 0.04 * t), np.cos(0.45 * gy + 0.04 * t)
        wx = 0.05 * np.outer(ca2, sa1) + 0.035 * np.outer(cb2, cb1) + 0.012
        wy = -0.034 * np.outer(sa2, ca1) + 0.016 * np.outer(sb2, sb1)
        x, y = self.pos[0], self.pos[1]
        ix = ((x - BOX_X[0]) * (GRID[0] / (BOX_X[1] - BOX_X[0]))).astype(np.intp)
        iy = ((y - BOX_Y[0]) * (GRID[1] / (BOX_Y[1] - BOX_Y[0]))).astype(np.intp)
        cell = np.clip(iy, 0, GRID[1] - 1) * GRID[0] + np.clip(ix, 0, GRID[0] - 1)
        self.wind[0] = wx.ravel()[cell] * self.gust
        self.wind[1] = wy.ravel()[cell] * self.gust
        if fall > 0.0:
            lo, hi = FALL_SPEED
            self.wind[0] *= 1.0 - 0.6 * fall
            self.wind[1] *= 1.0 - 0.7 * fall
            self.wind[1] -= fall * (lo + (hi - lo) * self.size)

    def _substep(self, points: Arr, fall: float) -> None:
        dt = AIR_DT
        if self.steps % WIND_EVERY == 0:
            self._currents(fall)
        self.t += dt
        self.steps += 1
        self.prev[:] = self.pos
        # stirred dust settles back onto the currents
        self.vel -= self.wind
        self.vel *= SETTLE_KEEP
        self.vel += self.wind
        self._stir(*self._movers_now(points))
        self.pos += self.vel * dt
        self._wrap()

    def _movers_now(self, points: Arr) -> tuple[Arr, Arr]:
        """The stirring points and their velocities (m/s) over the last air step."""
        prev, self._movers = self._movers, points
        pts: list[Arr] = []
        vels: list[Arr] = []
        if prev is not None and prev.shape == points.shape and len(points):
            pts.append(points)
            vels.append((points - prev) / AIR_DT)
        hand = self._pointer
        if hand is not None:
            last = self._hand_prev if self._hand_prev is not None else hand
            pts.append(np.asarray([hand]))
            vels.append(np.asarray([[(hand[0] - last[0]) / AIR_DT, (hand[1] - last[1]) / AIR_DT]]))
            self._hand_prev = hand
        if not pts:
            return np.zeros((0, 2)), np.zeros((0, 2))
        return np.vstack(pts), np.vstack(vels)

    def _stir(self, points: Arr, vel: Arr) -> None:
        if not len(points):
            return
        speed = np.hypot(vel[:, 0], vel[:, 1])
        fast = speed > STIR_MIN_SPEED
        if not fast.any():
            return
        pts, vel = points[fast], np.clip(vel[fast], -4.0, 4.0)
        r = STIR_RADIUS
        lo, hi = pts.min(axis=0) - r, pts.max(axis=0) + r
        x, y = self.pos[0], self.pos[1]
        near = np.flatnonzero((x > lo[0]) & (x < hi[0]) & (y > lo[1]) & (y < hi[1]))
        if not len(near):
            return
        dx = x[near, None] - pts[None, :, 0]  # (k, m)
        dy = y[near, None] - pts[None, :, 1]
        w = np.maximum(1.0 - (dx * dx + dy * dy) / (r * r), 0.0)
        w *= w
        # the dust near a limb is dragged toward the limb's velocity, more the nearer it is
        total = w.sum(axis=1)
        carried = (w @ vel) / np.maximum(total, 1e-9)[:, None]
        pull = (STIR_GAIN * np.minimum(total, 1.0))[:, None]
        vnear = self.vel[:, near].T
        self.vel[:, near] = (vnear + pull * (carried - vnear)).T

    def _wrap(self) -> None:
        x, y = self.pos[0], self.pos[1]
        if (
            x.min() >= BOX_X[0]
            and x.max() <= BOX_X[1]
            and y.min() >= BOX_Y[0]
            and y.max() <= BOX_Y[1]
        ):
            return
        out = np.flatnonzero((x < BOX_X[0]) | (x > BOX_X[1]) | (y < BOX_Y[0]) | (y > BOX_Y[1]))
        x[out] = (x[out] - BOX_X[0]) % (BOX_X[1] - BOX_X[0]) + BOX_X[0]
        y[out] = (y[out] - BOX_Y[0]) % (BOX_Y[1] - BOX_Y[0]) + BOX_Y[0]
        self.prev[:, out] = self.pos[:, out]  # no streak across the room when a speck wraps

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
