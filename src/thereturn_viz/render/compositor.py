"""Stacks the layers of the picture: room, mirror, floor gloss, figures, dust, film, fade.

Every layer reads only the FrameState. The :class:`Renderer` owns every layer object and what
they keep between frames (the room for a view and light, the grain, the vignette, the glint
sprites, the presence, the figures' colours, the table of the shafts), per size, and the worker
thread that shades the room ahead: :meth:`Renderer.close` (or ``with Renderer(...)``) ends it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType

import numpy as np
import pygame

from ..state import Camera, DancerState, FrameState
from .camera import DANCER_DEPTH, View
from .dust import DustLayer
from .figures import Figures
from .film import GRAIN_FPS, Film, film_gain
from .light import ShaftTable, to_wall
from .mirror import Mirror
from .studio import Room

Box = tuple[int, int, int, int]

#: What a piece of :meth:`Renderer.ahead` is taken to cost (s) until one is measured.
AHEAD_GUESS = 0.004
#: The floor's gloss: how much of a figure it gives back.
FLOOR_ALPHA = 0.26
#: Bands of the floor reflection's fade, and how much softer than the figure it is (a factor).
GLOSS_BANDS = 16
GLOSS_SOFTEN = 4


class Renderer:
    """Draws FrameStates at one size; owns the layers and what they keep between frames."""

    def __init__(self, size: tuple[int, int], seed: int = 0) -> None:
        if size[0] < 16 or size[1] < 16:
            raise ValueError(f"picture size {size[0]}x{size[1]} is too small (16x16 at least)")
        self.size = size
        self.frame = pygame.Surface(size)
        self._room: Room | None = None
        self._film: Film | None = None
        self._film_seed = seed
        self._shafts = ShaftTable()
        self._figures = Figures()
        self._mirror = Mirror(self._figures)
        self._dust = DustLayer(self._shafts)
        #: one thread that shades rooms ahead of need (numpy lets go of the interpreter
        #: meanwhile); it starts with the first room shaded ahead
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="room")
        #: seconds spent in each layer by the last :meth:`draw`, read by ``bench``, by this
        #: clock (``bench`` sets the thread's CPU time)
        self.timings: dict[str, float] = {}
        self.clock: Callable[[], float] = time.perf_counter
        #: specks of dust that glinted in the last frame
        self.glints = 0
        #: each dancer's drawn extent in the last frame (x0, y0, x1, y1 picture pixels, the gown
        #: included, clipped to the picture), None while unseen: plain data for the trace
        self.boxes: dict[str, Box | None] = {}
        #: the last frame drawn: its time, fade, seed and whether it had the film on
        self._drawn: tuple[float, float, int, bool] | None = None
        #: the longest piece of :meth:`ahead` seen (s) of each kind, slowly forgotten
        self._ahead_seconds: dict[str, float] = {}

    def close(self) -> None:
        """End the worker thread (waiting for a room it is shading). Drawing still works after:
        a room not shaded yet is then shaded when it is needed."""
        self._pool.shutdown(wait=True)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def room(self, view: View) -> Room:
        cam = view.camera
        if self._room is None or self._room.cam != (cam.x, cam.y):
            self._room = Room(self.size, cam, self._pool)
        return self._room

    def film(self, seed: int) -> Film:
        if self._film is None or self._film_seed != seed:
            self._film = Film(self.size, seed)
            self._film_seed = seed
        return self._film

    def ahead(self, camera: Camera, light_mix: float, spare: float = math.inf) -> bool:
        """Make one thing a coming frame would otherwise make on first sight, if ``spare``
        seconds (what is left of the caller's frame) cover the longest such piece seen: the
        room for ``camera`` and ``light_mix`` (where the piece will be shortly: a band's room,
        a surface to keep a zoom in), else the film's look for the grain frame after the last
        frame drawn. False when nothing was made.

        For the real-time loops, after a frame is drawn: work moved out of the frames that
        would start with it (3 to 10 ms at 1080p for a band's room; 1.5 ms every fifth frame
        for the grain), never a pixel changed: everything is keyed by what it draws."""
        room, drawn = self._room, self._drawn
        if room is not None and room.cam == (camera.x, camera.y):
            here, zoom = room, round(camera.zoom, 5)
            if self._timed("room", spare, lambda: here.ahead(zoom, light_mix)):
                return True
            if here.ahead(zoom, light_mix, costly=False):  # a hand-off to the worker: any frame
                return True
        if drawn is None or not drawn[3]:
            return False
        t, fade, seed, _ = drawn
        after = (math.floor(t * GRAIN_FPS) + 1.5) / GRAIN_FPS  # within the next grain frame
        film = self.film(seed)
        return self._timed(
            "film", spare, lambda: film.ahead(seed, after, fade * film_gain(seed, after))
        )

    def _timed(self, kind: str, spare: float, work: Callable[[], bool]) -> bool:
        """``work`` done if ``spare`` covers the longest of its kind seen (slowly forgotten, also
        while there is no room for it, so that one long piece does not shut it out for good)."""
        need = self._ahead_seconds.get(kind, AHEAD_GUESS)
        if spare < need:
            self._ahead_seconds[kind] = 0.99 * need
            return False
        began = time.perf_counter()
        done = work()
        if done and spare < math.inf:  # unbounded (a warm-up's) work says nothing of a frame's
            self._ahead_seconds[kind] = max(time.perf_counter() - began, 0.98 * need)
        return done

    def draw(self, fs: FrameState) -> pygame.Surface:
        self._drawn = (fs.t, fs.fade, fs.seed, fs.film)
        view = View(self.size[0], self.size[1], fs.camera)
        out = self.frame
        clock = self.clock
        marks = [clock()]
        self.room(view).draw_into(out, view, fs.light_mix)
        marks.append(clock())
        lits = self._lit(view, fs)
        # back to front: the farther figure first, the nearer drawn over it
        drawn = [
            self._figures.figure(view, d, fs.light_mix, lit)
            for d, lit in sorted(zip(fs.dancers, lits, strict=True), key=lambda p: -p[0].distance)
        ]
        figures = [f for f in drawn if f is not None]
        self.boxes = {d.name: None for d in fs.dancers}
        for fig in figures:
            self.boxes[fig.dancer.name] = _clip(fig.bbox, self.size)
        marks.append(clock())
        # in the glass the order reverses: the nearer figure's reflection is the farther one
        self._mirror.draw(out, view, fs, figures[::-1])
        marks.append(clock())
        for fig in figures:
            self._floor_gloss(out, view, fig.sprite, fig.pos, fig.dancer)
        marks.append(clock())
        glints = self._dust.prepare(view, fs.dust, fs.light_mix, _faces(view, fs))
        # the dust in layers between the figures: beyond the farthest, between, before the nearest
        planes = [math.inf, *(f.dancer.distance for f in figures), 0.0]
        if not figures:
            planes = [math.inf, DANCER_DEPTH, 0.0]
        count = self._dust.draw(out, glints, planes[1], planes[0])
        marks.append(clock())
        spent = 0.0
        for i, fig in enumerate(figures):
            out.blit(fig.sprite, fig.pos)
            out.blit(fig.rim, fig.rim_pos, special_flags=pygame.BLEND_RGB_ADD)
            if i + 1 < len(figures):  # the dust between this figure and the next nearer one
                t0 = clock()
                count += self._dust.draw(out, glints, planes[i + 2], planes[i + 1])
                spent += clock() - t0
        marks.append(clock() - spent)
        self.glints = count + self._dust.draw(out, glints, planes[-1], planes[-2])
        marks.append(clock() + spent)
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
        self._time(marks)
        return out

    def _time(self, marks: list[float]) -> None:
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

    # -- layers -----------------------------------------------------------------------------
    def _lit(self, view: View, fs: FrameState) -> list[float]:
        """How much each figure stands in a shaft (0..1): its rim and glow are brighter there.

        One numpy call for all of them: per-call overhead dominates at this size."""
        if not fs.dancers:
            return []
        cam = view.camera
        pel = np.array([d.joints.get("pelvis", (0.0, 1.0)) for d in fs.dancers], np.float64)
        dist = np.array([d.distance for d in fs.dancers], np.float64)
        xw, yw = to_wall(pel[:, 0], pel[:, 1] + 0.35, dist, cam.x, cam.y)
        return np.minimum(self._shafts.at(xw, yw, fs.light_mix), 1.0).tolist()

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
        floor_y = round(view.to_screen(0.0, 0.0, d.distance)[1])
        w, h = sprite.get_size()
        top = 2 * floor_y - (pos[1] + h)
        if top >= self.size[1] or top + h <= floor_y:
            return
        fade_len = max(4.0, min(h, 1.1 * view.depth_scale(d.distance)))
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


def _clip(
    box: tuple[int, int, int, int], size: tuple[int, int]
) -> tuple[int, int, int, int] | None:
    """A box clipped to the picture; None when none of it is on the picture.

    >>> _clip((-5, 10, 20, 30), (16, 16)), _clip((20, 0, 30, 5), (16, 16))
    ((0, 10, 16, 16), None)
    """
    x0, y0 = max(box[0], 0), max(box[1], 0)
    x1, y1 = min(box[2], size[0]), min(box[3], size[1])
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1, y1)


#: Over a face that matters the glitter thins within this radius (m) of the head, by up to:
FACE_RADIUS = 0.4
FACE_CLEAR = 0.85


def _faces(view: View, fs: FrameState) -> list[tuple[float, float, float, float]]:
    """Where the glitter thins: each seen dancer's head on the picture (x, y, radius in pixels)
    and how much (the show's ``faces``, 0 most of the piece)."""
    if fs.faces <= 0.0:
        return []
    out = []
    for d in fs.dancers:
        head = d.joints.get("head")
        if head is None or d.visible <= 0.0:
            continue
        sx, sy = view.to_screen(head[0], head[1], d.distance)
        r = FACE_RADIUS * view.depth_scale(d.distance)
        out.append((sx, sy, r, FACE_CLEAR * fs.faces * d.visible))
    return out
