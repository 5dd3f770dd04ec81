"""The dancers as silhouettes with weight: tapered limbs, a soft rim of window light, the gown.

A figure is drawn at :func:`supersampling` times the size into a small surface around it and
smoothly scaled down, so the limbs, the rounded joints and the gown merge into one anti-aliased
body for the cost of a few small draws. Limbs swell a little (thigh, calf, forearm) instead of
being straight slabs; a soft gradient lifts the side that faces the windows and shades the other.
The compositor adds a thin rim of window light along the edges that face the windows (the
silhouette less itself moved toward the light). The same sprite serves the figure in the room,
scaled down its reflection in the mirror and, flipped, its reflection in the glossy floor.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pygame
from numpy.typing import NDArray

from ..state import DancerState, Point
from .pixels import opaque

ToScreen = Callable[[float, float], tuple[float, float]]
RGB = tuple[int, int, int]
Screen = tuple[float, float]

#: Supersampling of a figure's sprite: 2 for small pictures, less for large figures, whose
#: edges span more pixels anyway (the sprite's area, and so its cost, goes with the square).
SS_MAX = 2.0
SS_MIN = 1.25
#: Pixels per meter at which the supersampling starts to fall from ``SS_MAX``.
SS_KNEE = 180.0


def supersampling(scale: float) -> float:
    """How much larger than the picture a figure is drawn, for ``scale`` pixels per meter.

    >>> supersampling(100.0), supersampling(1000.0)
    (2.0, 1.25)
    """
    return min(SS_MAX, max(SS_MIN, SS_MAX * SS_KNEE / max(scale, 1e-6)))


#: The gown: half-width (m) at the waist and at the hem.
GOWN_WAIST = 0.11
GOWN_HEM = 0.3
#: Segments the gown's fabric covers (the bodice, and the legs inside the skirt), drawn in the
#: gown's colour and fuller, so the skirt and the legs under it read as one drape.
BODICE = ("pelvis", "chest")
UNDER_GOWN = ("pelvis", "chest", "l_thigh", "r_thigh", "l_shin", "r_shin")
FULLER = {"pelvis": 1.3, "chest": 1.12}
FULLER.update({f"{s}_{p}": k for s in "lr" for p, k in (("thigh", 1.5), ("shin", 1.7))})
#: How much each limb swells (fraction of its radius) and where along it (0 at the joint).
SWELL: dict[str, tuple[float, float]] = {
    "thigh": (0.1, 0.3),
    "shin": (0.16, 0.28),
    "upper_arm": (0.1, 0.4),
    "forearm": (0.12, 0.25),
    "chest": (0.06, 0.7),
    "pelvis": (0.08, 0.45),
}
#: Bare parts of the lead, barefoot in dark clothes.
LEAD_SKIN = ("l_hand", "r_hand", "l_foot", "r_foot", "neck", "head")
#: Bare parts of the partner, outside her gown.
PARTNER_SKIN = (
    "l_hand",
    "r_hand",
    "l_forearm",
    "r_forearm",
    "l_upper_arm",
    "r_upper_arm",
    "neck",
    "head",
    "l_foot",
    "r_foot",
)
#: Back-to-front: legs, then the skirt, the body, the arms, the head.
ORDER = (
    "l_thigh",
    "l_shin",
    "l_foot",
    "r_thigh",
    "r_shin",
    "r_foot",
    "#skirt",
    "pelvis",
    "chest",
    "l_upper_arm",
    "l_forearm",
    "l_hand",
    "r_upper_arm",
    "r_forearm",
    "r_hand",
    "neck",
    "head",
    "#hair",
)


@dataclass(frozen=True)
class Palette:
    body: RGB
    rim: RGB
    gown: RGB | None = None
    gown_rim: RGB | None = None
    skin: RGB | None = None
    hair: RGB | None = None
    #: whether the side away from the windows falls into a cool shade
    shaded: bool = True


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


def limb(a: Point, b: Point, ra: float, rb: float, swell: float, at: float) -> list[Point]:
    """A limb's outline: tapered from ``ra`` to ``rb`` and swelling by ``swell`` around ``at``.

    A muscle is fullest near one end and eases into the joints, so the sides are curves, not
    straight slab edges.

    >>> pts = limb((0.0, 0.0), (10.0, 0.0), 1.0, 1.0, 0.2, 0.4)
    >>> len(pts), round(max(p[1] for p in pts), 3)
    (12, 1.2)
    """
    out = outlines(
        np.array([a], np.float64),
        np.array([b], np.float64),
        np.array([ra]),
        np.array([rb]),
        np.array([swell]),
        np.array([at]),
    )
    return [(float(x), float(y)) for x, y in out[0]]


def outlines(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    ra: NDArray[np.float64],
    rb: NDArray[np.float64],
    swell: NDArray[np.float64],
    at: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Every limb's outline at once, (n, 2 * stations, 2): one numpy pass instead of a Python
    loop per limb (the loop cost more than drawing)."""
    u = np.array(_STATIONS)[None, :]
    d = b - a
    ln = np.hypot(d[:, 0], d[:, 1])
    ln[ln == 0.0] = 1.0
    nrm = np.stack([-d[:, 1] / ln, d[:, 0] / ln], axis=1)[:, None, :]
    at_ = at[:, None]
    k = np.where(u <= at_, u / at_, (1.0 - u) / (1.0 - at_))
    bump = np.sin(0.5 * np.pi * k) ** 2
    r = (ra[:, None] + (rb - ra)[:, None] * u) * (1.0 + swell[:, None] * bump)
    c = a[:, None, :] + d[:, None, :] * u[..., None]
    left = c + nrm * r[..., None]
    right = c - nrm * r[..., None]
    return np.concatenate([left, right[:, ::-1]], axis=1)


