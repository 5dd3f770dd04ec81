"""Stacks the layers of the picture: room, mirror, floor gloss, figures, dust, film, fade.

Every layer reads only the FrameState. What does not change between frames (the room for a view
and light, the grain, the vignette, the glint sprites, the presence) is cached here, per size.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pygame

from ..state import Camera, DancerState, FrameState
from .camera import DANCER_DEPTH, REFLECTION_DEPTH, View
from .dust import DustLayer
from .figures import Palette, figure_sprite, rim_light
from .film import Film, film_gain, noise
from .light import SHAFT_TABLE, light_color, to_wall
from .mirror import Presence, blit_in_panels, clip_to_mirror
from .studio import Room, draw_fixtures

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Figure:
    """A dancer drawn for one frame: the sprite, its rim of light (added), where both go."""

    sprite: pygame.Surface
    pos: tuple[int, int]
    dancer: DancerState
    rim: pygame.Surface
    rim_pos: tuple[int, int]


#: The lead: dark simple clothes, bare hands and feet, short dark hair.
LEAD = (24, 21, 23)
LEAD_SKIN = (92, 70, 60)
LEAD_HAIR = (16, 13, 12)
#: The partner: a light gown, bare arms, her hair up.
PARTNER_SKIN = (150, 122, 106)
PARTNER_HAIR = (40, 30, 26)
GOWN = (212, 202, 188)
#: Reflections: cooler and dimmer than the figures (a multiply on the figure's own sprite).
MIRROR_TINT = (118, 132, 160)
MIRROR_ALPHA = 0.85
#: The floor's gloss: how much of a figure it gives back.
FLOOR_ALPHA = 0.26
#: Bands of the floor reflection's fade, and how much softer than the figure it is (a factor).
GLOSS_BANDS = 16
GLOSS_SOFTEN = 4
#: Toward the light on screen (up and left): the rim is on the side facing the windows.
RIM_DIR = (-0.75, -0.66)
#: The rim's width (design pixels at 1080p) and its light: always a little (so the dark lead
#: stays readable against the dark room), more in a shaft; less on the light gown.
RIM_WIDTH = 2.0
RIM_BASE = 0.3
RIM_LIT = 0.55
RIM_GOWN = 0.8


def _mix(a: RGB, b: RGB, u: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * u),
        round(a[1] + (b[1] - a[1]) * u),
        round(a[2] + (b[2] - a[2]) * u),
    )


def _scaled(c: tuple[float, float, float], k: float) -> RGB:
    return (min(255, round(c[0] * k)), min(255, round(c[1] * k)), min(255, round(c[2] * k)))


#: The figures in the room's light. The studio's own light on them, away from any shaft: dim and
#: a little warm in the morning, brighter and silvery after the lift (a factor per channel).
AMBIENT_MORNING = (0.8, 0.75, 0.7)
AMBIENT_AFTER = (0.93, 0.96, 1.04)
#: What standing in a shaft adds, times the sunlight's colour: morning, after the lift.
SHAFT_LIFT = (0.5, 0.36)
#: The light on a figure is quantised to this many steps of the light's mix and of the shaft.
LIGHT_STEPS = 32
#: Where a lit colour starts to roll off toward white instead of clipping (0..1).
SHOULDER = 0.82


def figure_light(mix: float, lit: float) -> tuple[float, float, float]:
    """The light falling on a figure (a factor per channel on its colours): the room's ambient
    for the light's ``mix``, plus the sunlight's colour as much as it stands in a shaft (``lit``).

    >>> dim, in_shaft = figure_light(0.0, 0.0), figure_light(0.0, 1.0)
    >>> dim[0] < in_shaft[0] and dim[0] - dim[2] < in_shaft[0] - in_shaft[2]  # warmer in a shaft
    True
    >>> after = figure_light(1.0, 0.0)
    >>> after[2] > after[0] and after[2] > dim[2]  # silvery after the lift
    True
    """
    lc = light_color(mix)
    lift = lit * (SHAFT_LIFT[0] + (SHAFT_LIFT[1] - SHAFT_LIFT[0]) * mix)
    return tuple(  # type: ignore[return-value]
        a + (b - a) * mix + lift * c
        for a, b, c in zip(AMBIENT_MORNING, AMBIENT_AFTER, lc, strict=True)
    )


def _shoulder(v: float) -> int:
    """A lit channel (0..1 and beyond) to 0..255, rolling off softly instead of clipping."""
    if v > SHOULDER:
        room = 1.0 - SHOULDER
        v = SHOULDER + room * (1.0 - math.exp(-(v - SHOULDER) / room))
    return max(0, min(255, round(v * 255)))


def _lit(c: RGB, k: tuple[float, float, float]) -> RGB:
    return (
        _shoulder(c[0] / 255 * k[0]),
        _shoulder(c[1] / 255 * k[1]),
        _shoulder(c[2] / 255 * k[2]),
    )


_PALETTES: dict[tuple[str, int, int], Palette] = {}


def lit_palette(name: str, mix: float, lit: float) -> Palette:
    """A dancer's colours in the light of the moment (quantised, cached): her gown glows warm in
    a shaft and turns silver after the lift; in the dim morning, away from the light, both fade
    into the room. Reflections and the floor's gloss reuse the sprite, so they follow."""
    q = LIGHT_STEPS
    key = (name, round(min(max(mix, 0.0), 1.0) * q), round(min(max(lit, 0.0), 1.0) * q))
    got = _PALETTES.get(key)
    if got is not None:
        return got
    k = figure_light(key[1] / q, key[2] / q)
    if name == "lead":
        body = _lit(LEAD, k)
        pal = Palette(body, body, skin=_lit(LEAD_SKIN, k), hair=_lit(LEAD_HAIR, k))
    else:
        skin = _lit(PARTNER_SKIN, k)
        pal = Palette(skin, skin, _lit(GOWN, k), skin=skin, hair=_lit(PARTNER_HAIR, k))
    if len(_PALETTES) > 4 * (q + 1) ** 2:
        _PALETTES.clear()
    _PALETTES[key] = pal
    return pal


