"""The room: the mirror wall with its seams and barre, the high windows, the glossy wooden floor.

The soft part of the room (every gradient, the planks, the gloss, the haze of the shafts) is
shaded with numpy at half resolution, once per picture size and light (morning, after the lift:
the first when needed, the other then shaded ahead on the renderer's worker thread), for the
widest view the camera ever takes. It is smoothly scaled once per band of zooms; the room at a
zoom is cut from that with a plain nearest-neighbour copy, with the crisp fixtures (seams, barre,
window frames) drawn on top at full resolution, kept per zoom and light; between the two lights
the two are crossfaded. So a still costs one blit, the turn of the light two, and the slow pull
back at the end one copy-scale a frame, straight into the picture.
"""

from __future__ import annotations

import math
from concurrent.futures import Executor, Future

import numpy as np
import pygame
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter

from ..state import Camera
from . import light
from .camera import DANCER_DEPTH, MIRROR_DEPTH, View
from .pixels import opaque

Arr = NDArray[np.float64]

#: The widest view the soft room covers (the camera's lowest zoom).
ZOOM_MIN = 0.7
#: Soft-room pixels per picture pixel.
SOFT = 0.5
#: The mirror: x span and top (m). Panels between seams.
MIRROR_X = (-6.0, 6.0)
MIRROR_TOP = 2.55
PANELS = 8
BARRE_Y = 1.0
BARRE_DEPTH = MIRROR_DEPTH - 0.35
PLANK = 0.17
PLANK_LENGTH = 1.9

#: The sun's pools on the floor: how much they brighten the planks, and how much less after the
#: lift (the wider, brighter shafts bring more light already).
POOL_GAIN = 1.6
POOL_EASE = 0.3
#: Where the room's brightness starts to roll off (of full scale), and the weights that say
#: how bright a colour is (Rec. 709).
KNEE = 0.8
LUMA = np.array([0.2126, 0.7152, 0.0722])

WALL = np.array([0.2, 0.17, 0.15])
MIRROR_TONE = np.array([0.2, 0.225, 0.26])
WOOD = np.array([0.42, 0.27, 0.16])
SEAM = (18, 17, 18)
FRAME = (30, 28, 27)
BARRE = (112, 86, 60)
BARRE_LIT = (168, 136, 100)


def _hash(i: Arr, salt: float) -> Arr:
    return np.modf(np.sin(i * 12.9898 + salt * 78.233) * 43758.5453)[0] % 1.0


def _wall_colour(xw: Arr, yw: Arr, mix: float) -> Arr:
    """The wall and mirror at wall-plane points, lit by the morning (no shafts yet)."""
    lc = np.array(light.light_color(mix))
    ambient = 0.8 + 0.35 * mix
    shape = xw.shape
    col = np.empty((*shape, 3))
    # plaster: darker toward the top and the far (right) side, a glow around the windows
    plaster = WALL * (0.8 + 0.2 * np.clip(1.0 - np.abs(yw - 3.0) / 3.0, 0, 1))[..., None]
    plaster *= (1.0 - 0.25 * np.clip((xw + 2.0) / 8.0, 0, 1))[..., None]
    glow = np.zeros(shape)
    wy = (light.WINDOW_Y[0] + light.WINDOW_Y[1]) / 2
    for x0, x1 in light.WINDOWS:
        d2 = (xw - (x0 + x1) / 2) ** 2 + ((yw - wy) * 0.8) ** 2
        glow += np.exp(-d2 / 1.3)
    col[:] = plaster * ambient + glow[..., None] * 0.16 * lc
    # the windows: bright sky
    for x0, x1 in light.WINDOWS:
        win = (xw >= x0) & (xw <= x1) & (yw >= light.WINDOW_Y[0]) & (yw <= light.WINDOW_Y[1])
        sky = 0.78 + 0.2 * np.clip((yw - light.WINDOW_Y[0]) / 1.5, 0, 1)
        col[win] = (sky[win, None] * (0.55 * lc + 0.45)) * (0.95 + 0.1 * mix)
    # the mirror: the room behind the camera, reflected: dim and cool, a floor at its foot
    mirror = (xw >= MIRROR_X[0]) & (xw <= MIRROR_X[1]) & (yw >= 0.0) & (yw <= MIRROR_TOP)
    panel = np.floor((xw - MIRROR_X[0]) / ((MIRROR_X[1] - MIRROR_X[0]) / PANELS))
    tone = 0.94 + 0.1 * _hash(panel, 3.0)
    shade = (0.75 + 0.35 * np.clip(1.0 - yw / MIRROR_TOP, 0, 1)) * tone * ambient
    m = MIRROR_TONE * shade[..., None] + glow[..., None] * 0.05 * lc
    # faint diagonal sheen across the glass
    m *= (1.0 + 0.06 * np.sin((xw * 0.8 + yw) * 1.3))[..., None]
    col[mirror] = m[mirror]
    return col


