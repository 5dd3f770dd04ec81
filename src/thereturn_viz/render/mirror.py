"""The mirror wall: both dancers reflected where perspective puts them, and the presence.

Reflections are the same figures seen at ``REFLECTION_DEPTH`` (smaller, higher toward the
vanishing line), dimmer and cooler. Each mirror panel hangs a hair out of true, so a reflection
crossing a seam breaks very slightly. The presence is drawn here and only here: it is never in
the room.
"""

from __future__ import annotations

import math

import pygame

from ..state import DancerState, Segment
from .camera import REFLECTION_DEPTH, View
from .figures import Palette, figure_sprite
from .studio import PANELS, mirror_rect, panel_edges

#: How far (design pixels at 1080p) each panel's image is out of true, left to right.
PANEL_SHIFT: tuple[tuple[float, float], ...] = (
    (0.0, 0.0),
    (1.0, -0.5),
    (-0.5, 0.5),
    (0.5, 1.0),
    (-1.0, 0.0),
    (0.5, -1.0),
    (0.0, 0.5),
    (-0.5, -0.5),
)
assert len(PANEL_SHIFT) == PANELS

#: The presence: a standing figure with open arms (meters, feet at the origin).
# fmt: off
PRESENCE: tuple[Segment, ...] = (
    Segment("pelvis", (0.0, 0.9), (0.0, 1.07), 0.11, 0.1),
    Segment("chest", (0.0, 1.07), (0.0, 1.42), 0.1, 0.12),
    Segment("neck", (0.0, 1.42), (0.0, 1.5), 0.045, 0.045),
    Segment("head", (0.0, 1.5), (0.0, 1.7), 0.085, 0.075),
    Segment("l_upper_arm", (-0.16, 1.4), (-0.42, 1.5), 0.05, 0.04),
    Segment("l_forearm", (-0.42, 1.5), (-0.67, 1.63), 0.04, 0.03),
    Segment("l_hand", (-0.67, 1.63), (-0.8, 1.69), 0.03, 0.02),
    Segment("r_upper_arm", (0.16, 1.4), (0.42, 1.5), 0.05, 0.04),
    Segment("r_forearm", (0.42, 1.5), (0.67, 1.63), 0.04, 0.03),
    Segment("r_hand", (0.67, 1.63), (0.8, 1.69), 0.03, 0.02),
    Segment("l_thigh", (-0.08, 0.93), (-0.1, 0.5), 0.08, 0.055),
    Segment("l_shin", (-0.1, 0.5), (-0.11, 0.07), 0.05, 0.035),
    Segment("l_foot", (-0.11, 0.07), (-0.19, 0.0), 0.03, 0.02),
    Segment("r_thigh", (0.08, 0.93), (0.1, 0.5), 0.08, 0.055),
    Segment("r_shin", (0.1, 0.5), (0.11, 0.07), 0.05, 0.035),
    Segment("r_foot", (0.11, 0.07), (0.19, 0.0), 0.03, 0.02),
)
# fmt: on


def blit_in_panels(
    out: pygame.Surface, sprite: pygame.Surface, pos: tuple[int, int], view: View
) -> None:
    """Blit a reflection panel by panel, each panel's piece shifted by its slight misalignment."""
    edges = panel_edges(view)
    w = sprite.get_width()
    unit = 2.0 * view.px * view.camera.zoom
    for i in range(PANELS):
        left = max(0, math.floor(edges[i]) - pos[0])
        right = min(w, math.floor(edges[i + 1]) - pos[0])
        if right <= left:
            continue
        dx, dy = PANEL_SHIFT[i]
        area = pygame.Rect(left, 0, right - left, sprite.get_height())
        dest = (pos[0] + left + round(dx * unit), pos[1] + round(dy * unit))
        out.blit(sprite, dest, area)


class Presence:
    """The third silhouette: a soft glow of pale light, pre-rendered per scale."""

    def __init__(self) -> None:
        self._cache: tuple[float, pygame.Surface, tuple[int, int]] | None = None

    def sprite(self, scale: float) -> tuple[pygame.Surface, tuple[int, int]] | None:
        key = round(scale, 2)
        if self._cache is None or self._cache[0] != key:
            ghost = DancerState("presence", 1.0, 1.0, PRESENCE, {})
            made = figure_sprite(
                ghost,
                lambda x, y: (x * scale, -y * scale),
                scale,
                Palette((150, 160, 178), (150, 160, 178), shaded=False),
                gown=False,
            )
            if made is None:
                return None
            core, (x0, y0) = made
            pad = max(4, round(scale * 0.12))
            w, h = core.get_width() + 2 * pad, core.get_height() + 2 * pad
            canvas = pygame.Surface((w, h))
            canvas.blit(core, (pad, pad))
            # the glow: the figure blurred by scaling it down and up again, under a faint core
            # a faint, soft figure: a wide glow, a softer one, and only a trace of the core
            small = pygame.transform.smoothscale(canvas, (max(1, w // 6), max(1, h // 6)))
            glow = pygame.transform.smoothscale(small, (w, h))
            mid = pygame.transform.smoothscale(
                pygame.transform.smoothscale(canvas, (max(1, w // 2), max(1, h // 2))), (w, h)
            )
            mid.fill((120, 120, 120), special_flags=pygame.BLEND_MULT)
            canvas.fill((40, 40, 40), special_flags=pygame.BLEND_MULT)
            glow.blit(mid, (0, 0), special_flags=pygame.BLEND_ADD)
            glow.blit(canvas, (0, 0), special_flags=pygame.BLEND_ADD)
            glow.fill((92, 97, 110), special_flags=pygame.BLEND_MULT)
            self._cache = (key, glow, (x0 - pad, y0 - pad))
        return self._cache[1], self._cache[2]

    def draw(self, out: pygame.Surface, view: View, x: float, opacity: float) -> None:
        scale = view.depth_scale(REFLECTION_DEPTH + 0.6)
        made = self.sprite(scale)
        if made is None or opacity <= 0.0:
            return
        glow, (ox, oy) = made
        sx, sy = view.to_screen(x, 0.0, REFLECTION_DEPTH + 0.6)
        faded = glow.copy()
        v = round(255 * min(opacity, 1.0))
        faded.fill((v, v, v), special_flags=pygame.BLEND_MULT)
        out.blit(faded, (round(sx + ox), round(sy + oy)), special_flags=pygame.BLEND_ADD)


def clip_to_mirror(out: pygame.Surface, view: View) -> pygame.Rect:
    r = mirror_rect(view).clip(out.get_rect())
    out.set_clip(r)
    return r
