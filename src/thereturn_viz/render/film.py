"""The look of restored footage: fine grain, a soft vignette, the slightest flicker.

All of it is pre-rendered (grain tiles, the vignette) and chosen per frame from the seed and the
time, so the same still is the same bytes, and none of it costs a per-pixel pass in numpy.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

#: Grain: tiles, their size (pixels), and strength (0..255 toward black or white).
TILES = 6
TILE = 256
GRAIN = 9.0
#: The flicker: brightness dips of at most this fraction, changing at the old film rate.
FLICKER = 0.022
FILM_FPS = 24.0
#: How much the corners darken.
VIGNETTE = 0.3


def noise(seed: int, n: int) -> float:
    """A repeatable value in 0..1 for an integer moment.

    >>> noise(1, 5) == noise(1, 5), 0.0 <= noise(3, 9) < 1.0
    (True, True)
    """
    return float(np.random.default_rng([seed & 0xFFFFFFFF, n & 0xFFFFFFFF, 0xF1]).random())


def flicker(seed: int, t: float) -> float:
    """The brightness factor (<= 1) of the film at time ``t``: a soft wobble between frames."""
    f = t * FILM_FPS
    n = math.floor(f)
    u = f - n
    a, b = noise(seed, n), noise(seed, n + 1)
    v = a + (b - a) * (u * u * (3 - 2 * u))
    return 1.0 - FLICKER * v


class Film:
    def __init__(self, size: tuple[int, int], seed: int = 0) -> None:
        self.size = size
        rng = np.random.default_rng([seed, 0x6A1])
        self.tiles: list[pygame.Surface] = []
        for _ in range(TILES):
            g = rng.normal(0.0, 1.0, (TILE, TILE))
            k = np.clip(np.abs(g) * GRAIN, 0, 255).astype(np.uint8)
            rgba = np.zeros((TILE, TILE, 4), np.uint8)
            light = g > 0
            for c in range(3):
                rgba[..., c] = np.where(light, k, 0)
            rgba[..., 3] = k
            surf = pygame.image.frombuffer(rgba.tobytes(), (TILE, TILE), "RGBA").copy()
            self.tiles.append(surf)
        w, h = size
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        rx = (xx + 0.5) / w * 2.0 - 1.0
        ry = (yy + 0.5) / h * 2.0 - 1.0
        r2 = rx * rx * 0.8 + ry * ry
        v = 1.0 - VIGNETTE * np.clip(r2 - 0.35, 0, None) ** 1.3
        v8 = np.clip(v * 255.0 + 0.5, 0, 255).astype(np.uint8)
        rgb = np.repeat(v8[..., None], 3, axis=2)
        self.vignette = pygame.image.frombuffer(rgb.tobytes(), (w, h), "RGB").copy()

    def draw(self, out: pygame.Surface, seed: int, t: float) -> None:
        n = math.floor(t * FILM_FPS)
        rng = np.random.default_rng([seed & 0xFFFFFFFF, n & 0xFFFFFFFF, 0x9A])
        tile = self.tiles[int(rng.integers(TILES))]
        ox, oy = (int(v) for v in rng.integers(0, TILE, 2))
        w, h = self.size
        out.fblits(
            [(tile, (x, y)) for y in range(-oy, h, TILE) for x in range(-ox, w, TILE)],
            pygame.BLEND_PREMULTIPLIED,
        )
        out.blit(self.vignette, (0, 0), special_flags=pygame.BLEND_MULT)
