"""The dust's glints: specks of light where the dust crosses a shaft, almost nothing elsewhere.

Every speck is one pre-rendered soft dot (by size and brightness) blitted additively, in two
``fblits`` calls: the specks beyond the dancers before the figures (hidden where a figure passes
in front), the nearer ones after. Thousands cost a fraction of a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame
from numpy.typing import NDArray

from ..state import Dust
from .camera import DANCER_DEPTH, MIRROR_DEPTH, View
from .light import ShaftTable, light_color
from .pixels import opaque

#: Brightness steps and dot radii (design pixels at 1080p, before the speck's own size), and
#: the sizes (as seen) where one radius gives way to the next.
LEVELS = 14
RADII = (0.9, 1.5, 2.3, 3.3)
_CLASSES = np.array([0.45, 0.75, 1.05])
#: How much a speck shows outside the light, and inside it. Outside, the dust all but vanishes:
#: only the largest motes (``MOTE`` and up, a few in a hundred) catch enough of the room's light
#: to show, faintly, at the peak of their twinkle.
OUTSIDE = 0.075
MOTE = 0.85
INSIDE = 1.25


def _dot(radius: float, color: tuple[float, float, float], level: float) -> pygame.Surface:
    r = max(1, int(np.ceil(radius * 2.2)))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1].astype(np.float64)
    d2 = (xx * xx + yy * yy) / max(radius * radius, 0.25)
    prof = np.exp(-d2 * 1.6) + 0.25 * np.exp(-d2 * 0.35)
    rgb = np.clip(prof[..., None] * np.array(color) * 255.0 * level, 0, 255).astype(np.uint8)
    return opaque(rgb)


class DustLayer:
    """The dust's glints, drawn from the renderer's table of the shafts; keeps the dots for the
    size and light of the moment."""

    def __init__(self, shafts: ShaftTable) -> None:
        self._shafts = shafts
        self._key: tuple[int, int] | None = None
        self._dots: list[pygame.Surface] = []
        self._half: NDArray[np.intp] = np.zeros(0, np.intp)

    def _sprites(self, unit: float, mix: float) -> None:
        key = (round(unit * 20), round(mix * 8))
        if key == self._key:
            return
        tint = light_color(key[1] / 8)
        warm = tuple(min(1.0, 0.35 + 0.75 * c) for c in tint)
        self._dots = []
        for r in RADII:
            for lv in range(LEVELS):
                dot = _dot(r * key[0] / 20, warm, (lv + 1) / LEVELS)  # type: ignore[arg-type]
                self._dots.append(dot)
        self._half = np.array([d.get_width() // 2 for d in self._dots], np.intp)
        self._key = key

    def prepare(
        self,
        view: View,
        dust: Dust,
        mix: float,
        clear: Sequence[tuple[float, float, float, float]] = (),
    ) -> Glints:
        """Which specks glint this frame, with which dot and where, and how far away (so each
        passes behind the figures beyond it and in front of those nearer: :meth:`draw`)."""
        n = len(dust.xy)
        if n == 0:
            return Glints.none()
        unit = view.px * view.camera.zoom
        self._sprites(max(unit, 0.05), mix)
        cam = view.camera
        depth = (
            dust.depth.astype(np.float64)
            if dust.depth is not None
            else np.full(n, DANCER_DEPTH, np.float64)
        )
        # along each speck's line of sight, per meter of depth: the wall and the screen both
        near = 1.0 / depth
        ax = (dust.xy[:, 0] - cam.x) * near
        ay = (dust.xy[:, 1] - cam.y) * near
        xw, yw = cam.x + ax * MIRROR_DEPTH, cam.y + ay * MIRROR_DEPTH
        lit = INSIDE * self._shafts.at(xw, yw, mix) + OUTSIDE * (dust.size >= MOTE)
        glow = dust.brightness.astype(np.float64) * lit
        k = view.scale * DANCER_DEPTH
        sx_all = view.width / 2 + ax * k
        sy_all = view.height / 2 - ay * k
        for cx, cy, r, strength in clear:
            # a face that matters: the glitter thins over it (most in its middle)
            d2 = ((sx_all - cx) ** 2 + (sy_all - cy) ** 2) / (r * r)
            glow = glow * (1.0 - strength * np.clip(1.0 - d2, 0.0, 1.0) ** 0.5)
        level = np.minimum((glow * LEVELS).astype(np.intp), LEVELS)
        # only the specks that glint go further (a few hundred of the thousands)
        idx = np.flatnonzero(level > 0)
        sx, sy = sx_all[idx], sy_all[idx]
        on = (sx > -8) & (sx < view.width + 8) & (sy > -8) & (sy < view.height + 8)
        idx, sx, sy = idx[on], sx[on], sy[on]
        if not len(idx):
            return Glints.none()
        size = dust.size[idx] * (DANCER_DEPTH * near[idx])
        cls = np.clip(np.searchsorted(_CLASSES, size), 0, len(RADII) - 1)
        sprite = cls * LEVELS + level[idx] - 1
        half = self._half[sprite]
        px = (sx + 0.5).astype(np.intp) - half
        py = (sy + 0.5).astype(np.intp) - half
        return Glints(sprite, px, py, depth[idx])

    def draw(self, out: pygame.Surface, glints: Glints, near: float, far: float) -> int:
        """Blit the glints further than ``near`` and no further than ``far`` (meters from the
        camera): the dust between two figures goes between them. Return how many."""
        pick = (glints.depth > near) & (glints.depth <= far)
        sprite, px, py = glints.sprite[pick], glints.px[pick], glints.py[pick]
        if len(sprite):
            dots = map(self._dots.__getitem__, sprite.tolist())
            at = zip(px.tolist(), py.tolist(), strict=True)
            out.fblits(zip(dots, at, strict=True), pygame.BLEND_ADD)
        return len(sprite)


@dataclass(frozen=True)
class Glints:
    """The specks that show in one frame: their dot, top-left corner, and distance from the
    camera (m)."""

    sprite: NDArray[np.intp]
    px: NDArray[np.intp]
    py: NDArray[np.intp]
    depth: NDArray[np.float64]

    @staticmethod
    def none() -> Glints:
        z = np.zeros(0, np.intp)
        return Glints(z, z, z, np.zeros(0, np.float64))

    def __len__(self) -> int:
        return len(self.sprite)
