"""An export's frames in ranges, each drawn by a job that re-simulates the piece from t = 0.

The piece is deterministic: the same choreography, seed and ``t`` give the same picture however
the performance got there. So a job needs nothing from another job: it steps the simulation from
the start to its first frame (about 3 s for the whole piece), then draws and writes its frames:
PNG files straight into the folder, or MP4 chunks (see :mod:`.encode`) into the export's work
folder for the join. A job carries the choreography's files (not a path: a choreographer saving
an edit mid-export must not change half the film) and what it was built with, so that a process
or a machine with other code refuses rather than draw other pixels.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import queue
import signal
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

from .. import __version__
from ..show.choreography import Choreography
from ..show.loader import load_choreography
from ..show.reading import FILES
from ..sound.clock import FrameClock
from .annotate import Marks, mark
from .args import ExportFailed
from .encode import ChunkEncoder, frame_bytes, pixel_format, segment_name
from .logs import log_traceback
from .loop import Scene
from .outputs import save_png
from .signals import cancel_pending, raise_outside_callbacks
from .trace import trace_row

#: The libraries whose versions shape the pixels; a worker with others refuses a job.
SHAPING = ("pygame-ce", "pymunk", "numpy", "scipy")


def frame_name(frame: int) -> str:
    """The file name of frame number ``frame``.

    >>> frame_name(42)
    'frame_000042.png'
    """
    return f"frame_{frame:06d}.png"


def code_digest() -> str:
    """A hash of this package's source (every ``.py`` file, by path and content): two
    installations of the same release match, a checkout with local edits does not."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        h.update(f"{rel}\n{path.stat().st_size}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def build() -> tuple[tuple[str, str], ...]:
    """What this process draws with: the package's version and source, and the libraries'."""
    out = [("thereturn-viz", __version__), ("its source (hash)", code_digest())]
    for name in SHAPING:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return tuple(out)


