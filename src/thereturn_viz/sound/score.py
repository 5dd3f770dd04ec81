"""The score as samples: composed from the cue sheet, then held in memory, read from the disk
cache, or synthesized (and cached), in that order.

The public contract: :func:`render_score` returns ``(rate, samples)`` with ``samples`` an int16
array of shape ``(n, 2)`` covering ``0 .. sheet.duration`` exactly; :func:`score_file` the WAV
file of the same samples for a mixer to stream. A :class:`ScoreStore` keeps the last score it
was asked for in memory; whoever holds the store decides how long that copy lives.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..show.choreography import Choreography
from ..show.cues import CueSheet
from .cache import ScoreCache, score_key, write_wav
from .composer import compose
from .composition import RATE, Composition

Samples = NDArray[np.int16]


class ScoreStore:
    """Where the score's samples come from: memory (the last score asked for), the disk cache,
    or the synthesizer.

    The synthesizer (and scipy with it, about 2 s to import) is loaded only on a cache miss,
    so a start with the score in the cache stays fast.
    """

    def __init__(self, cache: ScoreCache | None = None, rate: int = RATE) -> None:
        self.cache = ScoreCache() if cache is None else cache
        self.rate = rate
        self._held: tuple[str, Samples] | None = None  # one score in memory at a time

    def samples(self, composition: Composition) -> Samples:
        """The samples of ``composition``, made only if neither memory nor the cache has them."""
        key = score_key(composition, self.rate)
        if self._held is not None and self._held[0] == key:
            return self._held[1]
        self._held = None  # let the old score go before the new one is read or made
        samples = self.cache.load_or_make(
            key, self.rate, lambda: _synthesize(composition, self.rate), self.frames(composition)
        )
        self._held = (key, samples)
        return samples

    def frames(self, composition: Composition) -> int:
        """How many samples a whole score of ``composition`` has (a cached one must, too)."""
        return round(composition.duration * self.rate)

    def render(self, sheet: CueSheet) -> tuple[int, Samples]:
        """The score of ``sheet`` as ``(rate, samples)``: it depends on the cue sheet alone."""
        return self.rate, self.samples(compose(sheet))

    def wav(self, sheet: CueSheet) -> Path:
        """A WAV file of the score for the mixer to stream: the cached one, made if needed (or a
        temporary file when the cache folder is not writable)."""
        composition = compose(sheet)
        key, frames = score_key(composition, self.rate), self.frames(composition)
        path = self.cache.cached_path(key, self.rate, frames)
        if path is None:
            samples = self.samples(composition)
            path = self.cache.cached_path(key, self.rate, frames)
            if path is None:  # the cache folder is not writable: a temporary file will do
                fd, name = tempfile.mkstemp(prefix="thereturn-score-", suffix=".wav")
                os.close(fd)
                path = Path(name)
                write_wav(path, self.rate, samples)
        return path


def render_score(
    choreography: Choreography, store: ScoreStore | None = None
) -> tuple[int, Samples]:
    """The synthesized score, from ``store`` (a new one, reading the disk cache, by default)."""
    return (ScoreStore() if store is None else store).render(choreography.sheet)


def score_file(choreography: Choreography, store: ScoreStore | None = None) -> Path:
    """The score's WAV file, from ``store`` (a new one by default): see :meth:`ScoreStore.wav`."""
    return (ScoreStore() if store is None else store).wav(choreography.sheet)


def _synthesize(composition: Composition, rate: int) -> Samples:
    """The whole score, synthesized with a progress bar on stderr.

    Imported here, not at the top: scipy costs about 2 s to import, which a cached start never
    pays (:mod:`.synthesis` does not import this module: no cycle).
    """
    from .synthesis import synthesize

    return synthesize(composition, rate, progress=stderr_progress())


def stderr_progress() -> Callable[[int, int], None]:
    """A tqdm bar on stderr (silent when stderr is not a terminal)."""
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, desc="score", unit="ev", file=sys.stderr, disable=None))
        bar[0].n = done
        bar[0].refresh()
        if done >= total:
            bar[0].close()

    return update
