"""The mirror wall: both dancers reflected where perspective puts them, and the presence.

Reflections are the same figures seen at ``REFLECTION_DEPTH`` (smaller, higher toward the
vanishing line), dimmer and cooler. Each mirror panel hangs a hair out of true, so a reflection
crossing a seam breaks very slightly. The presence is drawn here and only here: it is never in
the room.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from ..state import DancerState, FrameState, Segment
from .camera import DANCER_DEPTH, MIRROR_DEPTH, REFLECTION_DEPTH, View
from .costume import PRESENCE, Costume, Palette
from .figures import Figure, Figures
from .film import noise
from .studio import PANELS, draw_fixtures, mirror_rect, panel_edges

#: Reflections: cooler and dimmer than the figures (a multiply on the figure's own sprite).
MIRROR_TINT = (118, 132, 160)
MIRROR_ALPHA = 0.85
#: The presence stands at least this far (m) from each reflection.
PRESENCE_GAP = 0.85
#: The presence's plane (m from the camera): a little beyond the reflections of the home plane.
PRESENCE_DEPTH = REFLECTION_DEPTH + 0.6

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

#: The presence: a standing figure, arms a little open, palms toward the room (meters, feet at
#: the origin). It breathes: the arms lift and open, the chest rises, then both settle.
PRESENCE_BODY: tuple[Segment, ...] = (
    Segment("pelvis", (0.0, 0.9), (0.0, 1.07), 0.11, 0.1),
    Segment("l_thigh", (-0.08, 0.93), (-0.1, 0.5), 0.08, 0.055),
    Segment("l_shin", (-0.1, 0.5), (-0.11, 0.07), 0.05, 0.035),
    Segment("l_foot", (-0.11, 0.07), (-0.19, 0.0), 0.03, 0.02),
    Segment("r_thigh", (0.08, 0.93), (0.1, 0.5), 0.08, 0.055),
    Segment("r_shin", (0.1, 0.5), (0.11, 0.07), 0.05, 0.035),
    Segment("r_foot", (0.11, 0.07), (0.19, 0.0), 0.03, 0.02),
)
#: The arms' angles below the horizontal (degrees: shoulder, elbow bend) as the breath goes out
#: (0) and in (1), and how far the chest and head rise (m).
ARMS_OUT = (58.0, 14.0)
ARMS_IN = (34.0, 24.0)
CHEST_RISE = 0.018
#: Seconds of one breath; how far (m) the figure sways and floats meanwhile, and how long that
#: takes (not a multiple of the breath, so the two never fall into step).
BREATH_SECONDS = 5.2
SWAY = (0.05, 0.025)
SWAY_SECONDS = 11.7
#: Steps of the breath pre-rendered (the picture crossfades between neighbours).
BREATH_STEPS = 8
#: How much light the presence adds at full opacity (of 255, its brightest): faint.
PRESENCE_LIGHT = (46, 49, 56)


def presence_pose(breath: float) -> tuple[Segment, ...]:
    """The presence at a point of its breath (0 out ... 1 in), in meters, feet at the origin.

    >>> low, high = presence_pose(0.0), presence_pose(1.0)
    >>> hand = lambda pose: next(s.b for s in pose if s.name == "r_hand")
    >>> hand(high)[1] > hand(low)[1]  # the hands rise as she breathes in
    True
    """
    u = 0.5 - 0.5 * math.cos(math.pi * min(max(breath, 0.0), 1.0))
    rise = CHEST_RISE * u
    top = 1.42 + rise
    segs = list(PRESENCE_BODY)
    segs += [
        Segment("chest", (0.0, 1.07), (0.0, top), 0.1, 0.12),
        Segment("neck", (0.0, top), (0.0, top + 0.08), 0.045, 0.045),
        # the head a touch forward and down, as if looking at the two below
        Segment("head", (0.0, top + 0.08), (0.012, top + 0.275), 0.085, 0.075),
    ]
    down = ARMS_OUT[0] + (ARMS_IN[0] - ARMS_OUT[0]) * u
    bend = ARMS_OUT[1] + (ARMS_IN[1] - ARMS_OUT[1]) * u
    for side, sx in (("l", -1.0), ("r", 1.0)):
        sh = (0.16 * sx, top - 0.03)
        a1 = math.radians(down)
        el = (sh[0] + sx * 0.28 * math.cos(a1), sh[1] - 0.28 * math.sin(a1))
        a2 = math.radians(down - bend)  # the forearm lifts a little from the elbow
        wr = (el[0] + sx * 0.26 * math.cos(a2), el[1] - 0.26 * math.sin(a2))
        a3 = math.radians(down - 1.6 * bend)
        tip = (wr[0] + sx * 0.13 * math.cos(a3), wr[1] - 0.13 * math.sin(a3))
        segs += [
            Segment(f"{side}_upper_arm", sh, el, 0.05, 0.04),
            Segment(f"{side}_forearm", el, wr, 0.04, 0.03),
            Segment(f"{side}_hand", wr, tip, 0.03, 0.02),
        ]
    return tuple(segs)


def breath(t: float) -> float:
    """How far into its breath the presence is at ``t`` (0 out ... 1 in), slowly rising and
    falling.

    >>> breath(0.0), round(breath(BREATH_SECONDS / 2), 6)
    (0.0, 1.0)
    """
    return 0.5 - 0.5 * math.cos(2.0 * math.pi * t / BREATH_SECONDS)


def sway(t: float) -> tuple[float, float]:
    """Where the presence drifts (m, sideways and up) at ``t``: a slow float, never still."""
    a = 2.0 * math.pi * t / SWAY_SECONDS
    return SWAY[0] * math.sin(a), SWAY[1] * (0.5 - 0.5 * math.cos(2.0 * a + 0.7))


def blit_in_panels(
    out: pygame.Surface,
    sprite: pygame.Surface,
    pos: tuple[int, int],
    view: View,
    special_flags: int = 0,
) -> None:
    """Blit a reflection panel by panel, each panel's piece shifted by its slight misalignment.

    The panels stay where they hang and the image in each is shifted: a piece covers exactly its
    panel, so pieces never overlap at a seam (an additive blit would double there)."""
    edges = panel_edges(view)
    w, h = sprite.get_size()
    unit = 2.0 * view.px * view.camera.zoom
    for i in range(PANELS):
        dx, dy = PANEL_SHIFT[i]
        sx, sy = round(dx * unit), round(dy * unit)
        left = max(0, math.floor(edges[i]) - pos[0] - sx)
        right = min(w, math.floor(edges[i + 1]) - pos[0] - sx)
        if right <= left:
            continue
        area = pygame.Rect(left, 0, right - left, h)
        out.blit(sprite, (pos[0] + left + sx, pos[1] + sy), area, special_flags)


class Presence:
    """The third silhouette: a soft glow of pale light, pre-rendered per scale at a few steps of
    its breath (crossfaded between), swaying slowly, seen through the mirror's panels."""

    def __init__(self, figures: Figures) -> None:
        self._figures = figures
        self._scale: float | None = None
        self._steps: dict[int, tuple[pygame.Surface, tuple[int, int]] | None] = {}

    def sprite(self, scale: float, step: int = 0) -> tuple[pygame.Surface, tuple[int, int]] | None:
        """The glow at ``step`` of ``BREATH_STEPS`` of its breath, and its offset from the feet."""
        key = round(scale, 2)
        if self._scale != key:
            self._scale, self._steps = key, {}
        if step not in self._steps:
            self._steps[step] = _glow(self._figures, key, presence_pose(step / BREATH_STEPS))
        return self._steps[step]

    def draw(self, out: pygame.Surface, view: View, x: float, opacity: float, t: float) -> None:
        if opacity <= 0.0:
            return
        depth = PRESENCE_DEPTH
        scale = view.depth_scale(depth)
        u = breath(t) * BREATH_STEPS
        lo = min(int(u), BREATH_STEPS - 1)
        w = u - lo
        dx, dy = sway(t)
        sx, sy = view.to_screen(x + dx, dy, depth)
        # it glows a little more as it breathes in
        level = min(opacity, 1.0) * (0.86 + 0.14 * breath(t))
        for step, share in ((lo, 1.0 - w), (lo + 1, w)):
            v = round(255 * level * share)
            made = self.sprite(scale, step)
            if made is None or v <= 0:
                continue
            glow, (ox, oy) = made
            faded = glow.copy()
            faded.fill((v, v, v), special_flags=pygame.BLEND_MULT)
            at = (round(sx + ox), round(sy + oy))
            blit_in_panels(out, faded, at, view, pygame.BLEND_ADD)