_STATIONS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def spline(points: Sequence[Point], per: int) -> NDArray[np.float64]:
    """A Catmull-Rom curve through ``points`` with ``per`` samples per span (ends included).

    >>> spline([(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)], 2)[:, 0].tolist()  # ends held: eases
    [0.0, 0.4375, 1.0, 1.5625, 2.0]
    """
    p = np.asarray(points, np.float64).reshape(-1, 2)
    n = len(p)
    if n < 3 or per <= 1:
        return p
    # the curve is a fixed linear map of its points for a given count: one product, not a
    # dozen small numpy steps (they cost more than the drawing)
    out: NDArray[np.float64] = _spline_map(n, per) @ p
    return out


@functools.lru_cache(maxsize=64)
def _spline_map(n: int, per: int) -> NDArray[np.float64]:
    """The matrix taking ``n`` points to their Catmull-Rom curve, ``per`` samples a span."""
    p = np.eye(n)
    i = np.arange(n - 1)
    p0, p1, p2, p3 = p[np.maximum(i - 1, 0)], p[i], p[i + 1], p[np.minimum(i + 2, n - 1)]
    t = (np.arange(per) / per)[None, :, None]
    t2, t3 = t * t, t * t * t
    p0, p1, p2, p3 = (q[:, None, :] for q in (p0, p1, p2, p3))
    c = 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
        + (3 * p1 - p0 - 3 * p2 + p3) * t3
    )
    m = np.vstack([c.reshape(-1, n), p[-1:]])
    m.setflags(write=False)
    return m


def _widths(u: NDArray[np.float64]) -> NDArray[np.float64]:
    """The skirt's half-width (m) at a fraction ``u`` of the way from the waist to the hem."""
    return GOWN_WAIST + (GOWN_HEM - GOWN_WAIST) * (0.55 * u + 0.45 * u**2.2)


def _normals(c: NDArray[np.float64]) -> NDArray[np.float64]:
    """Unit normals (left of the direction of travel) along a polyline, (n, 2)."""
    n = len(c)
    idx = np.arange(n)
    t = c[np.minimum(idx + 1, n - 1)] - c[np.maximum(idx - 1, 0)]
    ln = np.hypot(t[:, 0], t[:, 1])
    ln[ln == 0.0] = 1.0
    return np.stack([-t[:, 1] / ln, t[:, 0] / ln], axis=1)


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


