"""Reading command-line values (sizes, times) with messages that name what was wrong."""

from __future__ import annotations

import re
from pathlib import Path

from ..show.cues import CueSheet
from ..show.timing import TimeError, parse_time


class UsageError(ValueError):
    """A bad command-line value: the CLI prints it and exits 2."""


class ExportFailed(RuntimeError):
    """Work that could not finish (a full disk, the encoder stopped): the CLI says what, exit 1."""


def parse_size(text: str, option: str = "--size") -> tuple[int, int]:
    """``WxH`` -> (W, H), each from 16 to 7680; ``option`` names the flag in an error.

    >>> parse_size("640x360")
    (640, 360)
    >>> parse_size("0x0")
    Traceback (most recent call last):
    ...
    thereturn_viz.run.args.UsageError: --size 0x0: each side must be 16 to 7680 pixels
    """
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise UsageError(f"{option} {text}: expected WIDTHxHEIGHT, e.g. 1920x1080")
    w, h = int(m.group(1)), int(m.group(2))
    if not (16 <= w <= 7680 and 16 <= h <= 7680):
        raise UsageError(f"{option} {text}: each side must be 16 to 7680 pixels")
    return w, h


def parse_piece_time(text: str, sheet: CueSheet, option: str) -> float:
    """A time on the command line: seconds, a cue, ``cue+2``, ``bar 12 beat 3``."""
    try:
        t = parse_time(text, sheet)
    except TimeError as exc:
        raise UsageError(f"{option} {text}: {exc}") from None
    if not 0.0 <= t <= sheet.duration:
        raise UsageError(
            f"{option} {text}: {t:g} s is outside the piece (0 to {sheet.duration:g} s)"
        )
    return t


def try_writing(path: Path, option: str) -> None:
    """Raise a :class:`UsageError` naming ``option`` unless ``path`` can be written; leave no
    trace of the attempt (an existing file is opened for appending and left as it was)."""
    existed = path.exists()
    if existed and path.is_dir():
        raise UsageError(f"{option} {path}: is a folder, expected a file")
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None
    if not existed:
        path.unlink(missing_ok=True)
