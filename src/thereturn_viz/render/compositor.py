"""Stacks the layers of the picture: room, mirror, light, figures, dust, fade."""

from __future__ import annotations

import time

import pygame

from ..state import DancerState, FrameState
from .camera import DANCER_DEPTH, REFLECTION_DEPTH, View
from .figures import draw_figure
from .studio import draw_room

LEAD = (26, 22, 24)
PARTNER = (214, 200, 186)


class Renderer:
    """Draws FrameStates at one size; caches what does not change between frames."""

    def __init__(self, size: tuple[int, int]) -> None:
        if size[0] < 16 or size[1] < 16:
            raise ValueError(f"picture size {size[0]}x{size[1]} is too small (16x16 at least)")
        self.size = size
        self._room: dict[float, pygame.Surface] = {}
        self.frame = pygame.Surface(size)
        #: seconds spent in each layer by the last :meth:`draw`, read by ``bench``
        self.timings: dict[str, float] = {}

    def room(self, view: View) -> pygame.Surface:
        key = round(view.camera.zoom, 3)
        if key not in self._room:
            if len(self._room) > 64:
                self._room.clear()
            self._room[key] = draw_room(self.size, view.camera)
        return self._room[key]

    def draw(self, fs: FrameState) -> pygame.Surface:
        view = View(self.size[0], self.size[1], fs.camera)
        out = self.frame
        clock = time.perf_counter
        t0 = clock()
        out.blit(self.room(view), (0, 0))
        t1 = clock()
        for d in fs.dancers:
            self._dancer(out, view, d, REFLECTION_DEPTH, reflection=True)
        t2 = clock()
        for d in fs.dancers:
            self._dancer(out, view, d, DANCER_DEPTH, reflection=False)
        t3 = clock()
        if fs.fade < 1.0:
            shade = pygame.Surface(self.size)
            shade.set_alpha(round(255 * (1.0 - fs.fade)))
            out.blit(shade, (0, 0))
        t4 = clock()
        self.timings = {"studio": t1 - t0, "mirror": t2 - t1, "figures": t3 - t2, "fade": t4 - t3}
        return out

    def _dancer(
        self, out: pygame.Surface, view: View, d: DancerState, depth: float, reflection: bool
    ) -> None:
        if d.visible <= 0.0:
            return
        base = LEAD if d.name == "lead" else PARTNER
        if reflection:
            base = tuple(int(c * 0.55) for c in base)  # type: ignore[assignment]
        scale = view.depth_scale(depth)
        draw_figure(out, d.segments, lambda x, y: view.to_screen(x, y, depth), scale, base)
