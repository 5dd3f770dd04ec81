"""The ``score`` command's work: the whole score synthesized to a WAV file and, if asked, its
loudness over time drawn to a PNG (docs/score.png)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..show.choreography import Choreography
from ..sound.cache import write_wav
from ..sound.score import render_score
from .args import ExportFailed, Output, UsageError, claim_outputs, part_name


@dataclass(frozen=True)
class ScoreJob:
    out: Path  # the WAV file
    plot: Path | None = None  # the loudness picture, a PNG


def run_score(choreography: Choreography, job: ScoreJob) -> float:
    """Write the score (and the plot) that ``job`` describes; return the seconds of score.

    Both places are tried before a synthesis of many seconds, not after it."""
    claim_outputs(
        [Output(job.out, "OUT"), *([Output(job.plot, "--plot")] if job.plot is not None else [])]
    )
    rate, samples = render_score(choreography)
    part = part_name(job.out)
    try:
        write_wav(part, rate, samples)
        part.replace(job.out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ExportFailed(f"cannot write {job.out}: {exc.strerror or exc}") from None
    seconds = len(samples) / rate
    print(f"wrote {seconds:.1f} s of score to {job.out}")
    if job.plot is not None:
        _plot(choreography, job.plot, rate, samples)
        print(f"drew the loudness of the score to {job.plot}")
    return seconds


def _plot(choreography: Choreography, path: Path, rate: int, samples: NDArray[np.int16]) -> None:
    from .headless import use_dummy_drivers

    use_dummy_drivers()
    import pygame

    from .audio import draw_loudness

    part = part_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(draw_loudness(samples, rate, choreography.sheet), str(part))
        part.replace(path)
    except (OSError, pygame.error) as exc:
        part.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc}") from None
