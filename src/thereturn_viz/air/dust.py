"""Dust: seeded particles drifting on slow air currents, stirred by what moves through the air."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: The volume of air the dust lives in (meters): the studio in front of the mirror.
BOX_X = (-7.0, 7.0)
BOX_Y = (0.05, 4.2)


class DustField:
    def __init__(self, count: int = 2400, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.count = count
        self.xy = np.column_stack([rng.uniform(*BOX_X, count), rng.uniform(*BOX_Y, count)]).astype(
            np.float64
        )
        self.vel = np.zeros_like(self.xy)
        self.phase = rng.uniform(0, 2 * np.pi, count)
        self.size = rng.uniform(0.4, 1.0, count).astype(np.float32)
        self.t = 0.0

    def step(self, dt: float) -> None:
        self.t += dt
        x, y = self.xy[:, 0], self.xy[:, 1]
        wind_x = 0.05 * np.sin(0.35 * y + 0.11 * self.t) + 0.02
        wind_y = 0.03 * np.sin(0.4 * x + 0.07 * self.t + self.phase) - 0.004
        self.vel += (np.column_stack([wind_x, wind_y]) - self.vel) * min(1.0, 0.8 * dt)
        self.xy += self.vel * dt
        span_x = BOX_X[1] - BOX_X[0]
        self.xy[:, 0] = (self.xy[:, 0] - BOX_X[0]) % span_x + BOX_X[0]
        span_y = BOX_Y[1] - BOX_Y[0]
        self.xy[:, 1] = (self.xy[:, 1] - BOX_Y[0]) % span_y + BOX_Y[0]

    def twinkle(self, t: float) -> NDArray[np.float32]:
        return (0.6 + 0.4 * np.sin(3.0 * t + self.phase * 7.0)).astype(np.float32)
