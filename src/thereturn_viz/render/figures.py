"""The dancers as silhouettes with weight: tapered limbs, a soft rim of window light, the gown.

A figure is drawn at :func:`supersampling` times the size into a small surface around it and
smoothly scaled down, so the limbs, the rounded joints and the gown merge into one anti-aliased
body for the cost of a few small draws. Limbs swell a little (thigh, calf, forearm) instead of
being straight slabs; a soft gradient lifts the side that faces the windows and shades the other.
A thin rim of window light is added along the edges that face the windows (the silhouette less
itself moved toward the light). The same sprite serves the figure in the room, scaled down its
reflection in the mirror and, flipped, its reflection in the glossy floor.

What a figure wears (colours, bare parts, the gown) is read from its :mod:`.costume`; the gown's
shape is :mod:`.gown`. :class:`Figures` is the layer: it draws the sprites and keeps what they
reuse from frame to frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pygame
from numpy.typing import NDArray

from ..state import DancerState, Point
from .camera import View
from .costume import RGB, Costume, Palette, costume_of, in_light
from .gown import SplineMaps, flare, folds, gown_shape, skirt_chain
from .light import LIGHT_STEPS, figure_light, light_color
from .pixels import opaque

ToScreen = Callable[[float, float], tuple[float, float]]
Screen = tuple[float, float]
Arr = NDArray[np.float64]

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


#: How much each limb swells (fraction of its radius) and where along it (0 at the joint).
SWELL: dict[str, tuple[float, float]] = {
    "thigh": (0.1, 0.3),
    "shin": (0.16, 0.28),
    "upper_arm": (0.1, 0.4),
    "forearm": (0.12, 0.25),
    "chest": (0.06, 0.7),
    "pelvis": (0.08, 0.45),
}
#: Back-to-front for a figure whose left side is the far one (turned toward screen-right): the
#: far arm behind everything, the far leg, the near leg, the skirt, the body, the near arm, the
#: head. Turned the other way the sides swap (:func:`order`).
ORDER = (
    "l_upper_arm",
    "l_forearm",
    "l_hand",
    "l_thigh",
    "l_shin",
    "l_foot",
    "r_thigh",
    "r_shin",
    "r_foot",
    "#skirt",
    "pelvis",
    "chest",
    "r_upper_arm",
    "r_forearm",
    "r_hand",
    "neck",
    "head",
    "#hair",
)
_SWAPPED = tuple(
    "r_" + n[2:] if n.startswith("l_") else "l_" + n[2:] if n.startswith("r_") else n for n in ORDER
)


def order(yaw: float) -> tuple[str, ...]:
    """Back to front for a figure turned ``yaw`` degrees: the side turned away is drawn first.
    Turned toward screen-right (0 < yaw < 180) her left side is the far one.

    >>> order(90.0)[0], order(-90.0)[0], order(270.0)[0]
    ('l_upper_arm', 'r_upper_arm', 'r_upper_arm')
    """
    return ORDER if math.sin(math.radians(yaw)) >= 0.0 else _SWAPPED


#: Turned toward the camera or away from it a figure is broad, in profile narrow: each side's
#: arm and leg stand out from the body's axis by up to these (m, at the shoulder and the hip),
#: times cos(yaw) ...
SPREAD = {"upper_arm": 0.17, "forearm": 0.17, "hand": 0.17, "thigh": 0.085, "shin": 0.085}
SPREAD["foot"] = 0.085
#: ... and the chest and the pelvis widen by these fractions of their profile's radius.
BROADEN = {"chest": 0.55, "pelvis": 0.4}


def spread(names: Sequence[str], yaw: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each segment's sideways shift (m, screen-right positive) and its radii's factor for a
    figure turned ``yaw`` degrees: facing the camera her left side is on screen-right, facing
    the mirror on screen-left, in profile both sides on the axis (the physics' plane).

    >>> dx, k = spread(["l_hand", "r_thigh", "chest"], 0.0)
    >>> dx.round(3).tolist(), k.round(2).tolist()
    ([0.17, -0.085, 0.0], [1.0, 1.0, 1.55])
    >>> spread(["l_hand"], 90.0)[0].round(9).tolist()
    [0.0]
    """
    c = math.cos(math.radians(yaw))
    dx = np.zeros(len(names))
    k = np.ones(len(names))
    for i, n in enumerate(names):
        side, _, part = n.partition("_")
        if side in ("l", "r") and part in SPREAD:
            dx[i] = SPREAD[part] * c * (1.0 if side == "l" else -1.0)
        elif n in BROADEN:
            k[i] = 1.0 + BROADEN[n] * abs(c)
    return dx, k


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