def _floor_colour(fx: Arr, fz: Arr, footprint: Arr, mix: float, reflected: bool) -> Arr:
    """Wooden planks at floor points (x, depth); ``footprint`` is meters per pixel across."""
    plank = np.floor(fx / PLANK)
    # how far along the floor across the planks one pixel reaches: sideways, and (off to the
    # sides, where the planks run slanted toward the horizon) from one row to the next
    step = np.abs(np.gradient(fx, axis=0)) if fx.ndim == 2 and fx.shape[0] > 1 else 0.0
    across = np.maximum(footprint, step)
    # toward the horizon a pixel covers several planks: what it shows is their average, so the
    # tones between planks, the grain and the seams fade there instead of picking one plank per
    # pixel at random (a dotted moire)
    fade = np.clip(1.0 - across * 3.0 / PLANK, 0.0, 1.0)
    tone = 0.97 + 0.3 * fade * (_hash(plank, 1.0) - 0.5)
    amp = 0.07 * np.clip(1.0 - across * 41.0 / np.pi, 0.0, 1.0)
    tone *= 1.0 + amp * (np.sin(fx * 41.0 + _hash(plank, 2.0) * 6.0) - 1.0)
    # seams and plank ends are lines a pixel wide: where a pixel spans more than the line is
    # wide, the line widens to the pixel and thins as it does (the same ink, spread)
    d = np.abs(fx / PLANK - np.round(fx / PLANK)) * PLANK
    seam_ink = fade * footprint / np.maximum(across, 1e-6)
    seam = 1.0 - 0.4 * seam_ink * np.exp(-((d / np.maximum(across, 1e-4)) ** 2))
    joint_at = (fz + _hash(plank, 5.0) * PLANK_LENGTH) % PLANK_LENGTH
    dz = np.minimum(joint_at, PLANK_LENGTH - joint_at)
    row = np.abs(np.gradient(fz, axis=0)) if fz.ndim == 2 and fz.shape[0] > 1 else 0.0
    width = np.maximum(footprint * 2.5, row * 0.75)
    ink = np.clip(footprint * 2.5 / np.maximum(width, 1e-4), 0.0, 1.0)
    ink *= np.clip(1.0 - row * 4.0 / PLANK_LENGTH, 0.0, 1.0)
    joint = 1.0 - 0.3 * fade * ink * np.exp(-((dz / np.maximum(width, 1e-4)) ** 2))
    if reflected:
        # far off in the glass the plank ends are finer than a pixel row: drawn, they ring
        joint = np.ones_like(joint)
    near = np.clip((MIRROR_DEPTH - fz) / 6.0, 0.0, 1.0)
    lum = tone * seam * joint * (0.5 + 0.35 * near) * (0.85 + 0.3 * mix)
    col = WOOD * lum[..., None]
    if reflected:
        col = col * np.array([0.62, 0.68, 0.8])
    return col


#: The soft room is shaded in strips of this many of its columns, each with this many more on
#: either side (more than the widest blur across reaches: 6 soft pixels), and tone-mapped in
#: bands of rows: a 4K room's shading took some thirty full-size arrays of doubles at once
#: (650 MB), a strip's take an eighth of that. Every step but the blurs is pixel by pixel, or
#: down a column, and a blur's pixel sees only its reach, so the bytes are those of one pass.
STRIP = 256
STRIP_MARGIN = 8
TONE_ROWS = 64


