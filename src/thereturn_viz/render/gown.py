"""The gown's shape on the picture: the skirt around its swaying chain, the drape over the legs,
the folds.

Pure geometry in world meters (numpy), drawn by :mod:`.figures`. The chain comes from the
physics when it simulates one (``DancerState.gown``); otherwise a skirt is hung from the legs, so
she always wears her gown. The gown's colour and proportions are data (:class:`.costume.Gown`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pygame
from numpy.typing import NDArray

from ..state import DancerState, Point
from .costume import RGB, Gown

Arr = NDArray[np.float64]


def spline_map(n: int, per: int) -> Arr:
    """The matrix taking ``n`` points to their Catmull-Rom curve, ``per`` samples a span.

    >>> spline_map(3, 2).shape
    (5, 3)
    """
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


class SplineMaps:
    """The curve matrices by point count and sampling, kept by whoever draws the gown every frame
    (building one costs more than using it; a gown's chain keeps its length)."""

    #: matrices kept; a figure needs two or three
    KEEP = 64

    def __init__(self) -> None:
        self._maps: dict[tuple[int, int], Arr] = {}

    def __call__(self, n: int, per: int) -> Arr:
        got = self._maps.get((n, per))
        if got is None:
            if len(self._maps) >= self.KEEP:
                self._maps.clear()
            got = self._maps[n, per] = spline_map(n, per)
        return got


def spline(points: Sequence[Point] | Arr, per: int, maps: SplineMaps | None = None) -> Arr:
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
    m = maps(n, per) if maps is not None else spline_map(n, per)
    out: Arr = m @ p
    return out


def widths(u: Arr, gown: Gown) -> Arr:
    """The skirt's half-width (m) at a fraction ``u`` of the way from the waist to the hem.

    >>> g = Gown((0, 0, 0))
    >>> widths(np.array([0.0, 1.0]), g).tolist() == [g.waist, g.hem]
    True
    """
    return gown.waist + (gown.hem - gown.waist) * (0.55 * u + 0.45 * u**2.2)


def normals(c: Arr) -> Arr:
    """Unit normals (left of the direction of travel) along a polyline, (n, 2).

    >>> normals(np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])).tolist()
    [[-0.0, 1.0], [-0.0, 1.0], [-0.0, 1.0]]
    """
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
        return turned(d.gown, d.facing)
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


def turned(chain: Sequence[Point], facing: float) -> list[Point]:
    """The simulated chain as the picture sees it with her turned ``facing`` (-1 .. +1, as the
    physics shows her).

    The physics swings the chain in her own front-to-back plane: seen whole in profile, end on
    as she faces the camera, where the gown falls straight from her waist to its lowest point
    and its train runs away into the room. So the chain is drawn between itself (in profile)
    and that straight fall (facing the camera) in proportion to her facing, as her limbs' bends
    are: the train sweeps round through her turn, and the turn's mirror of the chain
    (physics/gown.py) falls where the gown hangs straight (without this the hem jumped half a
    metre across in one frame, then the bell's skew flipped).

    >>> turned([(1.0, 1.0), (1.4, 0.5), (1.8, 0.0)], -0.5)
    [(1.0, 1.0), (1.2, 0.5), (1.4, 0.0)]
    >>> turned([(1.0, 1.0), (1.0, 0.0), (1.6, 0.0)], 0.0)
    [(1.0, 1.0), (1.0, 0.5), (1.0, 0.0)]
    >>> turned([(1.0, 1.0), (0.6, 0.0)], 1.0)
    [(1.0, 1.0), (0.6, 0.0)]
    """
    k = min(abs(facing), 1.0)
    if k == 1.0 or len(chain) < 2:
        return list(chain)
    x0, y0 = chain[0]
    low = min(y for _, y in chain)
    last = len(chain) - 1
    out = []
    for i, (x, y) in enumerate(chain):
        sy = y0 + (low - y0) * i / last  # the straight fall, evenly down to the lowest point
        out.append((x0 + (x - x0) * k, sy + (y - sy) * k))
    return out


#: A spin this fast (degrees per second) flares the gown fully, to ``FLARE_MAX`` times wider at
#: the hem; slower spins flare it in proportion.
FLARE_SPIN = 540.0
FLARE_MAX = 0.8


def flare(spin: float) -> float:
    """How much wider a spinning gown swings out at the hem (0: hanging).

    >>> flare(0.0), flare(-270.0), flare(5000.0)
    (0.0, 0.4, 0.8)
    """
    return FLARE_MAX * min(abs(spin) / FLARE_SPIN, 1.0)


#: A chain this low (m) lies on the floor as a train; from twice as high it hangs.
TRAIN_LOW = 0.05
#: A train's thickness on the floor, as a fraction of the skirt's width there.
TRAIN_THIN = 0.08


def lying(y: Arr, nrm: Arr) -> Arr:
    """How much of the skirt's width is left where its chain runs along the floor (a train: the
    cloth lies flat there, seen edge on) rather than hanging: 1 hanging, ``TRAIN_THIN`` flat on
    the floor. ``y``: the chain's heights, ``nrm``: its unit normals.

    >>> up, flat = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    >>> float(lying(np.array([0.0]), up)[0, 0]), round(float(lying(np.array([0.0]), flat)[0, 0]), 6)
    (1.0, 0.08)
    >>> float(lying(np.array([0.5]), flat)[0, 0])
    1.0
    """
    low = np.clip((2.0 * TRAIN_LOW - y) / TRAIN_LOW, 0.0, 1.0)
    flat = np.abs(nrm[:, 1]) * low
    out: Arr = (1.0 - (1.0 - TRAIN_THIN) * flat)[:, None]
    return out


def skirt_outline(
    chain: Sequence[Point], gown: Gown, maps: SplineMaps | None = None, flared: float = 0.0
) -> Arr:
    """One flowing skirt around a centre line (world meters), (k, 2): narrow at the waist,
    flaring to a full, rounded hem; the sides are smooth curves through the simulated chain.
    Spinning (``flared`` > 0, :func:`flare`) it swings out and up toward the hem.

    >>> pts = skirt_outline([(0.0, 1.0), (0.0, 0.5), (0.0, 0.0)], Gown((0, 0, 0)))
    >>> len(pts) > 10, bool(pts[:, 1].min() >= 0.0)
    (True, True)
    """
    if len(chain) < 2:
        return np.zeros((0, 2))
    c = spline(chain, 4, maps)
    # the length along the chain, so the flare follows the fabric, not the point count
    step = np.hypot(*np.diff(c, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(step)])
    u = along / (along[-1] or 1.0)
    w = widths(u, gown)[:, None] * (1.0 + flared * u[:, None] ** 1.5)
    if flared > 0.0:  # the swinging hem rises toward the waist as it swings out
        c = c[:1] + (c - c[:1]) * (1.0 - 0.25 * flared * u[:, None] ** 2)
    nrm = normals(c)
    w = w * lying(c[:, 1], nrm)
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


#: The legs' parts the cloth falls over, and where along each the shape samples them.
_LEGS = ("l_thigh", "l_shin", "r_thigh", "r_shin")
_ALONG = (0.0, 0.5, 0.75, 1.0)
_AROUND = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
#: Rounding passes over the cloth's outline (each cuts every corner a quarter in).
_ROUNDING = 2


def hull(points: Arr) -> Arr:
    """The convex hull of 2-D points, counter-clockwise, (k, 2) (Andrew's monotone chain).

    >>> hull(np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5]], float)).tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    """
    pts_a = _outer(np.asarray(points, np.float64).reshape(-1, 2))
    pts = sorted(set(map(tuple, pts_a.tolist())))
    if len(pts) < 3:
        return np.asarray(pts, np.float64).reshape(-1, 2)
    lower: list[tuple[float, ...]] = []
    for p in pts:
        while len(lower) >= 2:
            (ox, oy), (ax, ay) = lower[-2], lower[-1]
            if (ax - ox) * (p[1] - oy) - (ay - oy) * (p[0] - ox) > 0:
                break
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, ...]] = []
    for p in reversed(pts):
        while len(upper) >= 2:
            (ox, oy), (ax, ay) = upper[-2], upper[-1]
            if (ax - ox) * (p[1] - oy) - (ay - oy) * (p[0] - ox) > 0:
                break
            upper.pop()
        upper.append(p)
    return np.asarray(lower[:-1] + upper[:-1], np.float64)


