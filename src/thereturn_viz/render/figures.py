"""The dancers as filled silhouettes: each segment a tapered capsule."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import pygame

from ..state import Segment

ToScreen = Callable[[float, float], tuple[float, float]]


def capsule(a: tuple[float, float], b: tuple[float, float], ra: float, rb: float) -> list:
    """The outline of a tapered capsule between two screen points (polygon, without end caps)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / n, dx / n
    return [
        (a[0] + nx * ra, a[1] + ny * ra),
        (b[0] + nx * rb, b[1] + ny * rb),
        (b[0] - nx * rb, b[1] - ny * rb),
        (a[0] - nx * ra, a[1] - ny * ra),
    ]


def draw_figure(
    surf: pygame.Surface,
    segments: Iterable[Segment],
    to_screen: ToScreen,
    scale: float,
    color: tuple[int, int, int],
) -> None:
    for seg in segments:
        a, b = to_screen(*seg.a), to_screen(*seg.b)
        ra, rb = seg.ra * scale, seg.rb * scale
        pygame.draw.polygon(surf, color, capsule(a, b, ra, rb))
        pygame.draw.circle(surf, color, a, ra)
        pygame.draw.circle(surf, color, b, rb)
