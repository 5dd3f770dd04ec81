"""Live reload for the choreographer: watch the choreography folder, keep the last good version.

The folder is polled (sizes and modification times of the choreography files, a few times a
second at most), which works on every platform and filesystem with no dependency. A change is
reloaded once the files have stopped changing for one poll, so that an editor's
write-in-two-steps is not read half way. A valid change replaces the running choreography; an
invalid one leaves it running and the problems stay on screen until a later save fixes them.
The player loads and checks in a worker thread (``threaded``): a file that takes seconds to
check (a huge one) never stops the picture, the drawing loop only asks whether it is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..show.choreography import Choreography
from ..show.errors import ChoreographyError, Problem
from ..show.loader import FILES, load_choreography

if TYPE_CHECKING:
    import pygame

#: Seconds between two looks at the folder.
POLL_SECONDS = 0.2
#: Seconds an "updated" note stays on screen.
NOTE_SECONDS = 3.0
#: At most this many problems are listed on screen (``check`` lists them all).
SHOWN_PROBLEMS = 6

Stamp = tuple[tuple[str, int, int] | None, ...]


def stamp(folder: Path, names: Sequence[str] = FILES) -> Stamp:
    """(name, mtime in ns, size) of each file, None where a file cannot be looked at."""
    out: list[tuple[str, int, int] | None] = []
    for name in names:
        try:
            st = (folder / name).stat()
        except OSError:
            out.append(None)
            continue
        out.append((name, st.st_mtime_ns, st.st_size))
    return tuple(out)


@dataclass
class FolderWatcher:
    """Says when the files of a folder changed and have since settled.

    ``poll(now)`` looks at the files at most every ``interval`` seconds of ``now`` (any monotonic
    clock); it returns True once per change, on the first look at which the files are the same
    as on the look before (so a change is reported between one and two intervals after it).
    """

    folder: Path
    names: Sequence[str] = FILES
    interval: float = POLL_SECONDS
    _seen: Stamp = field(default=(), init=False)
    _pending: Stamp | None = field(default=None, init=False)
    _last_look: float = field(default=-1e300, init=False)

    def __post_init__(self) -> None:
        self._seen = stamp(self.folder, self.names)

    def poll(self, now: float) -> bool:
        if now - self._last_look < self.interval - 1e-6:
            return False
        self._last_look = now
        current = stamp(self.folder, self.names)
        if self._pending is not None:
            if current == self._pending:
                self._pending = None
                self._seen = current
                return True
            self._pending = current  # still being written: wait for it to settle
            return False
        if current != self._seen:
            self._pending = current
        return False


class _Load:
    """One load of the folder in a daemon thread (a load that never ends must not keep the
    program from exiting); ``done`` is set once ``fresh`` or ``error`` holds its outcome."""

    def __init__(self, load: Callable[[Path], Choreography], folder: Path) -> None:
        self.fresh: Choreography | None = None
        self.error: Exception | None = None
        self.done = threading.Event()
        self._load, self._folder = load, folder
        threading.Thread(target=self._run, name="choreography-load", daemon=True).start()

    def _run(self) -> None:
        try:
            self.fresh = self._load(self._folder)
        except Exception as exc:  # handed to the loop, which reports it
            self.error = exc
        finally:
            self.done.set()


@dataclass
class LiveChoreography:
    """The choreography a player runs, reloaded from its folder when the files change."""

    folder: Path
    current: Choreography
    load: Callable[[Path], Choreography] = load_choreography
    interval: float = POLL_SECONDS
    #: load in a worker thread, handing the result to a later poll (the player); else inline
    threaded: bool = False
    #: where reload notes and problems are printed as well as shown (``play``: the terminal,
    #: so that they are seen with a window hidden, or with none); None: on screen only
    echo: TextIO | None = None
    #: the problems of the files on disk (empty when they are valid)
    problems: tuple[Problem, ...] = field(default=(), init=False)
    reloads: int = field(default=0, init=False)
    _note: str = field(default="", init=False)
    _note_until: float = field(default=0.0, init=False)
    _watcher: FolderWatcher = field(init=False)
    _job: _Load | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._watcher = FolderWatcher(Path(self.folder), interval=self.interval)

    @property
    def loading(self) -> bool:
        """A load is under way in the worker."""
        return self._job is not None and not self._job.done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the load under way, if any (for tests); True once none is."""
        return self._job is None or self._job.done.wait(timeout)

    def poll(self, now: float) -> Choreography | None:
        """The freshly loaded choreography when a saved change is valid, else None.

        Threaded, a settled change starts a load and a later poll hands back its outcome; the
        folder is not looked at while a load runs (a change meanwhile is seen after it)."""
        if self._job is not None:
            if not self._job.done.is_set():
                return None
            job, self._job = self._job, None
            return self._outcome(job.fresh, job.error, now)
        if not self._watcher.poll(now):
            return None
        if self.threaded:
            self._job = _Load(self.load, Path(self.folder))
            return None
        try:
            return self._outcome(self.load(Path(self.folder)), None, now)
        except Exception as exc:
            return self._outcome(None, exc, now)

    def _outcome(
        self, fresh: Choreography | None, error: Exception | None, now: float
    ) -> Choreography | None:
        if isinstance(error, ChoreographyError):
            self.problems = error.problems
            self._echo(self.lines(now)[0], *map(str, self.problems))
            return None
        if error is not None or fresh is None:  # a loader bug must not stop the show
            self.problems = (Problem(str(self.folder), "", f"cannot load: {error!r}"),)
            self._echo(*self.lines(now))
            return None
        self.problems = ()
        self.current = fresh
        self.reloads += 1
        self._note = "choreography updated"
        self._note_until = now + NOTE_SECONDS
        self._echo(f"{self._note} from {self.folder}")
        return fresh

    def _echo(self, *lines: str) -> None:
        if self.echo is not None:
            for line in lines:
                print(f"play: {line}", file=self.echo, flush=True)

    def lines(self, now: float) -> list[str]:
        """What to show on screen now: the problems while there are any, else a brief note."""
        if self.problems:
            n = len(self.problems)
            plural = "s" if n != 1 else ""
            head = f"choreography: {n} problem{plural}, still playing the last good version"
            shown = [_short(p) for p in self.problems[:SHOWN_PROBLEMS]]
            if n > SHOWN_PROBLEMS:
                shown.append(f"... and {n - SHOWN_PROBLEMS} more: run `check` for all of them")
            return [head, *shown]
        if now < self._note_until:
            return [self._note]
        return []


def _short(problem: Problem) -> str:
    """A problem with the file name only (the folder is known): it has to fit on screen."""
    name = Path(problem.file).name
    return problem.text(f"{name}:{problem.line}" if problem.line else name)


def draw_lines(
    surface: pygame.Surface, font: pygame.font.Font, lines: Iterable[str], error: bool
) -> None:
    """Lines at the bottom left over a dark band: amber for problems, pale for a note."""
    import pygame

    rendered = [
        font.render(line, True, (255, 190, 120) if error else (225, 225, 210)) for line in lines
    ]
    if not rendered:
        return
    pad = 6
    height = sum(r.get_height() for r in rendered) + 2 * pad
    width = min(surface.get_width(), max(r.get_width() for r in rendered) + 2 * pad)
    band = pygame.Surface((width, height), pygame.SRCALPHA)
    band.fill((0, 0, 0, 170))
    y0 = surface.get_height() - height - pad
    surface.blit(band, (pad, y0))
    y = y0 + pad
    for r in rendered:
        surface.blit(r, (2 * pad, y))
        y += r.get_height()
