"""The fixed-step loop shared by the player, the kiosk and export.

Physics and air advance on their own 120 Hz step (see :mod:`..performance`); the picture is drawn
at whatever rate the caller asks, interpolated between the last two steps. In real time at most
``MAX_STEPS`` are taken per frame; beyond that the time is dropped rather than spiralling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ..performance import Performance
from ..render.compositor import Renderer
from ..state import FrameState

MAX_STEPS = 8


@dataclass
class Scene:
    """One performance and one renderer: the thing every entry point advances and draws."""

    performance: Performance
    renderer: Renderer
    film: bool = True
    last: FrameState | None = field(default=None)

    def frame(self, t: float, realtime: bool = False) -> pygame.Surface:
        self.performance.advance_to(t, MAX_STEPS if realtime else None)
        self.last = self.performance.frame_state(t, film=self.film)
        return self.renderer.draw(self.last)
