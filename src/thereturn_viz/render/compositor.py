"""Stacks the layers of the picture: room, mirror, floor gloss, figures, dust, film, fade.

Every layer reads only the FrameState. What does not change between frames (the room for a view
and light, the grain, the vignette, the glint sprites, the presence) is cached here, per size.
"""

from __future__ import annotations

import time

import pygame

from ..state import Camera, DancerState, FrameState
from .camera import DANCER_DEPTH, REFLECTION_DEPTH, View
from .dust import DustLayer
from .figures import Palette, figure_sprite
from .film import Film, flicker, noise
from .light import light_color, shafts, to_wall
from .mirror import Presence, blit_in_panels, clip_to_mirror
from .studio import Room, draw_fixtures

RGB = tuple[int, int, int]

LEAD = (22, 19, 21)
PARTNER_SKIN = (138, 114, 102)
GOWN = (206, 194, 178)
#: Reflections: cooler and dimmer than the figures.
LEAD_MIRROR = (17, 19, 25)
PARTNER_MIRROR = (62, 62, 70)
GOWN_MIRROR = (104, 110, 124)
MIRROR_ALPHA = 0.88
#: The floor's gloss: how much of a figure it gives back.
FLOOR_ALPHA = 0.24
#: Light direction on screen (down and right): the rim is on the side facing the windows.
RIM_DIR = (-0.75, -0.66)


def _mix(a: RGB, b: RGB, u: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * u),
        round(a[1] + (b[1] - a[1]) * u),
        round(a[2] + (b[2] - a[2]) * u),
    )