def _outer(pts: Arr) -> Arr:
    """The points that may lie on the hull: those not strictly inside the octagon of the
    extreme points in eight directions (numpy's work, so the hull's Python loop sees few).

    >>> square = [[0, 0], [4, 0], [4, 4], [0, 4], [2, 0], [4, 2], [2, 4], [0, 2]]
    >>> len(_outer(np.array(square + [[2, 2], [1, 2], [3, 1]], float)))
    8
    """
    if len(pts) < 9:
        return pts
    dirs = np.array([[1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]], float)
    ext = pts[np.argmax(pts @ dirs.T, axis=0)]  # counter-clockwise round the points
    ext = ext[np.r_[True, np.any(np.diff(ext, axis=0) != 0.0, axis=1)]]
    if len(ext) >= 2 and np.array_equal(ext[0], ext[-1]):
        ext = ext[:-1]
    if len(ext) < 3:
        return pts
    a, b = ext, np.roll(ext, -1, axis=0)
    e = b - a
    # strictly left of every edge: inside the octagon, not on the hull
    side = e[None, :, 0] * (pts[:, None, 1] - a[None, :, 1]) - e[None, :, 1] * (
        pts[:, None, 0] - a[None, :, 0]
    )
    inside = (side > 1e-12).all(axis=1)
    return pts[~inside]


def rounded(poly: Arr, passes: int = _ROUNDING) -> Arr:
    """A closed polygon with its corners cut (Chaikin): cloth has no sharp corners.

    >>> len(rounded(np.array([[0, 0], [1, 0], [0, 1]], float), 1))
    6
    """
    for _ in range(passes):
        nxt = np.roll(poly, -1, axis=0)
        poly = np.stack([0.75 * poly + 0.25 * nxt, 0.25 * poly + 0.75 * nxt], axis=1).reshape(-1, 2)
    return poly