def soft_room(size: tuple[int, int], cam_x: float, cam_y: float, mix: float) -> NDArray[np.uint8]:
    """The soft room as an (h, w, 3) image at ``SOFT`` resolution for zoom ``ZOOM_MIN``.

    >>> soft_room((64, 36), 0.0, 1.6, 0.0).shape
    (18, 32, 3)
    """
    w, h = size
    sw_, sh_ = max(8, round(w * SOFT)), max(8, round(h * SOFT))
    xs = (np.arange(sw_, dtype=np.float64) + 0.5) / SOFT
    img = np.empty((sh_, sw_, 3))
    for c0 in range(0, sw_, STRIP):
        c1 = min(sw_, c0 + STRIP)
        a, b = max(0, c0 - STRIP_MARGIN), min(sw_, c1 + STRIP_MARGIN)
        img[:, c0:c1] = _shade(size, xs[a:b], cam_x, cam_y, mix)[:, c0 - a : c1 - a]
    out = np.empty((sh_, sw_, 3), np.uint8)
    for r0 in range(0, sh_, TONE_ROWS):
        band = tone_map(img[r0 : r0 + TONE_ROWS])
        out[r0 : r0 + TONE_ROWS] = np.clip(band * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out


def _shade(size: tuple[int, int], xs: Arr, cam_x: float, cam_y: float, mix: float) -> Arr:
    """The soft room's columns at picture x ``xs`` (every row), lit but not yet tone-mapped."""
    w, h = size
    sh_ = max(8, round(h * SOFT))
    view = View(w, h, Camera(cam_x, cam_y, ZOOM_MIN))
    s0 = view.scale
    swall = view.depth_scale(MIRROR_DEPTH)
    ys = (np.arange(sh_) + 0.5) / SOFT
    X, Y = np.meshgrid(xs, ys)
    xw = cam_x + (X - w / 2) / swall
    yw = cam_y - (Y - h / 2) / swall
    img = _wall_colour(xw, yw, mix)
    dy = np.maximum(Y - h / 2, 1e-3)
    depth = cam_y * s0 * DANCER_DEPTH / dy  # the floor's depth at each row below the horizon
    fx = cam_x + (X - w / 2) * depth / (s0 * DANCER_DEPTH)
    footprint = depth / (s0 * DANCER_DEPTH) / SOFT
    lc = np.array(light.light_color(mix))
    # the floor seen in the mirror: depth between the mirror and its reflected far wall
    in_mirror = (yw >= 0.0) & (yw <= cam_y / 2) & (xw >= MIRROR_X[0]) & (xw <= MIRROR_X[1])
    if in_mirror.any():
        refl = _floor_colour(fx, depth, footprint, mix, reflected=True)
        # the floor in the glass is seen far off and through it: soft, and a blur also keeps
        # its fine planks from ringing
        refl = gaussian_filter(refl, sigma=(2.5 * SOFT * 2, 1.5 * SOFT * 2, 0))
        img[in_mirror] = refl[in_mirror] * (0.85 + 0.3 * mix)
    floor = yw < 0.0
    wood = _floor_colour(fx, depth, footprint, mix, reflected=False)
    # the gloss: the wall above, upside down and blurred, fading toward the camera
    gloss = gaussian_filter(_wall_colour(xw, -yw, mix), sigma=(3.0 * SOFT * 4, 0.6, 0))
    fres = 0.32 * np.clip(1.0 - (MIRROR_DEPTH - depth) / 7.0, 0.15, 1.0)
    pool = light.floor_pool(xw, yw, mix)
    # the pools of sun on the planks; after the lift the shafts are wider and brighter already
    gain = POOL_GAIN * (1.0 - POOL_EASE * mix)
    floor_col = wood * (1.0 + gain * pool[..., None] * lc) + gloss * fres[..., None]
    floor_col += pool[..., None] * lc * (0.12 + 0.12 * mix)
    img[floor] = floor_col[floor]
    # the haze of the shafts, in front of everything in the room
    haze = light.shafts(xw, yw, mix)
    img += haze[..., None] * lc * (0.26 + 0.06 * mix)
    # the corners fall off: the room is lit from the windows only
    rx = (X / w - 0.5) * 2.0
    img *= (1.0 - 0.18 * np.clip(rx, 0, 1) ** 2)[..., None]
    return img


def tone_map(img: Arr) -> Arr:
    """Highlights roll off toward full scale instead of clipping channel by channel (which turns
    a sunlit patch yellow, then olive, as red stops and green goes on). The brightness rolls off
    softly above ``KNEE``; a colour still too bright for the screen then gives up saturation
    toward its own brightness, keeping its hue: the hottest sun on the planks goes toward warm
    white, as on film.

    >>> import numpy as np
    >>> out = tone_map(np.array([[0.5, 0.4, 0.3], [1.6, 1.3, 0.7], [1.0, 0.6, 0.3]]))
    >>> bool(np.allclose(out[0], [0.5, 0.4, 0.3]))  # below the knee: untouched
    True
    >>> bool(out.max() <= 1.0 + 1e-9 and out[1].sum() > out[2].sum())  # brighter stays brighter
    True
    >>> r, g, b = out[1]; bool(r >= g >= b and g < 0.999)  # still warm: not a flat yellow
    True
    """
    lum = (img @ LUMA)[..., None]
    room = 1.0 - KNEE
    rolled = KNEE + room * (1.0 - np.exp(-np.maximum(lum - KNEE, 0.0) / room))
    soft = np.where(lum > KNEE, rolled, lum)
    out = img * (soft / np.maximum(lum, 1e-9))
    peak = out.max(axis=-1, keepdims=True)
    # what still exceeds full scale: less saturated around its own brightness, same hue
    give = np.where(peak > 1.0, (1.0 - soft) / np.maximum(peak - soft, 1e-9), 1.0)
    result: Arr = soft + (out - soft) * give
    return result


def _surface(img: NDArray[np.uint8]) -> pygame.Surface:
    return opaque(img)


class Room:
    """The room at one picture size, for any zoom and light: soft shading cached, fixtures crisp.

    The room at a zoom is the soft room, smoothly scaled once per *band* of zooms to the finest
    zoom of the band ("a band's room", a little larger than the picture), then cut to the zoom
    with a nearest-neighbour scale (a plain copy, no filtering: the soft room is smooth at that
    size, so nothing is lost), and the crisp fixtures drawn on top. The picture for a zoom is a
    pure function of the zoom and the light (the same bytes whatever was drawn before); a held
    zoom is kept, and while the camera moves each frame costs one copy-scale into the picture.
    """

    def __init__(
        self, size: tuple[int, int], camera: Camera, worker: Executor | None = None
    ) -> None:
        self.size = size
        self.cam = (camera.x, camera.y)
        #: where the other light's room is shaded ahead (its owner's thread); None: when needed
        self.worker = worker
        #: the soft room in each light, shaded when first needed (most of the piece needs one)
        self.soft: dict[float, pygame.Surface] = {}
        #: the other light's soft room, being shaded on the worker thread
        self._ahead: dict[float, Future[NDArray[np.uint8]]] = {}
        #: the room at full size for a zoom, in each light (morning 0, after the lift 1)
        self._full: dict[tuple[float, int], pygame.Surface] = {}
        #: the rooms of bands of zooms: (band, light) -> the room, its soft crop's origin, scale
        self._bands: dict[tuple[int, int], tuple[pygame.Surface, tuple[int, int], float]] = {}
        self._mixed: pygame.Surface | None = None
        self._last: tuple[tuple[float, int], pygame.Surface] | None = None
        self._prev: tuple[float, int] | None = None
        self._keep = max(2, min(self.KEEP, self.KEEP_BYTES // (size[0] * size[1] * 4)))
        #: full-size surfaces made ahead (:meth:`ahead`), for zooms to come
        self._free: list[pygame.Surface] = []
        #: the bands' rooms the frame being drawn has used (not to be let go for another)
        self._used: set[tuple[int, int]] = set()
        #: bands' rooms being scaled on the worker (:meth:`ahead`)
        self._scaling: dict[tuple[int, int], Future[pygame.Surface]] = {}

    #: light mixes are quantised to this many steps between morning and the lift's light
    MIX_STEPS = 48
    #: full-size rooms kept (zoom and light), the ones the current frames need: four, or as
    #: many as fit in ``KEEP_BYTES`` (two at 4K, 33 MB each), never fewer than the two lights
    #: of one zoom that a crossfade blends
    KEEP = 4
    KEEP_BYTES = 80 << 20
    #: a band of zooms spans this ratio (its widest to its finest); band rooms kept
    BAND = 0.86
    KEEP_BANDS = 2

    def _band(self, zoom: float, end: int) -> tuple[pygame.Surface, tuple[int, int], float, float]:
        """The room of the band of zooms that holds ``zoom``, in one light: the soft room
        smoothly scaled for the band's finest zoom, covering its widest (one smooth scale, 3 to
        10 ms at 1080p with the new surface's page faults, once per band; scaled on the worker
        when :meth:`ahead` saw it coming). Returns it, the soft pixel at its corner, the room's
        pixels per soft pixel, and the band's finest zoom."""
        band = self._band_of(zoom)
        top = self.BAND**band  # the finest zoom of the band (>= zoom)
        self._used.add((band, end))
        got = self._bands.get((band, end))
        if got is None:
            rect, size = self._band_rect(band, end)
            job = self._scaling.pop((band, end), None)
            if job is not None and job.done():
                room = job.result()
            else:  # not seen coming, or not done yet: here (the same bytes as the worker's)
                room = pygame.transform.smoothscale(self._soft(float(end)).subsurface(rect), size)
            while len(self._bands) >= self.KEEP_BANDS:  # the oldest the frame does not use
                free = [k for k in self._bands if k not in self._used]
                self._bands.pop(free[0] if free else next(iter(self._bands)))
            got = self._bands[band, end] = (room, rect.topleft, room.get_width() / rect.width)
        return (*got, top)

    def _band_rect(self, band: int, end: int) -> tuple[pygame.Rect, tuple[int, int]]:
        """The part of the soft room (in light ``end``) a band's room covers, and that room's
        size: the picture at the band's widest zoom and a margin, at its finest."""
        top = self.BAND**band
        soft = self._soft(float(end))
        sw, sh = soft.get_size()
        w, h = self.size
        # soft pixels across the picture at the band's widest zoom, and a margin
        widest = max(top * self.BAND, ZOOM_MIN)
        cw, ch = sw * ZOOM_MIN / widest + 4, sh * ZOOM_MIN / widest + 4
        x0, y0 = max(0, math.floor((sw - cw) / 2)), max(0, math.floor((sh - ch) / 2))
        rect = pygame.Rect(x0, y0, sw - 2 * x0, sh - 2 * y0)
        k = w * top / (sw * ZOOM_MIN)  # room pixels per soft pixel, at the finest zoom
        return rect, (round(rect.width * k), round(rect.height * k))

    def _band_of(self, zoom: float) -> int:
        """The band of zooms that holds ``zoom`` (0 for the zooms from 1 down to BAND, up
        for wider ones).

        >>> r = Room((32, 18), Camera())
        >>> r._band_of(1.0), r._band_of(0.9), r._band_of(0.8), r._band_of(1.15)
        (0, 0, 1, -1)
        """
        return math.floor(math.log(max(zoom, 1e-3)) / math.log(self.BAND))

    def ahead(self, zoom: float, mix: float, costly: bool = True) -> bool:
        """Make one thing a later frame at ``zoom`` in the light ``mix`` would otherwise make
        on first sight: a full-size surface to keep a zoom in (its memory touched, while fewer
        than are kept exist: a new one costs its page faults, a few ms at 1080p), the crossfade's
        surface, or that zoom's band's room in each light it shows (a smooth scale, 3 to 10 ms
        at 1080p: handed to the worker thread, which pygame's scaling lets run beside the
        drawing; without a worker, made here). False when there is nothing to make.

        For the real-time loop, in a frame's spare time; not ``costly``, only the hand-off to
        the worker (a fraction of a millisecond), which is worth it in any frame. What it makes
        is what drawing would have made: the same bytes either way. It never shades a soft room
        (the worker does)."""
        q = round(min(max(mix, 0.0), 1.0) * self.MIX_STEPS)
        if costly and len(self._full) + len(self._free) < self._keep:
            self._free.append(_touched(self.size))
            return True
        if costly and 0 < q < self.MIX_STEPS and self._mixed is None:
            self._mixed = _touched(self.size)
            return True
        band = self._band_of(round(zoom, 5))
        for end in (0, 1) if 0 < q < self.MIX_STEPS else (0 if q <= 0 else 1,):
            key = (band, end)
            if key in self._bands or key in self._scaling:
                continue
            if float(end) not in self.soft:  # still being shaded: its turn comes later
                return False
            rect, size = self._band_rect(band, end)
            part = self.soft[float(end)].subsurface(rect)
            if self.worker is not None:
                try:
                    self._scaling[key] = self.worker.submit(
                        pygame.transform.smoothscale, part, size
                    )
                    return True
                except RuntimeError:  # the owner closed its worker
                    self.worker = None
            full = len(self._bands) >= self.KEEP_BANDS
            if not costly or (full and self._used.issuperset(self._bands)):
                return False  # no time for it, or it would let go of one the frame uses
            self._band(round(zoom, 5), end)
            return True
        return False

    def _cut(self, out: pygame.Surface, view: View, zoom: float, end: int) -> None:
        """The room at ``zoom`` in one light, into ``out`` (the picture's size): cut from its
        band's room with a nearest-neighbour scale, then the crisp fixtures."""
        band, (x0, y0), k, _ = self._band(zoom, end)
        soft = self._soft(float(end))
        sw, sh = soft.get_size()
        w, h = self.size
        spp = sw * ZOOM_MIN / (zoom * w)  # soft pixels per picture pixel at this zoom
        bx = (sw / 2 - w / 2 * spp - x0) * k
        by = (sh / 2 - h / 2 * spp - y0) * k
        rect = pygame.Rect(round(bx), round(by), round(w * spp * k), round(h * spp * k))
        rect = rect.clamp(band.get_rect())
        pygame.transform.scale(band.subsurface(rect.clip(band.get_rect())), self.size, out)
        draw_fixtures(out, view, float(end), windows=True)

    def _at(self, view: View, zoom: float, end: int) -> pygame.Surface:
        """The room at ``zoom`` in one light, kept (the last few zooms and lights)."""
        key = (zoom, end)
        got = self._full.get(key)
        if got is not None:
            return got
        out = None
        while len(self._full) >= self._keep:
            out = self._full.pop(next(iter(self._full)))
        if out is None:
            out = self._free.pop() if self._free else pygame.Surface(self.size)
        self._cut(out, view, zoom, end)
        self._full[key] = out
        return out

    def _soft(self, light_end: float) -> pygame.Surface:
        """The soft room in one light (0 morning, 1 after the lift). The first is shaded at
        once; the other then starts on the worker, so that the turn of the light at the lift
        does not stop the picture for the ~0.6 s its shading takes at 1080p."""
        soft = self.soft.get(light_end)
        if soft is not None:
            return soft
        ahead = self._ahead.pop(light_end, None)
        img = ahead.result() if ahead is not None else soft_room(self.size, *self.cam, light_end)
        soft = self.soft[light_end] = _surface(img)
        other = 1.0 - light_end
        if other not in self.soft and other not in self._ahead and self.worker is not None:
            try:
                self._ahead[other] = self.worker.submit(soft_room, self.size, *self.cam, other)
            except RuntimeError:  # the owner closed its worker: shade the other when needed
                self.worker = None
        return soft

    def draw(self, view: View, mix: float) -> pygame.Surface:
        """The room for this view and light (the same surface until either changes).

        Between the two lights the two full-size rooms are crossfaded (two blits), so the turn
        of the light at the lift costs no rescaling."""
        q = round(min(max(mix, 0.0), 1.0) * self.MIX_STEPS)
        zoom = round(view.camera.zoom, 5)
        key = (zoom, q)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        if q <= 0 or q >= self.MIX_STEPS:
            out = self._at(view, zoom, 0 if q <= 0 else 1)
        else:
            base = self._at(view, zoom, 0)
            top = self._at(view, zoom, 1)
            if self._mixed is None:
                self._mixed = _touched(self.size)
            out = self._mixed
            out.blit(base, (0, 0))
            top.set_alpha(round(255 * q / self.MIX_STEPS))
            out.blit(top, (0, 0))
            top.set_alpha(None)
        self._last = (key, out)
        return out

    def draw_into(self, out: pygame.Surface, view: View, mix: float) -> None:
        """The room for this view and light, into the picture ``out``.

        While the camera moves (a zoom not seen the frame before) in one light, the room is cut
        straight into the picture: one copy-scale and the fixtures, nothing kept. A zoom that
        holds is kept and blitted. The same bytes either way."""
        self._used.clear()
        q = round(min(max(mix, 0.0), 1.0) * self.MIX_STEPS)
        zoom = round(view.camera.zoom, 5)
        key = (zoom, q)
        moving = key != self._prev and self._prev is not None and self._prev[1] == q
        self._prev = key
        kept = self._last is not None and self._last[0] == key
        one_light = q <= 0 or q >= self.MIX_STEPS
        if moving and one_light and not kept and (zoom, 0 if q <= 0 else 1) not in self._full:
            self._cut(out, view, zoom, 0 if q <= 0 else 1)
            return
        out.blit(self.draw(view, mix), (0, 0))


def _touched(size: tuple[int, int]) -> pygame.Surface:
    """A new surface of ``size`` with every page of its memory written once: a fresh one's
    pages are mapped by the kernel at their first write, which at 1080p (2025 pages) costs a
    frame 2 to 4 ms wherever that falls."""
    out = pygame.Surface(size)
    out.fill((0, 0, 0))
    return out


def _seam_xs(view: View) -> list[float]:
    step = (MIRROR_X[1] - MIRROR_X[0]) / PANELS
    return [view.to_screen(MIRROR_X[0] + step * i, 0.0, MIRROR_DEPTH)[0] for i in range(PANELS + 1)]


def panel_edges(view: View) -> list[float]:
    """Screen x of the mirror's panel edges, left to right (both outer edges included)."""
    return _seam_xs(view)


def mirror_rect(view: View) -> pygame.Rect:
    left, top = view.to_screen(MIRROR_X[0], MIRROR_TOP, MIRROR_DEPTH)
    right, bottom = view.to_screen(MIRROR_X[1], 0.0, MIRROR_DEPTH)
    return pygame.Rect(round(left), round(top), round(right - left), round(bottom - top))


def draw_fixtures(surf: pygame.Surface, view: View, mix: float, windows: bool = False) -> None:
    """The crisp things on the wall: seams, the mirror's frame, the barre, the window frames."""
    px = view.px * view.camera.zoom
    thin = max(1, round(2 * px))
    r = mirror_rect(view)
    for i, sx in enumerate(_seam_xs(view)):
        x = round(sx)
        width = thin if 0 < i < PANELS else thin + 1
        pygame.draw.line(surf, SEAM, (x, r.top), (x, r.bottom), width)
        if 0 < i < PANELS:
            pygame.draw.line(surf, (70, 74, 80), (x + thin, r.top), (x + thin, r.bottom), 1)
    pygame.draw.line(surf, FRAME, (r.left, r.top), (r.right, r.top), thin + 1)
    pygame.draw.line(surf, (14, 12, 12), (r.left, r.bottom), (r.right, r.bottom), thin)
    # the barre: a wooden rail on brackets, just in front of the glass
    bl, by = view.to_screen(MIRROR_X[0] + 0.2, BARRE_Y, BARRE_DEPTH)
    br, _ = view.to_screen(MIRROR_X[1] - 0.2, BARRE_Y, BARRE_DEPTH)
    bw = max(2, round(7 * px))
    for bx in (-4.5, -1.5, 1.5, 4.5):
        sx, _ = view.to_screen(bx, BARRE_Y, BARRE_DEPTH)
        _, wy = view.to_screen(bx, BARRE_Y - 0.18, MIRROR_DEPTH)
        pygame.draw.line(surf, (40, 36, 34), (round(sx), round(by)), (round(sx), round(wy)), thin)
    pygame.draw.line(surf, BARRE, (round(bl), round(by)), (round(br), round(by)), bw)
    lit = tuple(round(c * (0.9 + 0.2 * mix)) for c in BARRE_LIT)
    top = round(by - bw / 2)
    pygame.draw.line(surf, lit, (round(bl), top), (round(br), top), max(1, round(px)))
    if windows:
        for x0, x1 in light.WINDOWS:
            a = view.to_screen(x0, light.WINDOW_Y[1], MIRROR_DEPTH)
            b = view.to_screen(x1, light.WINDOW_Y[0], MIRROR_DEPTH)
            rect = pygame.Rect(round(a[0]), round(a[1]), round(b[0] - a[0]), round(b[1] - a[1]))
            pygame.draw.rect(surf, FRAME, rect, thin + 1)
            mid_x = round((a[0] + b[0]) / 2)
            pygame.draw.line(surf, FRAME, (mid_x, rect.top), (mid_x, rect.bottom), thin)
            for k in (1, 2):
                yy = round(a[1] + (b[1] - a[1]) * k / 3)
                pygame.draw.line(surf, FRAME, (rect.left, yy), (rect.right, yy), thin)
