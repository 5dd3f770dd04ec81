"""Marks for reading exported frames: the time burnt into a corner, the target skeletons, and a
camera that follows the dancers (:mod:`.follow`).

An exported strip was hard to read: a frame said neither when it was nor which cue, the figures
were small in the whole studio, and the target pose (what the choreography asks) was only in
``play``'s debug overlay. ``export`` and ``sheet`` take these marks as options; a frame drawn
without them is the piece's own picture, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ..render.camera import View
from ..show.cues import CueSheet
from ..show.timing import format_clock
from ..state import MIRROR_DEPTH, FrameState

TARGET_COLOUR = (90, 220, 255)
INK = (240, 232, 210)


@dataclass(frozen=True)
class Marks:
    """Which marks a frame gets: the time label, the target skeletons, a following camera."""

    label: bool = False
    targets: bool = False
    follow: bool = False

    @property
    def any(self) -> bool:
        return self.label or self.targets or self.follow


def when(sheet: CueSheet, t: float) -> str:
    """The label burnt into a frame: clock, cue and offset, bar.beat.

    >>> from thereturn_viz.show.cues import Cue
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> s = CueSheet((Cue("open", 0, ""), Cue("end", 95, "")), TempoMap(origin=10.0, bpm=60))
    >>> when(s, 12.5), when(s, 3)
    ('00:12.5  open+12.5  bar 1.3', '00:03.0  open+3')
    """
    cue = sheet.cue_at(t)
    parts = [format_clock(t), f"{cue}+{t - sheet.time_of(cue):.3g}"]
    bar = sheet.tempo.label(t)
    if bar != "-":
        parts.append(f"bar {bar}")
    return "  ".join(parts)


def draw_targets(surface: pygame.Surface, fs: FrameState) -> None:
    """The target skeletons over the figures, as ``play``'s debug overlay draws them."""
    view = View(surface.get_width(), surface.get_height(), fs.camera)
    width = max(1, round(surface.get_height() / 360))
    for d in fs.dancers:
        if d.visible <= 0.0:
            continue
        depth = MIRROR_DEPTH - d.depth
        for seg in d.target:
            a, b = view.to_screen(*seg.a, depth), view.to_screen(*seg.b, depth)
            pygame.draw.line(surface, TARGET_COLOUR, a, b, width)
            pygame.draw.circle(surface, TARGET_COLOUR, b, width + 1)


def draw_label(surface: pygame.Surface, text: str) -> None:
    """``text`` in the bottom left corner over a dark band, sized to the frame."""
    if not pygame.font.get_init():
        pygame.font.init()
    px = max(11, round(surface.get_height() / 22))
    img = pygame.font.Font(None, px).render(text, True, INK)
    if img.get_width() > surface.get_width() - 8:
        w = max(1, surface.get_width() - 8)
        img = pygame.transform.smoothscale(
            img, (w, max(1, img.get_height() * w // img.get_width()))
        )
    pad = max(2, px // 5)
    band = pygame.Surface((img.get_width() + 2 * pad, img.get_height() + 2 * pad), pygame.SRCALPHA)
    band.fill((0, 0, 0, 150))
    y = surface.get_height() - band.get_height() - pad
    surface.blit(band, (pad, y))
    surface.blit(img, (2 * pad, y + pad))


def mark(surface: pygame.Surface, fs: FrameState, sheet: CueSheet, marks: Marks) -> pygame.Surface:
    """A copy of the drawn ``surface`` with the marks asked for (the renderer's own is kept
    clean), or ``surface`` itself when none are."""
    if not (marks.label or marks.targets):
        return surface
    out = surface.copy()
    if marks.targets:
        draw_targets(out, fs)
    if marks.label:
        draw_label(out, when(sheet, fs.t))
    return out