def _scaled(c: tuple[float, float, float], k: float) -> RGB:
    return (min(255, round(c[0] * k)), min(255, round(c[1] * k)), min(255, round(c[2] * k)))


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
        self._ramp = pygame.Surface((1, 64), pygame.SRCALPHA)
        for i in range(64):
            self._ramp.set_at((0, i), (255, 255, 255, round(255 * (1 - i / 63) ** 1.6)))
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
        out.blit(self.room(view).draw(view, fs.light_mix), (0, 0))
        marks.append(clock())
        self._mirror(out, view, fs)
        marks.append(clock())
        sprites = [self._figure(view, d, fs.light_mix) for d in fs.dancers]
        marks.append(clock())
        for sp in sprites:
            if sp is not None:
                self._floor_gloss(out, view, *sp)
        marks.append(clock())
        for sp in sprites:
            if sp is not None:
                out.blit(sp[0], sp[1])
        marks.append(clock())
        self.glints = self._dust.draw(out, view, fs.dust, fs.light_mix)
        marks.append(clock())
        shade = fs.fade
        if fs.film:
            self.film(fs.seed).draw(out, fs.seed, fs.t)
            shade *= flicker(fs.seed, fs.t)
        marks.append(clock())
        if shade < 1.0:
            v = max(0, min(255, round(255 * shade)))
            out.fill((v, v, v), special_flags=pygame.BLEND_MULT)
        marks.append(clock())
        names = ("studio", "mirror", "figures", "floor", "blit", "dust", "film", "fade")
        self.timings = {n: marks[i + 1] - marks[i] for i, n in enumerate(names)}
        self.timings["figures"] += self.timings.pop("blit")
        return out

    # -- layers -----------------------------------------------------------------------------
    def _rim(self, view: View, d: DancerState, mix: float, k: float) -> RGB:
        """The window light on a figure's edge: stronger where the figure stands in a shaft."""
        cx, cy = d.joints.get("pelvis", (0.0, 1.0))
        cam = view.camera
        xw, yw = to_wall(cx, cy + 0.35, DANCER_DEPTH, cam.x, cam.y)
        lit = float(shafts(xw, yw, mix))
        return _scaled(light_color(mix), 255 * k * (0.3 + 0.5 * min(lit, 1.0)))

    def _figure(
        self, view: View, d: DancerState, mix: float
    ) -> tuple[pygame.Surface, tuple[int, int], DancerState] | None:
        if d.visible <= 0.0:
            return None
        rim = self._rim(view, d, mix, 0.85)
        unit = 1.6 * view.px * view.camera.zoom
        off = (RIM_DIR[0] * unit, RIM_DIR[1] * unit)
        partner = d.name != "lead"
        body = LEAD if not partner else PARTNER_SKIN
        pal = Palette(
            body,
            _mix(body, rim, 0.75),
            GOWN if partner else None,
            _mix(GOWN, (255, 250, 240), 0.5) if partner else None,
        )
        made = figure_sprite(
            d, lambda x, y: view.to_screen(x, y), view.scale, pal, off, gown=partner
        )
        if made is None:
            return None
        sprite, pos = made
        if d.visible < 1.0:
            sprite.set_alpha(round(255 * d.visible))
        return sprite, pos, d

    def _floor_gloss(
        self,
        out: pygame.Surface,
        view: View,
        sprite: pygame.Surface,
        pos: tuple[int, int],
        d: DancerState,
    ) -> None:
        floor_y = view.to_screen(0.0, 0.0)[1]
        w, h = sprite.get_size()
        top = round(2 * floor_y - (pos[1] + h))
        if top >= self.size[1]:
            return
        flipped = pygame.transform.flip(sprite, False, True)
        fade_len = max(4, round(min(h, 1.1 * view.scale)))
        ramp = pygame.transform.scale(self._ramp, (w, fade_len))
        mask = pygame.Surface((w, h), pygame.SRCALPHA)
        mask.fill((255, 255, 255, 0))
        start = max(0, round(floor_y) - top)
        mask.blit(ramp, (0, start))
        if start > 0:
            mask.fill((255, 255, 255, 255), pygame.Rect(0, 0, w, start))
        flipped.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
        flipped.set_alpha(round(255 * FLOOR_ALPHA * d.visible))
        clip = out.get_clip()
        out.set_clip(pygame.Rect(0, round(floor_y), self.size[0], self.size[1]))
        out.blit(flipped, (pos[0], top))
        out.set_clip(clip)

    def _mirror(self, out: pygame.Surface, view: View, fs: FrameState) -> None:
        clip = clip_to_mirror(out, view)
        if clip.width <= 0 or clip.height <= 0:
            out.set_clip(None)
            return
        visible = [d for d in fs.dancers if d.visible > 0.0]
        if fs.presence > 0.0:
            self._presence.draw(out, view, _between(fs), fs.presence)
        scale = view.depth_scale(REFLECTION_DEPTH)
        unit = 0.8 * view.px * view.camera.zoom
        off = (RIM_DIR[0] * unit, RIM_DIR[1] * unit)
        for d in visible:
            partner = d.name != "lead"
            rim = self._rim(view, d, fs.light_mix, 0.4)
            body = PARTNER_MIRROR if partner else LEAD_MIRROR
            pal = Palette(
                body,
                _mix(body, rim, 0.45),
                GOWN_MIRROR if partner else None,
                _mix(GOWN_MIRROR, rim, 0.3) if partner else None,
            )
            made = figure_sprite(
                d,
                lambda x, y: view.to_screen(x, y, REFLECTION_DEPTH),
                scale,
                pal,
                off,
                gown=partner,
            )
            if made is None:
                continue
            sprite, pos = made
            alpha = MIRROR_ALPHA * d.visible
            if d.name == "lead" and fs.flicker > 0.0:
                alpha *= 1.0 - fs.flicker * _reflection_flicker(fs.seed, fs.t)
            sprite.set_alpha(round(255 * max(0.0, min(1.0, alpha))))
            blit_in_panels(out, sprite, pos, view)
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
    # they are together (the lift): stand beside them, on the side away from the windows
    return xs[-1] + PRESENCE_GAP * 1.3