def skirt_outline(chain: Sequence[Point]) -> NDArray[np.float64]:
    """One flowing skirt around a centre line (world meters), (k, 2): narrow at the waist,
    flaring to a full, rounded hem; the sides are smooth curves through the simulated chain.

    >>> pts = skirt_outline([(0.0, 1.0), (0.0, 0.5), (0.0, 0.0)])
    >>> len(pts) > 10, bool(pts[:, 1].min() >= 0.0)
    (True, True)
    """
    if len(chain) < 2:
        return np.zeros((0, 2))
    c = spline(chain, 4)
    # the length along the chain, so the flare follows the fabric, not the point count
    step = np.hypot(*np.diff(c, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(step)])
    u = along / (along[-1] or 1.0)
    w = _widths(u)[:, None]
    nrm = _normals(c)
    # the fabric is a little fuller on the trailing side as it sways
    left = c + nrm * w * 1.05
    right = c - nrm * w * 0.95
    # the hem: a soft curve from one side to the other, bellied past the chain's end
    e = c[-1] - c[-2]
    e = e / (np.hypot(*e) or 1.0)
    k = (np.arange(1, 6) / 6)[:, None]
    hem = left[-1] + (right[-1] - left[-1]) * k + e * (np.sin(np.pi * k) * 0.05)
    out = np.vstack([left, hem, right[::-1]])
    out[:, 1] = np.maximum(out[:, 1], 0.0)
    return out


def drape(d: DancerState, chain: Sequence[Point]) -> list[Point]:
    """The fabric between her legs and the swaying chain (world meters), so the skirt and the
    gown over her legs are one cloth: down the legs' middle to the ankles, back up the chain.

    >>> from thereturn_viz.state import Segment
    >>> legs = tuple(Segment(n, (0.0, 1.0), (0.0, 0.1), 0.05, 0.04) for n in ("l_shin", "r_shin"))
    >>> d = DancerState("partner", 1.0, 1.0, legs, {})
    >>> len(drape(d, [(0.0, 1.0), (0.3, 0.1)]))
    4
    """
    try:
        ls, rs = d.segment("l_shin"), d.segment("r_shin")
    except KeyError:
        return []
    if len(chain) < 2:
        return []
    knee = ((ls.a[0] + rs.a[0]) / 2, (ls.a[1] + rs.a[1]) / 2)
    ankle = ((ls.b[0] + rs.b[0]) / 2, max(0.0, (ls.b[1] + rs.b[1]) / 2 - 0.05))
    return [chain[0], knee, ankle, *reversed(chain[1:])]


@dataclass(frozen=True)
class _Part:
    """A segment on the supersampled sprite: its ends, radii and (limbs) outline."""

    name: str
    a: Screen
    b: Screen
    ra: float
    rb: float
    outline: list[list[float]]


def _shape(surf: pygame.Surface, p: _Part, col: RGB) -> None:
    """One part of the body at supersampled size."""
    a, b, ra, rb = p.a, p.b, p.ra, p.rb
    if p.name == "head":
        # an egg: fuller at the crown, the face a touch forward of the neck
        cx, cy = (a[0] * 0.4 + b[0] * 0.6), (a[1] * 0.4 + b[1] * 0.6)
        pygame.draw.circle(surf, col, (cx, cy), max(ra, rb) * 1.05)
        pygame.draw.circle(surf, col, a, ra * 0.8)
        return
    if p.name.endswith("foot"):
        # a foot: a slim wedge from the ankle to the toes, a rounded heel
        pygame.draw.polygon(surf, col, capsule(a, b, ra, rb * 0.8))
        pygame.draw.circle(surf, col, a, ra)
        pygame.draw.circle(surf, col, b, rb * 0.8)
        return
    pygame.draw.polygon(surf, col, p.outline)
    pygame.draw.circle(surf, col, a, ra)
    pygame.draw.circle(surf, col, b, rb)


def _hair(
    surf: pygame.Surface,
    parts: dict[str, _Part],
    col: RGB,
    facing: float,
    bun: bool,
) -> None:
    head = parts.get("head")
    if head is None:
        return
    a, b = head.a, head.b
    r = max(head.ra, head.rb)
    ux, uy = b[0] - a[0], b[1] - a[1]
    ln = math.hypot(ux, uy) or 1.0
    ux, uy = ux / ln, uy / ln
    # the back of the head, away from where the figure faces
    bx, by = -uy, ux
    if bx * facing > 0:
        bx, by = -bx, -by
    cx, cy = (a[0] * 0.4 + b[0] * 0.6), (a[1] * 0.4 + b[1] * 0.6)
    back = 0.5 if abs(facing) > 0.3 else 0.0
    pygame.draw.circle(
        surf,
        col,
        (cx + (ux * 0.2 + bx * 0.16 * back) * r, cy + (uy * 0.2 + by * 0.16 * back) * r),
        r * 0.97,
    )
    if bun:
        pygame.draw.circle(
            surf,
            col,
            (cx + (ux * 0.55 + bx * 0.75 * back) * r, cy + (uy * 0.55 + by * 0.75 * back) * r),
            r * 0.55,
        )


