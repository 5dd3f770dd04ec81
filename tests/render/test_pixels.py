"""Surfaces made from numpy arrive in the frame's own pixel format, with their values intact."""

from __future__ import annotations

import numpy as np
import pygame

from thereturn_viz.render.pixels import opaque


def test_an_image_from_numpy_is_in_the_frames_format_with_its_values() -> None:
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (7, 11, 3), dtype=np.uint8)
    surf = opaque(img)
    frame = pygame.Surface((11, 7))
    assert surf.get_size() == (11, 7)
    assert (surf.get_bitsize(), surf.get_masks()) == (frame.get_bitsize(), frame.get_masks())
    assert not surf.get_flags() & pygame.SRCALPHA
    frame.blit(surf, (0, 0))
    assert np.array_equal(pygame.surfarray.array3d(frame).transpose(1, 0, 2), img)


def test_a_view_of_an_array_is_copied_not_shared() -> None:
    img = np.zeros((4, 6, 3), np.uint8)
    surf = opaque(img[:, ::2])  # not contiguous
    img[:] = 200  # changed after: the surface keeps what it was given
    assert surf.get_size() == (3, 4)
    assert pygame.surfarray.array3d(surf).max() == 0
