"""The look of restored footage: fine grain, a soft vignette, the slightest flicker.

All of it is pre-rendered (grain tiles, the vignette) and chosen per frame from the seed and the
time, so the same still is the same bytes, and none of it costs a per-pixel pass in numpy.
"""

from __future__ import annotations

import math

import numpy as np
import pygame
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter

from .pixels import opaque

#: Grain: tiles, their size (pixels), and strength: a grain is lighter or darker than the
#: picture's mean by about ``GRAIN`` levels of 255 (one standard deviation), around a mean
#: darkening of ``GRAIN_MEAN`` (a multiply cannot brighten: the lighter grains are lighter than
#: that mean). Its clumps are ``GRAIN_SIZE`` pixels across, as film's are, not single pixels.
TILES = 6
TILE = 256
GRAIN = 3.6
GRAIN_MEAN = 7.0
GRAIN_SIZE = 0.7
#: The flicker: brightness dips of at most this fraction.
FLICKER = 0.022
#: How often the grain changes (a second): under half the film rate still reads as grain moving
#: (at 8 it read as a speckle held on the gown), and a video encoder gets the frames between for
#: nearly free (new grain is the costliest thing in the picture to encode).
GRAIN_FPS = 12.0
#: How fast the flicker wanders (keyframes a second, eased between). Slower than the film rate:
#: a brightness change every frame costs a video encoder a fifth of its speed, and a slow waver
#: reads as the old print's density better than a buzz.
FLICKER_HZ = 6.0
#: The lowest brightness level (of 255) the flicker alone reaches.
FLICKER_FLOOR = math.floor(255 * (1.0 - FLICKER))
#: How much the corners darken.
VIGNETTE = 0.3


def noise(seed: int, n: int) -> float:
    """A repeatable value in 0..1 for an integer moment.

    >>> noise(1, 5) == noise(1, 5), 0.0 <= noise(3, 9) < 1.0
    (True, True)
    """
    # a 64-bit integer hash (splitmix64): a generator per call cost more than the whole grain
    z = (seed * 0x9E3779B97F4A7C15 + n * 0xBF58476D1CE4E5B9 + 0xF1) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return (z >> 11) / float(1 << 53)


_MASK = (1 << 64) - 1


def flicker(seed: int, t: float) -> float:
    """The brightness factor (<= 1) of the film at time ``t``: a soft wobble between frames."""
    f = t * FLICKER_HZ
    n = math.floor(f)
    u = f - n
    a, b = noise(seed, n), noise(seed, n + 1)
    v = a + (b - a) * (u * u * (3 - 2 * u))
    return 1.0 - FLICKER * v


def film_gain(seed: int, t: float) -> float:
    """The flicker as the film applies it: held through each grain frame, so the grain, the
    vignette and the flicker of a frame are one kept surface (the flicker's wander is slower
    than the grain's rate: holding it a twelfth of a second is not seen).

    >>> film_gain(0, 1.0) == film_gain(0, 1.0 + 0.5 / GRAIN_FPS)
    True
    """
    return flicker(seed, math.floor(t * GRAIN_FPS) / GRAIN_FPS)


#: The vignette is worked out in bands of this many rows: at 4K a full-size array of floats is
#: 33 MB, and the whole at once held eight of them.
VIGNETTE_ROWS = 256


