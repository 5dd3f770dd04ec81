"""The static room, drawn once per size and cached: wall, mirror panels, barre, windows, floor."""

from __future__ import annotations

import pygame

from ..state import Camera
from .camera import MIRROR_DEPTH, View

WALL = (38, 32, 30)
MIRROR = (52, 56, 62)
SEAM = (24, 22, 22)
FLOOR_NEAR = (92, 62, 40)
FLOOR_FAR = (60, 42, 30)
BARRE = (120, 96, 70)


def draw_room(size: tuple[int, int], camera: Camera) -> pygame.Surface:
    w, h = size
    view = View(w, h, camera)
    surf = pygame.Surface(size)
    surf.fill(WALL)
    # the mirror wall: panels from the floor to 3 m, seams between them
    left, top = view.to_screen(-6.0, 3.0, MIRROR_DEPTH)
    right, bottom = view.to_screen(6.0, 0.0, MIRROR_DEPTH)
    pygame.draw.rect(surf, MIRROR, pygame.Rect(left, top, right - left, bottom - top))
    for i in range(1, 8):
        sx = left + (right - left) * i / 8
        pygame.draw.line(surf, SEAM, (sx, top), (sx, bottom), max(1, round(2 * view.px)))
    # the floor, from the foot of the mirror to the bottom of the picture
    for row in range(int(bottom), h):
        u = (row - bottom) / max(1, h - bottom)
        col = tuple(int(f + (n - f) * u) for f, n in zip(FLOOR_FAR, FLOOR_NEAR, strict=True))
        pygame.draw.line(surf, col, (0, row), (w, row))
    # the barre, a metre above the floor in front of the mirror
    bl, by = view.to_screen(-6.0, 1.0, MIRROR_DEPTH - 0.3)
    br, _ = view.to_screen(6.0, 1.0, MIRROR_DEPTH - 0.3)
    pygame.draw.line(surf, BARRE, (bl, by), (br, by), max(1, round(5 * view.px)))
    return surf