def outlines(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    ra: NDArray[np.float64],
    rb: NDArray[np.float64],
    swell: NDArray[np.float64],
    at: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Every limb's outline at once, (n, 2 * stations, 2): one numpy pass instead of a Python
    loop per limb (the loop cost more than drawing). A muscle is fullest near one end (``at``,
    swelling by ``swell`` of its radius) and eases into the joints, so the sides are curves.

    >>> a, b = np.array([[0.0, 0.0]]), np.array([[10.0, 0.0]])
    >>> out = outlines(a, b, np.array([1.0]), np.array([1.0]), np.array([0.2]), np.array([0.4]))
    >>> out.shape, round(float(out[0, :, 1].max()), 3)
    ((1, 12, 2), 1.2)
    """
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
    yaw: float,
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
    # the back of the head, away from where the figure faces: as far back as she is turned into
    # profile; turned toward the camera the hair frames the face, away from it hides the head
    side = math.sin(math.radians(yaw))
    bx, by = -uy, ux
    if bx * side > 0:
        bx, by = -bx, -by
    cx, cy = (a[0] * 0.4 + b[0] * 0.6), (a[1] * 0.4 + b[1] * 0.6)
    back = 0.5 * min(1.0, abs(side) / 0.6)
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


#: Toward the light on screen (up and left): the rim is on the side facing the windows.
RIM_DIR = (-0.75, -0.66)
#: The rim's width (design pixels at 1080p) and its light: always a little (so the dark lead
#: stays readable against the dark room), more in a shaft (a gown takes less: its ``rim``).
RIM_WIDTH = 2.0
RIM_BASE = 0.3
RIM_LIT = 0.55
#: The light across a figure is a gradient scaled to the figure's size, rounded up to this many
#: pixels: a figure's sprite changes size a little every frame, the gradient need not follow
#: each pixel of it. Sizes kept:
GRADIENT_STEP = 16
GRADIENTS_KEPT = 16


def _scaled(c: tuple[float, float, float], k: float) -> RGB:
    return (min(255, round(c[0] * k)), min(255, round(c[1] * k)), min(255, round(c[2] * k)))


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


@dataclass(frozen=True)
class Figure:
    """A dancer drawn for one frame: the sprite, its rim of light (added), where both go, and
    what the dancer wears (the mirror and the floor read it)."""

    sprite: pygame.Surface
    pos: tuple[int, int]
    dancer: DancerState
    costume: Costume
    rim: pygame.Surface
    rim_pos: tuple[int, int]
    #: the drawn figure's extent on the picture, gown included: x0, y0, x1, y1 (pixels)
    bbox: tuple[int, int, int, int]


@dataclass(frozen=True)
class _Sketch:
    """A figure laid out on its supersampled sprite, before any drawing."""

    #: the picture's pixel at the sprite's top-left, and the sprite's size (picture pixels)
    pos: tuple[int, int]
    size: tuple[int, int]
    #: supersampling, and the world-to-sprite map (meters in, supersampled pixels out)
    ss: float
    to_sprite: Callable[[Arr], list[list[float]]]
    parts: dict[str, _Part]
    #: the gown (empty without one): its cloth's outline (picture pixels), its chain (m)
    skirt: Arr
    chain: list[Point]
    #: the figure's own extent on the picture (without the sprite's margins): x0, y0, x1, y1
    extent: tuple[int, int, int, int]


class Figures:
    """The figures' layer: each dancer's sprite and rim in the light of the moment.

    Owns what the sprites reuse from frame to frame: the costumes' colours per step of the
    light, the shading gradient per size, the gown's curve matrices."""

    def __init__(self) -> None:
        self._palettes: dict[tuple[str, int, int], Palette] = {}
        self._gradient: pygame.Surface | None = None
        self._shadows: dict[tuple[int, int], pygame.Surface] = {}
        self._splines = SplineMaps()

    def palette(self, name: str, costume: Costume, mix: float, lit: float) -> Palette:
        """A dancer's colours in the light of the moment (quantised to ``LIGHT_STEPS`` of the
        light's mix and of the shaft, kept). Reflections and the floor's gloss reuse the sprite,
        so they follow."""
        q = LIGHT_STEPS
        key = (name, round(min(max(mix, 0.0), 1.0) * q), round(min(max(lit, 0.0), 1.0) * q))
        got = self._palettes.get(key)
        if got is None:
            got = in_light(costume, figure_light(key[1] / q, key[2] / q))
            if len(self._palettes) > 4 * (q + 1) ** 2:
                self._palettes.clear()
            self._palettes[key] = got
        return got

    def figure(self, view: View, d: DancerState, mix: float, lit: float) -> Figure | None:
        """The dancer ``d`` as the room shows it in the light ``mix``, ``lit`` (0..1) as much as
        it stands in a shaft; None when it is not there."""
        if d.visible <= 0.0:
            return None
        costume = costume_of(d.name)
        pal = self.palette(d.name, costume, mix, lit)
        dist = d.distance

        def to_screen(x: float, y: float) -> tuple[float, float]:
            return view.to_screen(x, y, dist)

        sketch = self._sketch(d, costume, to_screen, view.depth_scale(dist))
        if sketch is None:
            return None
        sprite = self._draw(sketch, d, costume, pal)
        pos = sketch.pos
        # the rim: window light on the edges that face the windows, stronger in a shaft
        strength = (RIM_BASE + RIM_LIT * lit) * (0.92 + 0.1 * mix) * d.visible
        if costume.gown is not None:
            strength *= costume.gown.rim
        rim_col = _scaled(light_color(mix), 255 * strength)
        unit = RIM_WIDTH * view.px * view.camera.zoom
        toward = (min(-1, round(RIM_DIR[0] * unit)), min(-1, round(RIM_DIR[1] * unit)))
        rim = rim_light(sprite, rim_col, toward)
        if d.visible < 1.0:
            sprite.set_alpha(round(255 * d.visible))
        return Figure(sprite, pos, d, costume, rim, pos, sketch.extent)

    def sprite(
        self,
        d: DancerState,
        costume: Costume,
        palette: Palette,
        to_screen: ToScreen,
        scale: float,
    ) -> tuple[pygame.Surface, tuple[int, int]] | None:
        """The figure as a small anti-aliased sprite and where its top-left goes on the picture.

        ``to_screen`` maps world meters to the picture (an affine map), ``scale`` is its pixels
        per meter."""
        sketch = self._sketch(d, costume, to_screen, scale)
        if sketch is None:
            return None
        return self._draw(sketch, d, costume, palette), sketch.pos

    def _draw(
        self, sketch: _Sketch, d: DancerState, costume: Costume, palette: Palette
    ) -> pygame.Surface:
        w, h = sketch.size
        big = pygame.Surface((math.ceil(w * sketch.ss), math.ceil(h * sketch.ss)), pygame.SRCALPHA)
        _paint(big, sketch, costume, palette, d.heading, self._splines)
        sprite = pygame.transform.smoothscale(big, (w, h))
        if costume.shaded:
            sprite.blit(self._shadow(w, h), (0, 0), special_flags=pygame.BLEND_RGB_MULT)
        return sprite

    def _sketch(
        self, d: DancerState, costume: Costume, to_screen: ToScreen, scale: float
    ) -> _Sketch | None:
        """Where every part of the figure falls on its sprite, and the sprite's place and size."""
        segs = d.segments
        if not segs:
            return None
        # the picture is an affine map of the world: find it once, then map everything with numpy
        o = np.array(to_screen(0.0, 0.0))
        m = np.stack([np.array(to_screen(1.0, 0.0)) - o, np.array(to_screen(0.0, 1.0)) - o])

        def tr(pts: Sequence[Point] | Arr) -> Arr:
            return o + np.asarray(pts, np.float64).reshape(-1, 2) @ m

        gown = costume.gown
        fuller = np.array([gown.fuller.get(g.name, 1.0) if gown is not None else 1.0 for g in segs])
        # turned toward the camera her sides stand apart and her body is broad (a rotation
        # about her own axis, seen from the front)
        dx, broad = spread([g.name for g in segs], d.heading)
        world = np.array([p for g in segs for p in (g.a, g.b)], np.float64)
        world[:, 0] += np.repeat(dx, 2)
        ends = tr(world)
        A, B = ends[0::2], ends[1::2]
        RA = np.array([g.ra for g in segs]) * scale * fuller * broad
        RB = np.array([g.rb for g in segs]) * scale * fuller * broad
        r = np.maximum(RA, RB)[:, None]
        lo = np.minimum(A, B) - r
        hi = np.maximum(A, B) + r
        skirt = np.zeros((0, 2))
        chain: list[Point] = []
        if gown is not None:
            chain = skirt_chain(d)
            outline = gown_shape(d, chain, gown, self._splines, flare(d.spin))
            if len(outline):
                skirt = tr(outline)
                lo = np.vstack([lo, skirt])
                hi = np.vstack([hi, skirt])
        e0, e1 = lo.min(axis=0), hi.max(axis=0)
        extent = (math.floor(e0[0]), math.floor(e0[1]), math.ceil(e1[0]), math.ceil(e1[1]))
        # the sprite's margin: the limbs' swell, the joints' caps and the smoothing
        rm = float(r.max()) * 0.4 + 3
        x0, y0 = math.floor(e0[0] - rm), math.floor(e0[1] - rm)
        x1, y1 = math.ceil(e1[0] + rm), math.ceil(e1[1] + rm)
        w, h = x1 - x0, y1 - y0
        if w <= 0 or h <= 0 or w * h > 4_000_000:
            return None
        SS = supersampling(scale)
        shift = np.array([x0, y0], np.float64)

        def to_sprite(pts: Arr) -> list[list[float]]:
            return ((tr(pts) - shift) * SS).tolist()

        parts = _parts(d, (A - shift) * SS, (B - shift) * SS, RA * SS, RB * SS)
        return _Sketch((x0, y0), (w, h), SS, to_sprite, parts, skirt, chain, extent)

    def _shadow(self, w: int, h: int) -> pygame.Surface:
        """The light across a figure of ``w`` x ``h`` pixels (a multiply), from a few kept
        sizes."""
        key = (-(-w // GRADIENT_STEP) * GRADIENT_STEP, -(-h // GRADIENT_STEP) * GRADIENT_STEP)
        got = self._shadows.get(key)
        if got is None:
            if self._gradient is None:
                self._gradient = _gradient()
            if len(self._shadows) >= GRADIENTS_KEPT:
                self._shadows.pop(next(iter(self._shadows)))
            # nearest-neighbour scaling of a fine gradient: steps of a level or two, unseen
            got = self._shadows[key] = pygame.transform.scale(self._gradient, key)
        return got


def _parts(d: DancerState, A: Arr, B: Arr, RA: Arr, RB: Arr) -> dict[str, _Part]:
    """Each segment on the sprite by name, with its limb's outline (ends, radii in its pixels)."""
    keys = [g.name.split("_", 1)[-1] for g in d.segments]
    swell = np.array([SWELL.get(k, (0.0, 0.5))[0] for k in keys])
    at = np.array([SWELL.get(k, (0.0, 0.5))[1] for k in keys])
    shapes = outlines(A, B, RA, RB, swell, at).tolist()
    a_l, b_l, ra_l, rb_l = A.tolist(), B.tolist(), RA.tolist(), RB.tolist()
    return {
        g.name: _Part(g.name, a_l[i], b_l[i], ra_l[i], rb_l[i], shapes[i])
        for i, g in enumerate(d.segments)
    }


def _paint(
    big: pygame.Surface,
    sketch: _Sketch,
    costume: Costume,
    palette: Palette,
    yaw: float,
    splines: SplineMaps,
) -> None:
    """Every part of the figure onto its supersampled sprite, back to front, in its colours."""
    gown = costume.gown
    for name in order(yaw):
        if name == "#skirt":
            if len(sketch.skirt) >= 3 and gown is not None and palette.gown is not None:
                cloth = palette.gown
                pygame.draw.polygon(big, cloth, _on_sprite(sketch, sketch.skirt))
                width = max(1, round(sketch.ss))
                folds(big, sketch.chain, sketch.to_sprite, gown, cloth, width, splines)
            continue
        if name == "#hair":
            if palette.hair is not None:
                _hair(big, sketch.parts, palette.hair, yaw, bun=costume.bun)
            continue
        part = sketch.parts.get(name)
        if part is None:
            continue
        if gown is not None and name in gown.covers and palette.gown is not None:
            col = palette.gown
        elif name in costume.bare and palette.skin is not None:
            col = palette.skin
        else:
            col = palette.body
        _shape(big, part, col)


def _on_sprite(sketch: _Sketch, pts: Arr) -> list[list[float]]:
    """Picture pixels to the supersampled sprite's."""
    x0, y0 = sketch.pos
    return ((pts - np.array([x0, y0], np.float64)) * sketch.ss).tolist()