class Renderer:
    """Draws FrameStates at one size; caches what does not change between frames."""

    def __init__(self, size: tuple[int, int], seed: int = 0) -> None:
        if size[0] < 16 or size[1] < 16:
            raise ValueError(f"picture size {size[0]}x{size[1]} is too small (16x16 at least)")
        self.size = size
        self.frame = pygame.Surface(size)
        self._room: Room | None = None
        self._film: Film | None = None
        self._film_seed = seed
        self._dust = DustLayer()
        self._presence = Presence()
        self._fade = pygame.Surface((1, 1))
        #: seconds spent in each layer by the last :meth:`draw`, read by ``bench``
        self.timings: dict[str, float] = {}
        #: specks of dust that glinted in the last frame
        self.glints = 0

    def to_world(self, pos: tuple[float, float], fs: FrameState | None) -> tuple[float, float]:
        """The world point (m, on the dancers' plane) under a picture position: for the pointer."""
        cam = fs.camera if fs is not None else Camera()
        view = View(self.size[0], self.size[1], cam)
        s = view.scale
        return (
            cam.x + (pos[0] - self.size[0] / 2) / s,
            cam.y - (pos[1] - self.size[1] / 2) / s,
        )

    def room(self, view: View) -> Room:
        cam = view.camera
        if self._room is None or self._room.cam != (cam.x, cam.y):
            self._room = Room(self.size, cam)
        return self._room

    def film(self, seed: int) -> Film:
        if self._film is None or self._film_seed != seed:
            self._film = Film(self.size, seed)
            self._film_seed = seed
        return self._film

    def draw(self, fs: FrameState) -> pygame.Surface:
        view = View(self.size[0], self.size[1], fs.camera)
        out = self.frame
        clock = time.perf_counter
        marks = [clock()]
        self.room(view).draw_into(out, view, fs.light_mix)
        marks.append(clock())
        lits = self._lit(view, fs)
        sprites = [
            self._figure(view, d, fs.light_mix, lit)
            for d, lit in zip(fs.dancers, lits, strict=True)
        ]
        marks.append(clock())
        self._mirror(out, view, fs, sprites)
        marks.append(clock())
        for sp in sprites:
            if sp is not None:
                self._floor_gloss(out, view, sp.sprite, sp.pos, sp.dancer)
        marks.append(clock())
        glints = self._dust.prepare(view, fs.dust, fs.light_mix)
        far = self._dust.draw(out, glints, behind=True)
        marks.append(clock())
        for sp in sprites:
            if sp is not None:
                out.blit(sp.sprite, sp.pos)
                out.blit(sp.rim, sp.rim_pos, special_flags=pygame.BLEND_RGB_ADD)
        marks.append(clock())
        self.glints = far + self._dust.draw(out, glints, behind=False)
        marks.append(clock())
        shade = fs.fade
        if fs.film:
            # the vignette, the flicker and any fade go in one multiply
            self.film(fs.seed).draw(out, fs.seed, fs.t, shade * film_gain(fs.seed, fs.t))
            shade = 1.0
        marks.append(clock())
        if shade < 1.0:
            v = max(0, min(255, round(255 * shade)))
            out.fill((v, v, v), special_flags=pygame.BLEND_MULT)
        marks.append(clock())
        names = (
            "studio",
            "figures",
            "mirror",
            "floor",
            "dust",
            "blit",
            "dust_front",
            "film",
            "fade",
        )
        self.timings = {n: marks[i + 1] - marks[i] for i, n in enumerate(names)}
        self.timings["figures"] += self.timings.pop("blit")
        self.timings["dust"] += self.timings.pop("dust_front")
        return out

    # -- layers -----------------------------------------------------------------------------
    def _lit(self, view: View, fs: FrameState) -> list[float]:
        """How much each figure stands in a shaft (0..1): its rim and glow are brighter there.

        One numpy call for all of them: per-call overhead dominates at this size."""
        if not fs.dancers:
            return []
        cam = view.camera
        pel = np.array([d.joints.get("pelvis", (0.0, 1.0)) for d in fs.dancers], np.float64)
        xw, yw = to_wall(pel[:, 0], pel[:, 1] + 0.35, DANCER_DEPTH, cam.x, cam.y)
        return np.minimum(SHAFT_TABLE.at(xw, yw, fs.light_mix), 1.0).tolist()

    def _figure(self, view: View, d: DancerState, mix: float, lit: float) -> Figure | None:
        if d.visible <= 0.0:
            return None
        lc = light_color(mix)
        partner = d.name != "lead"
        pal = lit_palette(d.name, mix, lit)
        made = figure_sprite(d, lambda x, y: view.to_screen(x, y), view.scale, pal, gown=partner)
        if made is None:
            return None
        sprite, pos = made
        # the rim: window light on the edges that face the windows, stronger in a shaft
        strength = (RIM_BASE + RIM_LIT * lit) * (0.92 + 0.1 * mix) * d.visible
        if partner:
            strength *= RIM_GOWN
        rim_col = _scaled(lc, 255 * strength)
        unit = RIM_WIDTH * view.px * view.camera.zoom
        toward = (min(-1, round(RIM_DIR[0] * unit)), min(-1, round(RIM_DIR[1] * unit)))
        rim = rim_light(sprite, rim_col, toward)
        if d.visible < 1.0:
            sprite.set_alpha(round(255 * d.visible))
        rim_pos = pos
        return Figure(sprite, pos, d, rim, rim_pos)

    def _floor_gloss(
        self,
        out: pygame.Surface,
        view: View,
        sprite: pygame.Surface,
        pos: tuple[int, int],
        d: DancerState,
    ) -> None:
        """The figure upside down in the glossy floor, fading away from the feet.

        The fade is a few bands of falling opacity (blits of strips of the flipped sprite), not a
        per-pixel mask: the floor's planks and grain hide the steps."""
        floor_y = round(view.to_screen(0.0, 0.0)[1])
        w, h = sprite.get_size()
        top = 2 * floor_y - (pos[1] + h)
        if top >= self.size[1] or top + h <= floor_y:
            return
        fade_len = max(4.0, min(h, 1.1 * view.scale))
        start = max(0, floor_y - top)  # the first row of the flipped sprite below the floor
        end = min(h, start + math.ceil(fade_len))
        if end <= start:
            return
        # only the rows that show: the figure's lower part, upside down
        lower = sprite.subsurface((0, h - end, w, end - start))
        flipped = pygame.transform.flip(lower, False, True)
        # the wood's gloss is no mirror: the figure comes back soft (a blur done by scaling a
        # quarter-size copy back up, a fraction of a millisecond)
        rows = end - start
        small = (max(1, w // GLOSS_SOFTEN), max(1, rows // GLOSS_SOFTEN))
        soft = pygame.transform.smoothscale(flipped, small)
        flipped = pygame.transform.smoothscale(soft, (w, rows))
        edges = [round(fade_len * k / GLOSS_BANDS) for k in range(GLOSS_BANDS + 1)]
        for k in range(GLOSS_BANDS):
            y0, y1 = edges[k], min(edges[k + 1], rows)
            if y1 <= y0:
                break
            u = (k + 0.5) / GLOSS_BANDS
            flipped.set_alpha(round(255 * FLOOR_ALPHA * d.visible * (1.0 - u) ** 1.6))
            out.blit(flipped, (pos[0], top + start + y0), pygame.Rect(0, y0, w, y1 - y0))

    def _mirror(
        self, out: pygame.Surface, view: View, fs: FrameState, sprites: list[Figure | None]
    ) -> None:
        clip = clip_to_mirror(out, view)
        if clip.width <= 0 or clip.height <= 0:
            out.set_clip(None)
            return
        if fs.presence > 0.0:
            self._presence.draw(out, view, _between(fs), fs.presence, fs.t)
        # a reflection is the figure's own sprite scaled toward the vanishing point: on every
        # plane the picture is the same linear map of the world, only the scale differs
        k = view.depth_scale(REFLECTION_DEPTH) / view.scale
        cx, cy = view.width / 2, view.height / 2
        for sp in sprites:
            if sp is None:
                continue
            sprite, pos, d = sp.sprite, sp.pos, sp.dancer
            w, h = sprite.get_size()
            size = (max(1, round(w * k)), max(1, round(h * k)))
            small = pygame.transform.smoothscale(sprite, size)
            small.fill(MIRROR_TINT, special_flags=pygame.BLEND_RGB_MULT)
            alpha = MIRROR_ALPHA * d.visible
            if d.name == "lead" and fs.flicker > 0.0:
                alpha *= 1.0 - fs.flicker * _reflection_flicker(fs.seed, fs.t)
            small.set_alpha(round(255 * max(0.0, min(1.0, alpha))))
            at = (round(cx + (pos[0] - cx) * k), round(cy + (pos[1] - cy) * k))
            blit_in_panels(out, small, at, view)
        draw_fixtures(out, view, fs.light_mix)
        out.set_clip(None)


def _reflection_flicker(seed: int, t: float) -> float:
    """How much of the lead's reflection is lost at ``t`` (0..1): an unsteady, failing glass."""
    a = noise(seed + 17, int(t * 14.0))
    return 0.15 + 0.75 * a * a


#: The presence stands at least this far (m) from each reflection.
PRESENCE_GAP = 0.85


def _between(fs: FrameState) -> float:
    """Where the presence stands: between the two reflections, or beside them when they meet."""
    xs = sorted(d.joints.get("pelvis", (0.0, 0.0))[0] for d in fs.dancers)
    if not xs:
        return 0.0
    if len(xs) >= 2 and xs[-1] - xs[0] >= 2 * PRESENCE_GAP:
        return (xs[0] + xs[-1]) / 2
    # they are together (the lift): stand beside their reflections on the side of the picture's
    # centre, where the dancers themselves (further out than their reflections) do not hide it
    if (xs[0] + xs[-1]) / 2 >= fs.camera.x:
        return xs[0] - PRESENCE_GAP * 1.3
    return xs[-1] + PRESENCE_GAP * 1.3
