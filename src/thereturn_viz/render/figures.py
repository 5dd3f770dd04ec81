"""The dancers as silhouettes with weight: tapered limbs, a soft rim of window light, the gown.

A figure is drawn at twice the size into a small surface around it and smoothly scaled down, so
its edges are anti-aliased at the cost of a few small draws. The same sprite serves the figure in
the room and, flipped, its reflection in the glossy floor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from ..state import DancerState, Point, Segment

ToScreen = Callable[[float, float], tuple[float, float]]
RGB = tuple[int, int, int]

#: Supersampling of a figure's sprite.
SS = 2
#: The gown: half-width (m) at the waist and at the hem.
GOWN_WAIST = 0.12
GOWN_HEM = 0.27
#: Segments the gown's fabric covers (drawn in the gown's colour, a little fuller).
UNDER_GOWN = ("pelvis", "chest", "l_thigh", "r_thigh", "l_shin", "r_shin")


@dataclass(frozen=True)
class Palette:
    body: RGB
    rim: RGB
    gown: RGB | None = None
    gown_rim: RGB | None = None


def capsule(a: Point, b: Point, ra: float, rb: float) -> list[Point]:
    """The outline of a tapered capsule between two screen points (polygon, without end caps).

    >>> capsule((0.0, 0.0), (10.0, 0.0), 2.0, 1.0)
    [(0.0, 2.0), (10.0, 1.0), (10.0, -1.0), (0.0, -2.0)]
    """
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / n, dx / n
    return [
        (a[0] + nx * ra, a[1] + ny * ra),
        (b[0] + nx * rb, b[1] + ny * rb),
        (b[0] - nx * rb, b[1] - ny * rb),
        (a[0] - nx * ra, a[1] - ny * ra),
    ]


def skirt_chain(d: DancerState) -> list[Point]:
    """The gown's centre line from the waist to the hem (world meters).

    The simulated chain when there is one; otherwise a skirt that falls from her waist past her
    knees to the floor between her feet, so she always wears her gown.
    """
    if len(d.gown) >= 2:
        return list(d.gown)
    try:
        pel = d.segment("pelvis")
        lk, rk = d.segment("l_shin").a, d.segment("r_shin").a
        la, ra = d.segment("l_shin").b, d.segment("r_shin").b
    except KeyError:
        return []
    knee = ((lk[0] + rk[0]) / 2, (lk[1] + rk[1]) / 2)
    ankle = ((la[0] + ra[0]) / 2, (la[1] + ra[1]) / 2)
    hem = (ankle[0] + (ankle[0] - knee[0]) * 0.15, max(0.0, ankle[1] - 0.08))
    return [pel.b, pel.a, knee, ankle, hem]


def skirt_outline(chain: Sequence[Point]) -> list[Point]:
    """A flowing skirt around a centre line (world meters): narrow at the waist, full at the hem.

    >>> pts = skirt_outline([(0.0, 1.0), (0.0, 0.0)])
    >>> len(pts), min(p[1] for p in pts) >= 0.0
    (5, True)
    """
    n = len(chain)
    if n < 2:
        return []
    left: list[Point] = []
    right: list[Point] = []
    for i, (x, y) in enumerate(chain):
        a = chain[max(0, i - 1)]
        b = chain[min(n - 1, i + 1)]
        tx, ty = b[0] - a[0], b[1] - a[1]
        ln = math.hypot(tx, ty) or 1.0
        nx, ny = -ty / ln, tx / ln
        u = i / (n - 1)
        w = GOWN_WAIST + (GOWN_HEM - GOWN_WAIST) * u**0.8
        left.append((x + nx * w, max(0.0, y + ny * w)))
        right.append((x - nx * w, max(0.0, y - ny * w)))
    hx, hy = chain[-1]
    px, py = chain[-2]
    ln = math.hypot(hx - px, hy - py) or 1.0
    hem = (hx + (hx - px) / ln * 0.04, max(0.0, hy + (hy - py) / ln * 0.04))
    return left + [hem] + right[::-1]


def figure_sprite(
    d: DancerState,
    to_screen: ToScreen,
    scale: float,
    palette: Palette,
    rim_offset: tuple[float, float],
    gown: bool,
) -> tuple[pygame.Surface, tuple[int, int]] | None:
    """The figure as a small anti-aliased sprite and where its top-left goes on the picture."""
    segs: list[tuple[Segment, tuple[float, float], tuple[float, float], float, float]] = []
    xs: list[float] = []
    ys: list[float] = []
    for s in d.segments:
        a, b = to_screen(*s.a), to_screen(*s.b)
        fuller = 1.25 if gown and s.name in UNDER_GOWN else 1.0
        ra, rb = s.ra * scale * fuller, s.rb * scale * fuller
        segs.append((s, a, b, ra, rb))
        r = max(ra, rb)
        xs += [a[0] - r, a[0] + r, b[0] - r, b[0] + r]
        ys += [a[1] - r, a[1] + r, b[1] - r, b[1] + r]
    skirt: list[tuple[float, float]] = []
    if gown:
        skirt = [to_screen(*p) for p in skirt_outline(skirt_chain(d))]
        xs += [p[0] for p in skirt]
        ys += [p[1] for p in skirt]
    if not xs:
        return None
    pad = 3 + math.ceil(max(abs(rim_offset[0]), abs(rim_offset[1])))
    x0, y0 = math.floor(min(xs)) - pad, math.floor(min(ys)) - pad
    w, h = math.ceil(max(xs)) + pad - x0, math.ceil(max(ys)) + pad - y0
    if w <= 0 or h <= 0 or w * h > 4_000_000:
        return None
    big = pygame.Surface((w * SS, h * SS), pygame.SRCALPHA)

    def loc(p: tuple[float, float], off: tuple[float, float]) -> tuple[float, float]:
        return ((p[0] - x0 + off[0]) * SS, (p[1] - y0 + off[1]) * SS)

    for off, body, cloth in (
        (rim_offset, palette.rim, palette.gown_rim),
        ((0.0, 0.0), palette.body, palette.gown),
    ):
        if skirt and cloth is not None:
            pygame.draw.polygon(big, cloth, [loc(p, off) for p in skirt])
        for s, a, b, ra, rb in segs:
            col = cloth if (gown and cloth is not None and s.name in UNDER_GOWN) else body
            pa, pb = loc(a, off), loc(b, off)
            pygame.draw.polygon(big, col, capsule(pa, pb, ra * SS, rb * SS))
            pygame.draw.circle(big, col, pa, ra * SS)
            pygame.draw.circle(big, col, pb, rb * SS)
    return pygame.transform.smoothscale(big, (w, h)), (x0, y0)
