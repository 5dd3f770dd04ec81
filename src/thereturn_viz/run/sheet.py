"""The contact sheet: one labelled still per cue, in a grid, to read the piece at a glance.

A cue's own instant often shows nothing of what it means (``open`` is black, a light turns over
seconds), so each still is taken a little way into its cue: half way to the next cue, at most
:data:`MAX_INTO` seconds in. ``end`` is the cut to black and is shown at its own instant. One
performance is advanced forward through the stills in order, never restarted per cue.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pygame

from ..show.choreography import Choreography
from ..show.cues import CueSheet
from ..show.timing import format_clock
from .annotate import Marks, mark
from .args import Output, UsageError, claim_outputs
from .loop import Scene
from .outputs import save_png

#: How far into a cue its still is taken at most (seconds): half way to the next cue, capped.
MAX_INTO = 12.0
#: Space around and between the stills, and the label band under each (fractions of a still's
#: height, so a sheet of small stills stays in proportion).
GAP = 0.04
LABEL = 0.17
PAPER = (14, 13, 13)
INK = (226, 220, 210)
INK_DIM = (150, 144, 136)
#: Below these (pixels) a label stops being legible, however small the stills.
MIN_BAND = 26
MIN_FONT = 11


@dataclass(frozen=True)
class Still:
    """One cell of the sheet: the cue, the moment drawn, and how far into the cue that is."""

    cue: str
    t: float
    into: float


def stills(sheet: CueSheet) -> list[Still]:
    """The moment to draw for every cue, in order.

    >>> from thereturn_viz.show.cues import Cue, CueSheet, TempoMap
    >>> s = CueSheet((Cue("open", 0, ""), Cue("a", 10, ""), Cue("b", 40, ""),
    ...               Cue("end", 45, "")), TempoMap())
    >>> [(x.cue, x.t) for x in stills(s)]
    [('open', 5.0), ('a', 22.0), ('b', 42.5), ('end', 45.0)]
    """
    cues = sheet.cues
    out = []
    for i, cue in enumerate(cues):
        into = min((cues[i + 1].t - cue.t) / 2, MAX_INTO) if i + 1 < len(cues) else 0.0
        out.append(Still(cue.name, cue.t + into, into))
    return out


def label(sheet: CueSheet, still: Still) -> tuple[str, str]:
    """The two lines under a still: the cue, and when the still is (clock, offset, bar.beat).

    >>> from thereturn_viz.show.cues import Cue, CueSheet, TempoMap
    >>> s = CueSheet((Cue("open", 0, ""), Cue("end", 95, "")), TempoMap(origin=10.0, bpm=60))
    >>> label(s, Still("open", 12.5, 12.5))
    ('open', '00:12.5  cue +12.5 s  bar 1.3')
    >>> label(s, Still("end", 95.0, 0.0))[1]
    '01:35.0  cut to black  bar 29.2'
    """
    when = f"cue +{still.into:g} s" if still.into > 0 else "cut to black"
    parts = [format_clock(still.t), when]
    bar = sheet.tempo.label(still.t)
    if bar != "-":
        parts.append(f"bar {bar}")
    return still.cue, "  ".join(parts)


@dataclass(frozen=True)
class SheetJob:
    out: Path
    size: tuple[int, int] = (480, 270)
    columns: int = 4
    film: bool = True
    seed: int = 0
    progress: bool = True
    #: the time label, target skeletons and following camera
    marks: Marks = Marks()


def _font(px: int, bold: bool) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    font = pygame.font.Font(None, max(8, px))
    font.set_bold(bold)
    return font


def _fit(
    font: pygame.font.Font, text: str, color: tuple[int, int, int], width: int
) -> pygame.Surface:
    """The text rendered, squeezed to ``width`` if it would overrun its cell."""
    img = font.render(text, True, color)
    if img.get_width() > width:
        h = max(1, round(img.get_height() * width / img.get_width()))
        img = pygame.transform.smoothscale(img, (width, h))
    return img


def grid(size: tuple[int, int]) -> tuple[int, int]:
    """The gap between stills and the height of the label band under each, for a still size.

    >>> grid((480, 270))
    (11, 46)
    """
    h = size[1]
    return max(2, round(GAP * h)), max(MIN_BAND, round(LABEL * h))


def cell(i: int, size: tuple[int, int], columns: int) -> pygame.Rect:
    """Where the ``i``-th still goes on the sheet (its label is just under it)."""
    w, h = size
    gap, band = grid(size)
    return pygame.Rect(
        gap + (i % columns) * (w + gap), gap + (i // columns) * (h + band + gap), w, h
    )


def make_sheet(choreography: Choreography, job: SheetJob) -> pygame.Surface:
    """Draw every cue's still, labelled, in a grid; the stills in time order on one performance."""
    _check_columns(job.columns)
    sheet = choreography.sheet
    cells = stills(sheet)
    w, h = job.size
    cols = min(job.columns, len(cells))
    rows = -(-len(cells) // cols)
    gap, band = grid(job.size)
    paper = pygame.Surface((cols * w + (cols + 1) * gap, rows * (h + band) + (rows + 1) * gap))
    paper.fill(PAPER)
    big = _font(max(MIN_FONT + 1, round(band * 0.55)), True)
    small = _font(max(MIN_FONT, round(band * 0.42)), False)
    scene = Scene.marked(choreography, job.size, job.seed, job.film, job.marks)
    from tqdm import tqdm

    with tqdm(
        total=len(cells),
        disable=not job.progress,
        desc="sheet",
        unit="cue",
        file=sys.stderr,
        dynamic_ncols=True,
    ) as bar:
        for i, still in enumerate(cells):  # in time order: the performance only moves forward
            x, y = cell(i, job.size, cols).topleft
            drawn = scene.frame(still.t)
            assert scene.last is not None
            paper.blit(mark(drawn, scene.last, sheet, job.marks), (x, y))
            name, when = label(sheet, still)
            first = _fit(big, name, INK, w)
            second = _fit(small, when, INK_DIM, w)
            paper.blit(first, (x, y + h + max(1, band // 12)))
            paper.blit(second, (x, y + h + band - second.get_height() - max(1, band // 14)))
            bar.update(1)
    scene.renderer.close()
    return paper


def run_sheet(choreography: Choreography, job: SheetJob) -> int:
    """Write the contact sheet to ``job.out`` (PNG); return the number of stills."""
    _check_columns(job.columns)
    claim_outputs([Output(job.out, "OUT")])  # before the drawing, not after it
    paper = make_sheet(choreography, job)
    save_png(paper, job.out)  # whole or not at all: a full disk is an ExportFailed naming it
    return len(choreography.sheet.cues)


def _check_columns(columns: int) -> None:
    if columns < 1:
        raise UsageError(f"--columns {columns}: expected 1 or more")
