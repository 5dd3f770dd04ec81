"""Surfaces in the frame's own pixel format.

A surface made from a numpy buffer is 24-bit RGB or RGBA in byte order, while the frame is 32-bit
XRGB: every blit between the two goes through SDL's slow converting path (a grain pass took
36 ms at 1080p that way, against 0.4 ms between matching formats). Everything pre-rendered from
numpy is converted once, here.
"""

from __future__ import annotations

import numpy as np
import pygame
from numpy.typing import NDArray

_OPAQUE = pygame.Surface((1, 1))


def opaque(img: NDArray[np.uint8]) -> pygame.Surface:
    """An (h, w, 3) uint8 image as a surface in the frame's format.

    >>> s = opaque(np.full((2, 3, 3), 7, np.uint8))
    >>> s.get_size(), s.get_bitsize(), tuple(s.get_at((1, 1)))
    ((3, 2), 32, (7, 7, 7, 255))
    """
    h, w = img.shape[:2]
    buf = np.ascontiguousarray(img, dtype=np.uint8).tobytes()
    return pygame.image.frombuffer(buf, (w, h), "RGB").convert(_OPAQUE)