def _vignette_levels(w: int, h: int) -> NDArray[np.uint8]:
    """The vignette's darkening as (h, w) levels of 255, from an (x, y) radius in float32.

    >>> v = _vignette_levels(64, 36)
    >>> int(v[18, 32]), int(v[0, 0]) < 255
    (255, True)
    """
    rx = (np.arange(w, dtype=np.float32)[None, :] + 0.5) / w * 2.0 - 1.0
    out = np.empty((h, w), np.uint8)
    for y0 in range(0, h, VIGNETTE_ROWS):
        yy = np.arange(y0, min(h, y0 + VIGNETTE_ROWS), dtype=np.float32)[:, None]
        ry = (yy + 0.5) / h * 2.0 - 1.0
        r2 = rx * rx * 0.8 + ry * ry
        v = 1.0 - VIGNETTE * np.clip(r2 - 0.35, 0, None) ** 1.3
        out[y0 : y0 + VIGNETTE_ROWS] = np.clip(v * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out


class Film:
    """The grain, vignette and flicker of the picture at one size.

    The grain is one plate, larger than the picture by ``TILE`` on each side, laid with the
    seeded tiles in a seeded order; each grain frame is the picture-sized window of it at an
    offset from the seed and the frame's number. Building a frame's look is then two full-frame
    operations (the vignette copied, the window multiplied in), not one small blit per tile.
    """

    def __init__(self, size: tuple[int, int], seed: int = 0) -> None:
        self.size = size
        rng = np.random.default_rng([seed, 0x6A1])
        tiles: list[pygame.Surface] = []
        for _ in range(TILES):
            # a multiply: grain shows in the light (the shafts, the gown) as on film, and all but
            # vanishes in the dark room, where added noise would both show and cost an encoder.
            # Clumped (the noise softened a little, wrapping round the tile), then lighter and
            # darker evenly about a mean
            g = gaussian_filter(rng.normal(0.0, 1.0, (TILE, TILE)), GRAIN_SIZE, mode="wrap")
            g /= g.std()
            k = np.clip(255.0 - GRAIN_MEAN + GRAIN * g + 0.5, 0, 255).astype(np.uint8)
            tiles.append(opaque(np.repeat(k[..., None], 3, axis=2)))
        w, h = size
        self.plate = pygame.Surface((w + TILE, h + TILE))
        order = rng.integers(0, TILES, (math.ceil((h + TILE) / TILE), math.ceil((w + TILE) / TILE)))
        self.plate.fblits(
            [
                (tiles[int(order[j, i])], (i * TILE, j * TILE))
                for j in range(order.shape[0])
                for i in range(order.shape[1])
            ]
        )
        self.vignette = opaque(np.repeat(_vignette_levels(w, h)[..., None], 3, axis=2))
        self._levels: dict[int, pygame.Surface] = {}
        #: grain times vignette for one (seed, grain frame, level): most frames reuse it
        self._look: tuple[tuple[int, int, int], pygame.Surface] | None = None
        #: the next grain frame's look, made ahead (:meth:`ahead`)
        self._next: tuple[tuple[int, int, int], pygame.Surface] | None = None
        for level in range(255, FLICKER_FLOOR - 1, -2):
            self._vignette(level)

    #: vignettes kept pre-multiplied by a brightness level (the flicker's four), while they take
    #: at most this many bytes: all four at 1080p (33 MB), one at 4K (33 MB each); a level not
    #: kept is multiplied into the look when the grain changes, in the same order: same bytes
    KEEP_BYTES = 40 << 20

    def _vignette(self, level: int) -> pygame.Surface | None:
        got = self._levels.get(level)
        size = self.vignette.get_width() * self.vignette.get_height() * 4
        if got is None and (len(self._levels) + 1) * size <= self.KEEP_BYTES:
            got = self.vignette.copy()
            got.fill((level, level, level), special_flags=pygame.BLEND_MULT)
            self._levels[level] = got
        return got

    def _grain(self, out: pygame.Surface, seed: int, n: int) -> None:
        """Multiply grain frame ``n`` (the plate's window at an offset from the seed) into
        ``out``."""
        ox = int(noise(seed + 0x9B, n) * TILE)
        oy = int(noise(seed + 0x9C, n) * TILE)
        w, h = self.size
        out.blit(self.plate, (0, 0), pygame.Rect(ox, oy, w, h), pygame.BLEND_MULT)

    def draw(self, out: pygame.Surface, seed: int, t: float, gain: float = 1.0) -> None:
        """Grain, then the vignette and a brightness ``gain`` (the flicker, a fade).

        The grain changes ``GRAIN_FPS`` times a second and the flicker (:func:`film_gain`) has
        a few levels held through a grain frame: their product is kept as one surface, so most
        frames cost a single multiply pass over the picture."""
        n = math.floor(t * GRAIN_FPS)
        level = _level(gain)
        if level < FLICKER_FLOOR:  # in a fade: levels come and go, nothing worth keeping
            self._grain(out, seed, n)
            out.blit(self.vignette, (0, 0), special_flags=pygame.BLEND_MULT)
            out.fill((level, level, level), special_flags=pygame.BLEND_MULT)
            return
        key = (seed, n, level)
        if self._next is not None and self._next[0] == key:  # made ahead: the two swap
            self._look, self._next = self._next, self._look
        if self._look is None or self._look[0] != key:
            look = self._look[1] if self._look is not None else pygame.Surface(self.size)
            self._compose(look, key)
            self._look = (key, look)
        out.blit(self._look[1], (0, 0), special_flags=pygame.BLEND_MULT)

    def ahead(self, seed: int, t: float, gain: float = 1.0) -> bool:
        """Make the look (grain times vignette times ``gain``) that :meth:`draw` at ``t`` will
        need, if it is not made: for the real-time loop, the next grain frame's in a frame's
        spare time (a copy and a multiply over the picture, about 1.5 ms at 1080p), instead of
        in the first frame that shows it, one frame in five. Kept on a second surface; the same
        bytes as made in :meth:`draw`. False when there is nothing to make."""
        level = _level(gain)
        key = (seed, math.floor(t * GRAIN_FPS), level)
        if level < FLICKER_FLOOR or any(
            k is not None and k[0] == key for k in (self._look, self._next)
        ):
            return False
        look = self._next[1] if self._next is not None else pygame.Surface(self.size)
        self._compose(look, key)
        self._next = (key, look)
        return True

    def _compose(self, look: pygame.Surface, key: tuple[int, int, int]) -> None:
        """The look for ``key`` (seed, grain frame, level) into ``look``."""
        seed, n, level = key
        vig = self._vignette(level)
        if vig is not None:
            look.blit(vig, (0, 0))
        else:  # what the kept level holds, made here
            look.blit(self.vignette, (0, 0))
            look.fill((level, level, level), special_flags=pygame.BLEND_MULT)
        self._grain(look, seed, n)


def _level(gain: float) -> int:
    """The brightness level (of 255) a ``gain`` is drawn at: the flicker's own levels in steps
    of two (their vignettes are kept), a fade's as they come.

    >>> _level(1.0), _level(0.99), _level(0.5)
    (255, 251, 128)
    """
    level = max(0, min(255, round(255 * gain)))
    if level >= FLICKER_FLOOR:
        level = 255 - 2 * round((255 - level) / 2)
    return level
