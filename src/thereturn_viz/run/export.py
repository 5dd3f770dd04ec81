"""Export, headless: PNG stills and sequences with a manifest, or an MP4 with the score.

The frames are split into ranges, each drawn by a job of its own (:mod:`.jobs`): in this process
for one job, else in processes of their own (``--jobs``, by default one per core within
``--memory``), or on a Dask cluster (``--scheduler``, :mod:`.farm`). An MP4 is made of chunks,
each from an encoder of its own, joined without re-encoding, with the score muxed once
(:mod:`.encode`): the film decodes to the same frames however many jobs made it.

Nothing broken is left under an output's name: every file is written under a temporary name,
checked and renamed (:mod:`.outputs`); an MP4 is joined into ``OUT.partial`` and renamed once
whole; a folder's ``manifest.json`` (``"complete": true``) is written last, after the old one was
removed first. A signal (SIGINT, SIGTERM) or a failure stops the jobs and the encoders and
removes what they had begun.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from ..show.choreography import Choreography
from ..sound.levels import rms_db
from ..sound.score import render_score
from . import encode
from .annotate import Marks
from .args import ExportFailed, Output, UsageError, claim_outputs
from .jobs import RangeResult, RangeSpec, Snapshot, build, frame_name, run_processes, run_range
from .jobs import split as split_units
from .outputs import Interrupted, write_text
from .signals import cancel_pending, raise_outside_callbacks

__all__ = ["ExportJob", "frame_name", "run_export"]

#: Below this many frames a job of its own does not pay (by default): a job's process takes
#: about a second to start and re-simulates the piece up to its range.
MIN_FRAMES_PER_JOB = 90
MANIFEST = "manifest.json"
FRAME_FILE = re.compile(r"frame_\d+\.png")


@dataclass(frozen=True)
class ExportJob:
    out: Path
    size: tuple[int, int]
    fps: float
    times: Sequence[float] | None  # explicit stills (--at), else the span below
    start: float
    end: float
    audio: bool = True
    film: bool = True
    trace: Path | None = None
    progress: bool = True
    seed: int = 0
    #: jobs drawing at once (--jobs); None: one per core, fewer for a short export or for memory
    jobs: int | None = None
    #: GB the local jobs may use together (--memory): bounds the default number of jobs
    memory: float = 1.5
    #: a Dask scheduler's address (--scheduler): the jobs go to its cluster
    scheduler: str | None = None
    #: the time label, target skeletons and following camera
    marks: Marks = Marks()

    @property
    def video(self) -> bool:
        return self.out.suffix.lower() == ".mp4"

    @property
    def partial(self) -> Path:
        """Where an MP4 is joined before it is whole: ``OUT.partial``."""
        return self.out.with_name(self.out.name + ".partial")

    def frames(self) -> list[int]:
        """Frame numbers to draw: round(t * fps) for stills, else every frame of the span."""
        if self.times is not None:
            return sorted({round(t * self.fps) for t in self.times})
        first = round(self.start * self.fps)
        last = round(self.end * self.fps)
        return list(range(first, max(first + 1, last)))


def job_memory(size: tuple[int, int]) -> float:
    """GB one local job uses at its peak, its encoder included, for frames of ``size``.

    A line through what benchmarks/export_4k.py and a whole-piece export measured (4 December
    2026): about 0.5 GB at 1080p (two jobs 1.25 GB summed with the parent), 1.04 to 1.11 GB at
    4K, the drawing's pictures and the encoder's frame queue growing with the pixels.

    >>> round(job_memory((1920, 1080)), 2), round(job_memory((3840, 2160)), 2)
    (0.51, 1.13)
    """
    return 0.30 + 0.10 * size[0] * size[1] / 1e6


def memory_jobs(size: tuple[int, int], memory: float) -> int:
    """How many local jobs fit in ``memory`` GB together (at least one).

    >>> memory_jobs((1920, 1080), 1.5), memory_jobs((3840, 2160), 1.5)
    (2, 1)
    >>> memory_jobs((3840, 2160), 4.0), memory_jobs((3840, 2160), 0.5)
    (3, 1)
    """
    return max(1, int(memory // job_memory(size)))


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _check_collisions(job: ExportJob) -> None:
    """Outputs that would overwrite each other are refused before anything is created."""
    if str(job.out) in ("", "."):
        raise UsageError(f"OUT {str(job.out)!r}: give a file name ending in .mp4 or a folder")
    if job.trace is None:
        return
    if str(job.trace) in ("", "."):
        raise UsageError(f"--trace {str(job.trace)!r}: give a file name, e.g. trace.jsonl")
    trace = job.trace.resolve()
    out = job.out.resolve()
    if job.video:
        if trace in (out, job.partial.resolve()):
            raise UsageError(f"--trace {job.trace}: is the video's own file; give another name")
    elif trace.parent == out and (trace.name == MANIFEST or FRAME_FILE.fullmatch(trace.name)):
        raise UsageError(
            f"--trace {job.trace}: the export writes its {trace.name} there; "
            f"give a name other than {MANIFEST} and frame_NNNNNN.png"
        )


def _check_writable(job: ExportJob) -> None:
    """Every place the export writes, tried before a frame is drawn (and before any of them is
    created): a bad OUT or trace is a usage error named at once, not an encoder's complaint
    minutes in, and it leaves no empty OUT folder behind."""
    if job.video and job.out.is_dir():
        raise UsageError(f"{job.out}: is a folder; give a file name ending in .mp4")
    if not job.video and job.out.exists() and not job.out.is_dir():
        raise UsageError(f"{job.out}: is a file; give a folder for PNG frames, or OUT.mp4")
    if job.scheduler is not None and not job.video:
        raise UsageError("--scheduler renders an MP4: give OUT.mp4 (PNG frames: use --jobs)")
    if job.jobs is not None and not 1 <= job.jobs <= 1024:
        raise UsageError(f"--jobs {job.jobs}: expected 1 to 1024")
    if not (math.isfinite(job.memory) and job.memory > 0):
        raise UsageError(f"--memory {job.memory}: expected a number of GB above 0, e.g. 1.5")
    if job.video and (job.size[0] % 2 or job.size[1] % 2):
        w, h = job.size
        raise UsageError(f"--size {w}x{h}: H.264 in yuv420p needs an even width and height")
    outputs = [Output(job.out, "OUT", folder=not job.video)]
    if job.trace is not None:
        outputs.append(Output(job.trace, "--trace"))
    claim_outputs(outputs)


class _Stop(BaseException):
    """A signal asked the export to stop (a BaseException: no ``except Exception`` keeps it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals() -> Iterator[None]:
    """SIGINT and SIGTERM stop the export through :class:`_Stop`; while it cleans up, further
    signals are ignored (a second Ctrl+C must not leave the half-written files behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = (signal.SIGINT, signal.SIGTERM)
    old = {s: signal.getsignal(s) for s in caught}

    def stop(signum: int, frame: FrameType | None) -> None:
        for s in caught:
            signal.signal(s, signal.SIG_IGN)
        raise_outside_callbacks(_Stop(signum), frame)

    for s in caught:
        signal.signal(s, stop)
    try:
        yield
    finally:
        cancel_pending()
        for s, handler in old.items():
            signal.signal(s, handler)


@contextmanager
def _progress(total: int, enabled: bool, desc: str) -> Iterator[Any]:
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        disable=not enabled or total < 10,
        desc=desc,
        unit="frame",
        file=sys.stderr,
        dynamic_ncols=True,
    )
    try:
        yield bar
    finally:
        bar.close()


def run_export(choreography: Choreography, job: ExportJob) -> int:
    """Write the export described by ``job``; return the number of frames written.

    Raises :class:`UsageError` (nothing created), :class:`ExportFailed` (nothing left under
    OUT's name but finished PNG frames, and no manifest) or :class:`Interrupted`."""
    _check_collisions(job)
    _check_writable(job)
    try:
        with _signals():
            _export(choreography, job, job.frames())
    except (_Stop, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, _Stop) else signal.SIGINT
        if job.video:
            said = f"nothing written to {job.out}"
        else:
            said = f"{job.out} is incomplete (no {MANIFEST})"
        raise Interrupted(128 + signum, f"export interrupted: {said}") from None
    return len(job.frames())


def _job_count(job: ExportJob, frames: list[int], units: int, default: int) -> int:
    if job.jobs is not None:
        return max(1, min(job.jobs, units))
    return max(1, min(default, len(frames) // MIN_FRAMES_PER_JOB, units))


def local_jobs(job: ExportJob, frames: list[int], units: int) -> int:
    """Jobs on this machine: --jobs as asked, else one per core within --memory (a 4K job's
    1.1 GB would make two of them 2.2 GB on a laptop that has 1.5 to spare)."""
    return _job_count(job, frames, units, min(cores(), memory_jobs(job.size, job.memory)))


def _export(choreography: Choreography, job: ExportJob, frames: list[int]) -> None:
    if not job.video:
        try:  # before any frame: a folder with frames and an old manifest would lie
            (job.out / MANIFEST).unlink(missing_ok=True)
        except OSError as exc:
            raise ExportFailed(f"cannot remove the old {job.out / MANIFEST}: {exc}") from None
    home = job.out.parent if job.video else job.out
    work = Path(tempfile.mkdtemp(prefix=f".{job.out.name}.", suffix=".work", dir=home))
    client = None
    try:
        chunk = encode.chunk_frames(job.fps)
        units = encode.chunks_of(frames, chunk) if job.video else [[f] for f in frames]
        if job.scheduler is not None:
            from . import farm

            client = farm.connect(job.scheduler)
            n = _job_count(job, frames, len(units), farm.capacity(client))
        else:
            n = local_jobs(job, frames, len(units))
        snapshot = Snapshot.of(choreography.folder) if n > 1 or client else Snapshot((), "")
        specs = [
            RangeSpec(
                index=i,
                count=n,
                frames=tuple(part),
                size=job.size,
                fps=job.fps,
                film=job.film,
                seed=job.seed,
                video=job.video,
                chunk=chunk,
                folder=None if job.video else job.out,
                trace=job.trace is not None,
                choreography=snapshot,
                build=build() if n > 1 or client else (),
                marks=job.marks,
            )
            for i, part in enumerate(split_units(units, n))
        ]
        score: list[Any] = []

        def get_score() -> None:
            if job.trace is not None or (job.video and job.audio):
                score.extend(render_score(choreography))

        with _progress(len(frames), job.progress, "export") as bar:
            if client is not None:
                get_score()
                from .farm import run_farm

                results = run_farm(client, specs, work, bar.update)
            elif n == 1:
                results = [run_range(specs[0], choreography, work, bar.update)]
                get_score()  # after the drawing: its memory is given back by then (4K)
            else:
                results = run_processes(specs, work, bar.update, meanwhile=get_score)
        rate, samples = score if score else (0, None)
        if job.trace is not None:
            _write_trace(job, results, rate, samples)
        if job.video:
            _join(job, frames, results, work, rate, samples)
        else:
            _write_manifest(job, results)
    finally:
        if client is not None:
            client.close()
        shutil.rmtree(work, ignore_errors=True)
        if job.video:
            job.partial.unlink(missing_ok=True)


def _write_trace(job: ExportJob, results: list[RangeResult], rate: int, samples: Any) -> None:
    assert job.trace is not None
    window = max(0.05, 1.0 / job.fps)
    lines = []
    for result in results:
        for row in result.rows:
            row["audio"]["rms_db"] = round(float(rms_db(samples, rate, row["t"], window)), 6)
            lines.append(json.dumps(row, separators=(",", ":")) + "\n")
    write_text(job.trace, "".join(lines))


def _write_manifest(job: ExportJob, results: list[RangeResult]) -> None:
    rows = [row for result in results for row in result.manifest]
    manifest = {"complete": True, "fps": job.fps, "size": list(job.size), "frames": rows}
    write_text(job.out / MANIFEST, json.dumps(manifest, indent=1) + "\n")


def _join(
    job: ExportJob,
    frames: list[int],
    results: list[RangeResult],
    work: Path,
    rate: int,
    samples: Any,
) -> None:
    segments = [path for result in results for _, path in result.segments]
    wav = None
    if job.audio:
        wav = work / "score.wav"
        try:
            span = encode.audio_span(samples, rate, frames[0], len(frames), job.fps)
            encode.write_wav(wav, rate, span)
        except OSError as exc:
            raise ExportFailed(f"cannot write the score for the video in {work}: {exc}") from None
    encode.join(segments, job.partial, len(frames) / job.fps, wav, work)
    try:
        os.replace(job.partial, job.out)
    except OSError as exc:
        raise ExportFailed(f"cannot write {job.out}: {exc.strerror or exc}") from None