@dataclass(frozen=True)
class Snapshot:
    """The choreography's files as read at the start of the export, and their hash."""

    files: tuple[tuple[str, bytes], ...]
    digest: str

    @staticmethod
    def of(folder: Path) -> Snapshot:
        files = tuple(
            (name, (folder / name).read_bytes()) for name in FILES if (folder / name).is_file()
        )
        return Snapshot(files, digest_of(files))

    def load(self, folder: Path) -> Choreography:
        """The choreography from these files, written into ``folder`` (made if needed)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files:
            (folder / name).write_bytes(data)
        return load_choreography(folder)


def digest_of(files: tuple[tuple[str, bytes], ...]) -> str:
    """A content hash of a choreography's files (names and bytes, in order).

    >>> digest_of((("cues.toml", b"a"),)) == digest_of((("cues.toml", b"b"),))
    False
    """
    h = hashlib.sha256()
    for name, data in files:
        h.update(f"{name}\n{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class RangeSpec:
    """One job: which frames, drawn how, written where, from which choreography and code."""

    index: int  # 0-based
    count: int  # jobs in the export
    frames: tuple[int, ...]
    size: tuple[int, int]
    fps: float
    film: bool
    seed: int
    video: bool
    chunk: int  # frames per encoder chunk (video)
    folder: Path | None  # the PNG folder (frames), else None
    trace: bool
    choreography: Snapshot
    build: tuple[tuple[str, str], ...]
    #: the time label, target skeletons and following camera (``--label``, ``--targets``,
    #: ``--follow``)
    marks: Marks = Marks()

    def describe(self) -> str:
        """How messages name the job.

        >>> RangeSpec(1, 3, (120, 121, 179), (64, 36), 30.0, True, 0, True, 60, None, False,
        ...           Snapshot((), ""), ()).describe()
        'job 2 of 3 (frames 120-179)'
        """
        first, last = self.frames[0], self.frames[-1]
        span = f"frame {first}" if first == last else f"frames {first}-{last}"
        return f"job {self.index + 1} of {self.count} ({span})"

    def refusal(self, where: str) -> str | None:
        """Why a process here must not draw this job (other code, libraries or choreography
        than the export's), or None."""
        mine = dict(build())
        theirs = dict(self.build)
        wrong = [
            f"{name} {mine.get(name, 'none')} here, {want} for the export"
            for name, want in theirs.items()
            if mine.get(name) != want
        ]
        if wrong:
            return (
                f"{where} refused {self.describe()}: {'; '.join(wrong)} (install the export's "
                f"version of thereturn-viz and its libraries there)"
            )
        got = digest_of(self.choreography.files)
        if got != self.choreography.digest:
            return (
                f"{where} refused {self.describe()}: its choreography (hash {got}) is not the "
                f"export's (hash {self.choreography.digest}); export again"
            )
        return None


@dataclass(frozen=True)
class RangeResult:
    """What a job made: the MP4 chunks (chunk number, file), trace rows (their sound level
    left for the export to fill in) and the manifest's rows (PNG)."""

    index: int
    segments: tuple[tuple[int, Path], ...] = ()
    rows: tuple[dict[str, Any], ...] = ()
    manifest: tuple[dict[str, Any], ...] = ()


def split(units: list[list[int]], n: int) -> list[list[int]]:
    """``units`` (runs of frames: chunks, or single frames) in ``n`` consecutive groups of
    nearly equal size, each group's frames as one list.

    >>> split([[0, 1], [2, 3], [4]], 2)
    [[0, 1, 2, 3], [4]]
    >>> split([[0], [1], [2], [3], [4]], 3)
    [[0, 1], [2], [3, 4]]
    """
    n = max(1, min(n, len(units)))
    out = []
    for i in range(n):
        a, b = round(i * len(units) / n), round((i + 1) * len(units) / n)
        out.append([f for unit in units[a:b] for f in unit])
    return out


def run_range(
    spec: RangeSpec,
    choreography: Choreography,
    work: Path,
    report: Callable[[int], None],
) -> RangeResult:
    """Draw the job's frames and write them: PNGs into ``spec.folder``, MP4 chunks into
    ``work``. ``report(n)`` is told of every ``n`` frames done. Raises :class:`ExportFailed`
    when a file cannot be written or an encoder fails."""
    scene = Scene.marked(choreography, spec.size, spec.seed, spec.film, spec.marks)
    rows: list[dict[str, Any]] = []
    manifest: list[dict[str, Any]] = []
    segments: list[tuple[int, Path]] = []
    encoder = None
    pix_fmt = ""
    if spec.video:
        pix_fmt = pixel_format(scene.renderer.frame) or "rgb24"
        encoder = ChunkEncoder(spec.size, spec.fps, pix_fmt)
    try:
        for frame in spec.frames:
            if encoder is not None and (not segments or frame // spec.chunk != segments[-1][0]):
                number = frame // spec.chunk
                segments.append((number, work / segment_name(number)))
                if not encoder.open(segments[-1][1]):
                    break
            surf = scene.frame(FrameClock(spec.fps, frame).now())
            fs = scene.last
            assert fs is not None
            surf = mark(surf, fs, choreography.sheet, spec.marks)
            if spec.trace:
                # the sound's level is the export's to fill in
                rows.append(trace_row(fs, frame, 0.0, scene.renderer.boxes))
            if encoder is not None:
                if not encoder.put(frame_bytes(surf, pix_fmt)):
                    break  # the encoder stopped: close() says why
            else:
                assert spec.folder is not None
                name = frame_name(frame)
                save_png(surf, spec.folder / name)
                manifest.append(
                    {"file": name, "frame": frame, "t": round(frame / spec.fps, 6), "cue": fs.cue}
                )
            report(1)
    except BaseException:
        if encoder is not None:
            encoder.abort()
        raise
    finally:
        scene.renderer.close()
    if encoder is not None:
        encoder.close()
    return RangeResult(spec.index, tuple(segments), tuple(rows), tuple(manifest))


# -- a job in a process of its own -----------------------------------------------------------


class _Ended(BaseException):
    """The export asked this job to stop (SIGTERM), or the export's process is gone."""


def job_process(path: str, index: int, events: Any, parent: int) -> None:
    """The body of a job's process: read the job from the file at ``path`` (the pipe that
    starts a process takes a small message without waiting on its reader), draw the range and
    tell the export through ``events``: ``("progress", index, n)``, then ``("done", index,
    result)`` or ``("failed", index, why)``. Stopped with SIGTERM, it stops its encoder and
    ends quietly.
    """

    def ended(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise_outside_callbacks(_Ended(), frame)

    # a Ctrl+C at the terminal reaches every process of the group: the export decides, and
    # stops the jobs itself (it started them with SIGINT blocked, so none was lost meanwhile)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, ended)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    from .headless import use_dummy_drivers

    use_dummy_drivers()
    home = Path(path).parent
    try:
        spec: RangeSpec = pickle.loads(Path(path).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        events.put(("failed", index, f"cannot read the job from {path}: {exc}"))
        return

    def report(n: int) -> None:
        if os.getppid() != parent:  # the export was killed: do not draw on for nobody
            raise _Ended
        events.put(("progress", spec.index, n))

    try:
        why = spec.refusal("this process")
        if why is not None:
            events.put(("failed", spec.index, why))
            return
        choreography = spec.choreography.load(home / f"choreography-{spec.index}")
        result = run_range(spec, choreography, home, report)
        events.put(("done", spec.index, result))
    except _Ended:
        pass
    except ExportFailed as exc:
        events.put(("failed", spec.index, str(exc)))
    except Exception as exc:  # a fault of ours: the message names it, the log has the story
        where = log_traceback(f"export {spec.describe()} failed", exc)
        events.put(("failed", spec.index, f"an internal error: {exc!r}{where}"))
    finally:
        # the work is over: a SIGTERM while the last message goes out ends the process quietly
        cancel_pending()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


#: How often the export looks at its jobs while none has news (s).
POLL = 0.2


def run_processes(
    specs: list[RangeSpec],
    work: Path,
    report: Callable[[int], None],
    meanwhile: Callable[[], None] = lambda: None,
) -> list[RangeResult]:
    """Each job in a process of its own (started fresh: ``spawn``), at the same time; their
    results in order. ``meanwhile`` runs here once they are started (the score).

    The first job to fail ends the export with its own message; the others are stopped
    (SIGTERM, then killed) before this returns or raises, whatever ends it."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    events = ctx.Queue()
    for spec in specs:
        (work / f"job-{spec.index}.pickle").write_bytes(pickle.dumps(spec))
    procs = [
        ctx.Process(
            target=job_process,
            args=(str(work / f"job-{spec.index}.pickle"), spec.index, events, os.getpid()),
            name=f"thereturn-export-job-{spec.index + 1}",
            daemon=True,
        )
        for spec in specs
    ]
    results: dict[int, RangeResult] = {}
    try:
        # the jobs start with SIGINT and SIGTERM blocked (a process inherits its mask) and
        # install their own handlers before unblocking them
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            for proc in procs:
                proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        meanwhile()
        while len(results) < len(specs):
            try:
                kind, index, payload = events.get(timeout=POLL)
            except queue.Empty:
                _check_alive(procs, specs, results, events)
                continue
            if kind == "progress":
                report(payload)
            elif kind == "done":
                results[index] = payload
            else:
                raise ExportFailed(f"{specs[index].describe()} failed: {payload}")
    finally:
        _stop_all(procs, [i in results for i in range(len(procs))])
        events.close()
        events.join_thread()
    return [results[i] for i in range(len(specs))]


def _check_alive(
    procs: list[Any], specs: list[RangeSpec], results: dict[int, RangeResult], events: Any
) -> None:
    """A job whose process ended without a word (killed, out of memory) fails the export."""
    for i, proc in enumerate(procs):
        if i in results or proc.is_alive():
            continue
        if events.qsize() if _qsize_works(events) else False:
            return  # its last words are still on the way
        code = proc.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        raise ExportFailed(f"{specs[i].describe()} failed: its process ended ({how}) unfinished")


def _qsize_works(events: Any) -> bool:
    try:
        events.qsize()
    except NotImplementedError:  # macOS
        return False
    return True


def _stop_all(procs: list[Any], finished: list[bool]) -> None:
    """End every job's process: a finished one is waited for (it is only flushing its last
    message), the others are stopped (SIGTERM, then killed)."""
    for proc, done in zip(procs, finished, strict=True):
        if done and proc.pid is not None:
            proc.join(5.0)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        if proc.pid is None:
            continue
        proc.join(5.0)
        if proc.is_alive():
            proc.kill()
            proc.join()