def _gradient(size: int = 64) -> pygame.Surface:
    """The light across a figure, as a multiply: full on the side facing the windows (upper
    left), falling to a cooler shade on the far side, so a flat silhouette gains volume."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) / (size - 1)
    far = np.clip(0.62 * xx + 0.38 * yy - 0.2, 0.0, 1.0) ** 1.2
    tint = np.array([0.66, 0.7, 0.8])
    sh = 1.0 - (1.0 - tint) * far[..., None]
    return opaque((sh * 255.0 + 0.5).astype(np.uint8))


_GRADIENT: list[pygame.Surface] = []
#: The gradient scaled to a figure's size, rounded up to this many pixels: a figure's sprite
#: changes size a little every frame, the gradient need not follow each pixel of it.
GRADIENT_STEP = 16
_SHADOWS: dict[tuple[int, int], pygame.Surface] = {}


def _shadow(w: int, h: int) -> pygame.Surface:
    """The light across a figure of ``w`` x ``h`` pixels (a multiply), from a few kept sizes."""
    key = (-(-w // GRADIENT_STEP) * GRADIENT_STEP, -(-h // GRADIENT_STEP) * GRADIENT_STEP)
    got = _SHADOWS.get(key)
    if got is None:
        if not _GRADIENT:
            _GRADIENT.append(_gradient())
        if len(_SHADOWS) >= 16:
            _SHADOWS.pop(next(iter(_SHADOWS)))
        # nearest-neighbour scaling of a fine gradient: steps of a level or two, unseen
        got = _SHADOWS[key] = pygame.transform.scale(_GRADIENT[0], key)
    return got


def figure_sprite(
    d: DancerState,
    to_screen: ToScreen,
    scale: float,
    palette: Palette,
    gown: bool,
) -> tuple[pygame.Surface, tuple[int, int]] | None:
    """The figure as a small anti-aliased sprite and where its top-left goes on the picture."""
    segs = d.segments
    if not segs:
        return None
    # the picture is an affine map of the world: find it once, then map everything with numpy
    o = np.array(to_screen(0.0, 0.0))
    m = np.stack([np.array(to_screen(1.0, 0.0)) - o, np.array(to_screen(0.0, 1.0)) - o])

    def tr(pts: Sequence[Point] | NDArray[np.float64]) -> NDArray[np.float64]:
        return o + np.asarray(pts, np.float64).reshape(-1, 2) @ m

    fuller = np.array([FULLER.get(g.name, 1.0) if gown else 1.0 for g in segs])
    ends = tr([p for g in segs for p in (g.a, g.b)])
    A, B = ends[0::2], ends[1::2]
    RA = np.array([g.ra for g in segs]) * scale * fuller
    RB = np.array([g.rb for g in segs]) * scale * fuller
    r = np.maximum(RA, RB)[:, None] * 1.4
    lo = np.minimum(A, B) - r
    hi = np.maximum(A, B) + r
    skirt = np.zeros((0, 2))
    web = np.zeros((0, 2))
    chain: list[Point] = []
    if gown:
        chain = skirt_chain(d)
        outline = skirt_outline(chain)
        if len(outline):
            skirt = tr(outline)
            lo = np.vstack([lo, skirt])
            hi = np.vstack([hi, skirt])
        hang = drape(d, chain)
        if len(hang) >= 3:
            web = tr(hang)
    pad = 3
    x0, y0 = (math.floor(v) - pad for v in lo.min(axis=0))
    x1, y1 = (math.ceil(v) + pad for v in hi.max(axis=0))
    w, h = x1 - x0, y1 - y0
    if w <= 0 or h <= 0 or w * h > 4_000_000:
        return None
    SS = supersampling(scale)
    big = pygame.Surface((math.ceil(w * SS), math.ceil(h * SS)), pygame.SRCALPHA)
    shift = np.array([x0, y0], np.float64)
    A, B, RA, RB = (A - shift) * SS, (B - shift) * SS, RA * SS, RB * SS
    keys = [g.name.split("_", 1)[-1] for g in segs]
    swell = np.array([SWELL.get(k, (0.0, 0.5))[0] for k in keys])
    at = np.array([SWELL.get(k, (0.0, 0.5))[1] for k in keys])
    shapes = outlines(A, B, RA, RB, swell, at).tolist()
    a_l, b_l, ra_l, rb_l = A.tolist(), B.tolist(), RA.tolist(), RB.tolist()
    by_name = {
        g.name: _Part(g.name, a_l[i], b_l[i], ra_l[i], rb_l[i], shapes[i])
        for i, g in enumerate(segs)
    }
    skin_parts = PARTNER_SKIN if gown else LEAD_SKIN
    facing = d.facing

    def loc(pts: NDArray[np.float64]) -> list[list[float]]:
        return ((pts - shift) * SS).tolist()

    for name in ORDER:
        if name == "#skirt":
            if len(skirt) >= 3:
                cloth = palette.gown or palette.body
                pygame.draw.polygon(big, cloth, loc(skirt))
                if len(web) >= 3:
                    pygame.draw.polygon(big, cloth, loc(web))
                if palette.gown is not None:
                    _folds(big, chain, tr, loc, palette.gown, max(1, round(SS)))
            continue
        if name == "#hair":
            if palette.hair is not None:
                _hair(big, by_name, palette.hair, facing, bun=gown)
            continue
        part = by_name.get(name)
        if part is None:
            continue
        if gown and name in UNDER_GOWN and palette.gown is not None:
            col = palette.gown
        elif name in skin_parts and palette.skin is not None:
            col = palette.skin
        else:
            col = palette.body
        _shape(big, part, col)
    sprite = pygame.transform.smoothscale(big, (w, h))
    if palette.shaded:
        sprite.blit(_shadow(w, h), (0, 0), special_flags=pygame.BLEND_RGB_MULT)
    return sprite, (x0, y0)


def rim_light(sprite: pygame.Surface, color: RGB, toward: tuple[int, int]) -> pygame.Surface:
    """The rim of window light along the edges of a figure that face the windows, as light to
    add onto the figure (``BLEND_RGB_ADD`` at the sprite's place): its silhouette minus the
    silhouette moved ``toward`` the light, in the light's colour. Added, not laid under, so it
    brightens the dark lead and the light gown alike instead of outlining the gown in brown.

    A few blits of opaque surfaces the size of the sprite: no per-pixel work in Python.
    """
    w, h = sprite.get_size()
    white = sprite.copy()
    white.fill((255, 255, 255, 0), special_flags=pygame.BLEND_RGBA_MAX)
    rim = pygame.Surface((w, h))
    rim.blit(white, (0, 0))  # the silhouette's coverage, 0..255
    # less the coverage one step toward the light: what is left is the lit edge
    rim.blit(rim.copy(), (-toward[0], -toward[1]), special_flags=pygame.BLEND_RGB_SUB)
    rim.fill(color, special_flags=pygame.BLEND_RGB_MULT)
    return rim


def _folds(
    big: pygame.Surface,
    chain: Sequence[Point],
    tr: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    loc: Callable[[NDArray[np.float64]], list[list[float]]],
    gown: RGB,
    width: int,
) -> None:
    """Two soft folds running down the skirt from the hips, a shade darker than the fabric."""
    c = spline(chain, 3)
    n = len(c)
    if n < 4:
        return
    shade = (round(gown[0] * 0.8), round(gown[1] * 0.8), round(gown[2] * 0.8))
    u = (np.arange(n) / (n - 1))[:, None]
    nrm = _normals(c)
    for side in (-0.45, 0.35):
        pts = (c + nrm * _widths(u) * side)[n // 4 :]
        pts[:, 1] = np.maximum(pts[:, 1], 0.0)
        pygame.draw.lines(big, shade, False, loc(tr(pts)), width)
