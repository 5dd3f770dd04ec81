"""Where the kiosk and player keep their own files: a small rotating log, bounded for weeks, and
the kiosk's lock (one kiosk at a time on a machine), both in the user's state folder.

``$THERETURN_STATE_DIR`` overrides that folder (tests point it at a temporary one), as
``$THERETURN_CACHE_DIR`` does the score's cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import logging.handlers
import os
from collections.abc import Iterator
from pathlib import Path

import platformdirs

APP = "thereturn-viz"
ENV = "THERETURN_STATE_DIR"
#: ``extra=`` for a record meant for the log file only: what the command line says itself in
#: one line on stderr (a refusal), or at length in the file (a traceback behind that line).
FILE_ONLY = {"file_only": True}


def state_dir() -> Path:
    env = os.environ.get(ENV)
    return Path(env) if env else platformdirs.user_state_path(APP)


def default_log_file() -> Path:
    env = os.environ.get(ENV)
    folder = Path(env) / "log" if env else platformdirs.user_log_path(APP)
    return folder / "thereturn.log"


def log_traceback(title: str, exc: BaseException) -> str:
    """Append ``exc``'s traceback under ``--- title`` to the default log file.

    Returns `` (details in PATH)`` for the one line that reports the failure, or "" when the
    file cannot be written (the line then stands alone)."""
    import traceback

    path = default_log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {title}\n")
            f.write("".join(traceback.format_exception(exc)))
    except OSError:
        return ""
    return f" (details in {path})"


def lock_file() -> Path:
    return state_dir() / "kiosk.lock"


@contextlib.contextmanager
def logging_to(path: Path | None) -> Iterator[Path | None]:
    """Log to ``path`` (rotating, 3 x 1 MB; default :func:`default_log_file`) and to stderr for
    the length of a ``with``, and give the file actually used (None when it cannot be written:
    the log then goes to stderr only, and says so). The handlers are closed and taken away when
    the ``with`` ends, so a second kiosk in the same process (as in the tests) logs only to its
    own file."""
    target, added = _add_handlers(path)
    try:
        yield target
    finally:
        root = logging.getLogger("thereturn")
        for handler in added:
            root.removeHandler(handler)
            handler.close()


def _add_handlers(path: Path | None) -> tuple[Path | None, list[logging.Handler]]:
    root = logging.getLogger("thereturn")
    root.setLevel(logging.INFO)
    added: list[logging.Handler] = []
    if not any(type(h) is logging.StreamHandler for h in root.handlers):
        stream = logging.StreamHandler()
        stream.addFilter(lambda record: not getattr(record, "file_only", False))
        root.addHandler(stream)
        added.append(stream)
    target = path or default_log_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        root.warning("cannot write the log file %s: %s", target, exc)
        return None, added
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    added.append(handler)
    return target, added


class AlreadyRunning(RuntimeError):
    """Another kiosk holds the lock: its process ID when it wrote one, and the lock file."""

    def __init__(self, pid: int | None, path: Path) -> None:
        self.pid = pid
        self.path = path
        who = f"process {pid}" if pid is not None else "a process that has not yet written its ID"
        super().__init__(
            f"another kiosk is already running ({who}, holding {path}); stop it first "
            "(systemctl --user stop thereturn, or Ctrl+Q on its screen)"
        )


@contextlib.contextmanager
def single_instance(path: Path | None = None) -> Iterator[Path]:
    """Hold the kiosk's lock for the length of a ``with``, or raise :class:`AlreadyRunning`.

    ``flock`` on a file holding our process ID: the kernel lets go of it when the process ends
    however it ends (a crash, SIGKILL), so a stale file never keeps a kiosk from starting; the
    file is left in place (removing it would let a third process lock a file no one else sees).
    """
    path = path or lock_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(_pid_in(fd), path) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # no process ID of ours left behind after a clean end
    finally:
        os.close(fd)  # closing the only descriptor of the file lets go of the lock


def _pid_in(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