def gown_shape(
    d: DancerState,
    chain: Sequence[Point],
    gown: Gown,
    maps: SplineMaps | None = None,
    flared: float = 0.0,
) -> Arr:
    """The whole skirt as one cloth (world meters), (k, 2): the swaying skirt around its chain
    and, falling over them, both legs from the hip down as far as the skirt is long (a leg
    reaching further shows below the hem), wrapped in
    one outline with rounded corners. However far her legs part, the cloth spans between them:
    one shape, never two trouser legs.

    >>> from thereturn_viz.state import Segment
    >>> legs = (Segment("l_shin", (-0.3, 0.5), (-0.5, 0.05), 0.05, 0.04),
    ...         Segment("r_shin", (0.3, 0.5), (0.5, 0.05), 0.05, 0.04))
    >>> d = DancerState("partner", 1.0, 1.0, legs, {})
    >>> out = gown_shape(d, [(0.0, 1.0), (0.0, 0.5), (0.0, 0.0)], Gown((0, 0, 0)))
    >>> bool(out[:, 0].min() < -0.5 and out[:, 0].max() > 0.5 and out[:, 1].min() >= 0.0)
    True
    """
    skirt = skirt_outline(chain, gown, maps, flared)
    if len(skirt) < 3:
        return skirt
    waist = np.asarray(chain[0], np.float64)
    reach = float(np.hypot(*(skirt - waist).T).max())
    legs = [g for g in d.segments if g.name in _LEGS]
    # the skirt's outline, every other point (the rounding restores the curve), and the legs
    pts = [skirt[::2], skirt[-1:]]
    if legs:
        a = np.array([g.a for g in legs], np.float64)
        b = np.array([g.b for g in legs], np.float64)
        ra = np.array([g.ra for g in legs])
        rb = np.array([g.rb for g in legs])
        u = np.array(_ALONG)[None, :, None]
        p = (a[:, None, :] + (b - a)[:, None, :] * u).reshape(-1, 2)
        r = ((ra[:, None] + (rb - ra)[:, None] * u[..., 0]) * 1.3).reshape(-1, 1)
        off = p - waist
        far = np.maximum(np.hypot(off[:, 0], off[:, 1]), 1e-9)[:, None]
        # the cloth ends at its length: the hem crosses a leg reaching further there
        p = waist + off * np.minimum(1.0, reach / far)
        pts.append((p[:, None, :] + r[:, :, None] * _AROUND[None, :, :]).reshape(-1, 2))
    out = rounded(hull(np.vstack(pts)))
    out[:, 1] = np.maximum(out[:, 1], 0.0)
    return out


def hem(d: DancerState, gown: Gown, maps: SplineMaps | None = None) -> Arr:
    """The gown's hem (world meters), (k, 2): the stretch of the cloth's outline furthest from
    the waist (beyond 85% of the furthest), in order round the outline; empty without a skirt.

    >>> from thereturn_viz.render.costume import PARTNER
    >>> d = DancerState("partner", 1.0, 1.0, (), {}, gown=((0.0, 1.0), (0.0, 0.5), (0.0, 0.0)))
    >>> pts = hem(d, PARTNER.gown)
    >>> len(pts) >= 3, bool(pts[:, 1].max() < 0.2)
    (True, True)
    """
    chain = skirt_chain(d)
    if len(chain) < 2:
        return np.zeros((0, 2))
    shape = gown_shape(d, chain, gown, maps, flare(d.spin))
    if len(shape) < 3:
        return shape
    far = np.hypot(*(shape - np.asarray(chain[0], np.float64)).T)
    low = far >= 0.85 * far.max()
    # start the walk round the outline at a point off the hem, so the hem comes out in one piece
    start = int(np.argmin(low))
    order = np.roll(np.arange(len(shape)), -start)
    return shape[order[low[order]]]


def folds(
    big: pygame.Surface,
    chain: Sequence[Point],
    to_sprite: Callable[[Arr], list[list[float]]],
    gown: Gown,
    colour: RGB,
    width: int,
    maps: SplineMaps | None = None,
) -> None:
    """Two soft folds running down the skirt from the hips, a shade darker than the fabric
    (``colour``, the fabric in the light of the moment). ``to_sprite`` maps world meters to the
    sprite's pixels."""
    c = spline(chain, 3, maps)
    n = len(c)
    if n < 4:
        return
    k = gown.fold_shade
    shade = (round(colour[0] * k), round(colour[1] * k), round(colour[2] * k))
    u = (np.arange(n) / (n - 1))[:, None]
    nrm = normals(c)
    for side in (-0.45, 0.35):
        pts = (c + nrm * widths(u, gown) * side)[n // 4 :]
        pts[:, 1] = np.maximum(pts[:, 1], 0.0)
        pygame.draw.lines(big, shade, False, to_sprite(pts), width)