def _glow(
    figures: Figures, scale: float, pose: tuple[Segment, ...]
) -> tuple[pygame.Surface, tuple[int, int]] | None:
    """The presence in one pose: the figure blurred (scaled down and up) into a wide glow, a
    softer one and only a trace of the core, as light to add."""
    ghost = DancerState("presence", 1.0, 1.0, pose, {})
    made = figures.sprite(
        ghost, PRESENCE, Palette.plain(PRESENCE), lambda x, y: (x * scale, -y * scale), scale
    )
    if made is None:
        return None
    core, (x0, y0) = made
    pad = max(4, round(scale * 0.12))
    w, h = core.get_width() + 2 * pad, core.get_height() + 2 * pad
    canvas = pygame.Surface((w, h))
    canvas.blit(core, (pad, pad))
    small = pygame.transform.smoothscale(canvas, (max(1, w // 6), max(1, h // 6)))
    glow = pygame.transform.smoothscale(small, (w, h))
    mid = pygame.transform.smoothscale(
        pygame.transform.smoothscale(canvas, (max(1, w // 2), max(1, h // 2))), (w, h)
    )
    mid.fill((120, 120, 120), special_flags=pygame.BLEND_MULT)
    canvas.fill((40, 40, 40), special_flags=pygame.BLEND_MULT)
    glow.blit(mid, (0, 0), special_flags=pygame.BLEND_ADD)
    glow.blit(canvas, (0, 0), special_flags=pygame.BLEND_ADD)
    glow.fill(PRESENCE_LIGHT, special_flags=pygame.BLEND_MULT)
    return glow, (x0 - pad, y0 - pad)


def clip_to_mirror(out: pygame.Surface, view: View) -> pygame.Rect:
    r = mirror_rect(view).clip(out.get_rect())
    out.set_clip(r)
    return r


def reflection(
    sprite: pygame.Surface, pos: tuple[int, int], view: View, depth: float = DANCER_DEPTH
) -> tuple[pygame.Surface, tuple[int, int]]:
    """A figure's sprite (at ``pos`` on the picture, drawn on the plane ``depth`` m from the
    camera) as the mirror shows it, and where: as far behind the glass as the figure stands in
    front of it, so scaled toward the vanishing point by the two planes' ratio, tinted cool. On
    every plane the picture is the same linear map of the world, only the scale differs, so the
    figure's own sprite serves. Walking toward the mirror a dancer meets her reflection."""
    k = depth / (2.0 * MIRROR_DEPTH - depth)
    cx, cy = view.width / 2, view.height / 2
    w, h = sprite.get_size()
    small = pygame.transform.smoothscale(sprite, (max(1, round(w * k)), max(1, round(h * k))))
    small.fill(MIRROR_TINT, special_flags=pygame.BLEND_RGB_MULT)
    return small, (round(cx + (pos[0] - cx) * k), round(cy + (pos[1] - cy) * k))


def reflection_alpha(costume: Costume, visible: float, fs: FrameState) -> float:
    """How opaque a reflection is (0..1): dimmer than the figure, and for a costume whose
    reflection flickers, failing as the show's ``flicker`` asks (at `open`).

    >>> from thereturn_viz.render.costume import LEAD, PARTNER
    >>> fs = FrameState(0.0, "open", (), flicker=1.0)
    >>> reflection_alpha(PARTNER, 1.0, fs) == MIRROR_ALPHA > reflection_alpha(LEAD, 1.0, fs)
    True
    """
    alpha = MIRROR_ALPHA * visible
    if costume.reflection_flickers and fs.flicker > 0.0:
        alpha *= 1.0 - fs.flicker * _reflection_flicker(fs.seed, fs.t)
    return max(0.0, min(1.0, alpha))


def _reflection_flicker(seed: int, t: float) -> float:
    """How much of a flickering reflection is lost at ``t`` (0..1): an unsteady, failing glass."""
    a = noise(seed + 17, int(t * 14.0))
    return 0.15 + 0.75 * a * a


def presence_x(fs: FrameState) -> float:
    """Where the presence stands (m, on its own plane beyond the glass): where the mirror's
    geometry puts the space between the two reflections, each seen as far behind the glass as
    its dancer stands in front of it; or beside them when they meet.

    >>> from thereturn_viz.state import DancerState
    >>> at = lambda x, z: DancerState("lead", 1.0, 1.0, (), {"pelvis": (x, 1.0)}, depth=z)
    >>> round(presence_x(FrameState(0.0, "", (at(-2.0, 3.0), at(1.0, 3.0)))), 3)
    -0.521
    >>> round(presence_x(FrameState(0.0, "", (at(-2.0, 3.0), at(1.0, 1.0)))), 3)
    -0.435
    """
    cam = fs.camera.x
    # each reflection's direction from the camera, as a point of the presence's plane
    xs = sorted(
        cam
        + (d.joints.get("pelvis", (0.0, 0.0))[0] - cam) * PRESENCE_DEPTH / (MIRROR_DEPTH + d.depth)
        for d in fs.dancers
    )
    if not xs:
        return 0.0
    if len(xs) >= 2 and xs[-1] - xs[0] >= 2 * PRESENCE_GAP:
        return (xs[0] + xs[-1]) / 2
    # they are together (the lift): stand beside their reflections on the side of the picture's
    # centre, where the dancers themselves (further out than their reflections) do not hide it
    if (xs[0] + xs[-1]) / 2 >= cam:
        return xs[0] - PRESENCE_GAP * 1.3
    return xs[-1] + PRESENCE_GAP * 1.3


class Mirror:
    """The mirror wall's layer: the presence and both reflections, seen through the panels, with
    the crisp fixtures (seams, frame, barre) over them. Owns the presence's pre-rendered glow."""

    def __init__(self, figures: Figures) -> None:
        self.presence = Presence(figures)

    def draw(
        self, out: pygame.Surface, view: View, fs: FrameState, figures: Sequence[Figure | None]
    ) -> None:
        clip = clip_to_mirror(out, view)
        if clip.width <= 0 or clip.height <= 0:
            out.set_clip(None)
            return
        if fs.presence > 0.0:
            self.presence.draw(out, view, presence_x(fs), fs.presence, fs.t)
        for fig in figures:
            if fig is None:
                continue
            small, at = reflection(fig.sprite, fig.pos, view, fig.dancer.distance)
            alpha = reflection_alpha(fig.costume, fig.dancer.visible, fs)
            small.set_alpha(round(255 * alpha))
            blit_in_panels(out, small, at, view)
        draw_fixtures(out, view, fs.light_mix)
        out.set_clip(None)
