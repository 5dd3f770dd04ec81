"""The fixed-step loop shared by the player, the kiosk and export.

Physics and air advance on their own 120 Hz step (see :mod:`..performance`); the picture is drawn
at whatever rate the caller asks, interpolated between the last two steps. In real time at most
``MAX_STEPS`` are taken per frame; beyond that the time is dropped rather than spiralling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ..performance import Performance
from ..render.camera import DANCER_DEPTH, View
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

    def stir(self, event: pygame.event.Event) -> None:
        """A visitor's pointer or finger moving over the picture stirs the dust where it is."""
        w, h = self.renderer.size
        if event.type == pygame.MOUSEMOTION:
            px, py = event.pos
        elif event.type in (pygame.FINGERMOTION, pygame.FINGERDOWN):
            px, py = event.x * w, event.y * h  # fingers come normalised to 0..1
        else:
            return
        if self.last is None:
            return
        view = View(w, h, self.last.camera)
        s = view.depth_scale(DANCER_DEPTH)
        cam = self.last.camera
        self.performance.stir(cam.x + (px - w / 2) / s, cam.y - (py - h / 2) / s)
