"""The stage: the pymunk space, the floor, both figures and the contacts between them."""

from __future__ import annotations

import numpy as np
import pymunk
from numpy.typing import NDArray

from ..show.choreography import Choreography, Targets
from .dancer import FLOOR_CATEGORY, Dancer

STEP_HZ = 120
DT = 1.0 / STEP_HZ


class Stage:
    """Both dancers in one space. Built fresh from the choreography: never restored from a copy."""

    def __init__(self, choreography: Choreography) -> None:
        self.choreography = choreography
        self.space = pymunk.Space()
        self.space.gravity = (0.0, -9.81)
        self.space.iterations = 12
        floor = pymunk.Segment(self.space.static_body, (-30.0, -0.5), (30.0, -0.5), 0.5)
        floor.friction = 1.0
        floor.filter = pymunk.ShapeFilter(categories=FLOOR_CATEGORY)
        self.space.add(floor)
        self.step_index = 0
        self.dancers: dict[str, Dancer] = {}
        for n, (name, script) in enumerate(choreography.dancers.items()):
            first = script.sample(0.0)
            self.dancers[name] = Dancer(
                self.space,
                name,
                script.height,
                group=n + 1,
                category=0b10 << n,
                angles_deg=first.angles[0],
                x=float(first.x[0]),
                facing=float(first.facing[0]),
            )
        self._targets: dict[str, Targets] = {}
        self.errors: dict[str, float] = {name: 0.0 for name in self.dancers}

    @property
    def t(self) -> float:
        return self.step_index * DT

    def prepare(self, n_steps: int) -> None:
        """Sample every dancer's targets for the next ``n_steps`` in one vectorised pass."""
        times = (self.step_index + 1 + np.arange(n_steps, dtype=np.float64)) * DT
        self._targets = {
            name: self.choreography.dancers[name].sample(times) for name in self.dancers
        }
        self._offset = self.step_index + 1

    def step(self) -> None:
        k = self.step_index + 1 - getattr(self, "_offset", 0)
        if not self._targets or k < 0 or k >= len(next(iter(self._targets.values())).x):
            self.prepare(STEP_HZ)
            k = 0
        for name, dancer in self.dancers.items():
            tg = self._targets[name]
            dancer.steer(
                tg.angles[k], float(tg.x[k]), float(tg.facing[k]), float(tg.stiffness[k]), DT
            )
        self.space.step(DT)
        self.step_index += 1
        for name, dancer in self.dancers.items():
            tg = self._targets[name]
            if not dancer.healthy():
                dancer.reset(tg.angles[k], float(tg.x[k]), float(tg.facing[k]))
            self.errors[name] = dancer.tracking_error_deg(tg.angles[k], float(tg.facing[k]))

    def skip(self, n_steps: int) -> None:
        """Move the clock on without simulating (time dropped by a loop that fell behind)."""
        self.step_index += n_steps
        self._targets = {}

    def snapshot(self) -> dict[str, NDArray[np.float64]]:
        return {name: d.snapshot() for name, d in self.dancers.items()}
