"""Reading command-line values (sizes, times) with messages that name what was wrong."""

from __future__ import annotations

import argparse
import math
import os
import re
import typing
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ..show.cues import CueSheet
from ..show.timing import TimeError, parse_time


class UsageError(ValueError):
    """A bad command-line value: the CLI prints it and exits 2."""


class ExportFailed(RuntimeError):
    """Work that could not finish (a full disk, the encoder stopped): the CLI says what, exit 1."""


class Parser(argparse.ArgumentParser):
    """argparse, with a refusal on one line (what was wrong and where to look) instead of the
    usage text, and a value that starts with a minus and a digit (``--size -5x10``,
    ``--av-offset -1e3``) read as the option's value, to be judged by it, not as an option."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def error(self, message: str) -> typing.NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


#: The seeds the dust and the grain take (numpy's generators refuse a negative one).
SEED_MAX = 2**32 - 1
#: How far ``--av-offset`` may move the picture from its sound (ms): a room's latency is tens
#: of milliseconds, a Bluetooth speaker's a few hundred; beyond two seconds it is a typo.
AV_OFFSET_MAX_MS = 2000.0


def seed(text: str) -> int:
    """``--seed``: a whole number from 0 to 2**32 - 1.

    >>> seed("7")
    7
    >>> seed("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: -1: expected a whole number from 0 to 4294967295
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"{text}: expected a whole number from 0 to {SEED_MAX}")
    return value


def count(text: str) -> int:
    """A number of things to do (``--loops``): a whole number, 1 or more.

    >>> count("3")
    3
    >>> count("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 0: expected a whole number, 1 or more
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: expected a whole number, 1 or more")
    return value


def av_offset_ms(text: str) -> float:
    """``--av-offset``: milliseconds from -2000 to 2000.

    >>> av_offset_ms("-40")
    -40.0
    >>> av_offset_ms("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: nan: expected milliseconds from -2000 to 2000
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not abs(value) <= AV_OFFSET_MAX_MS:  # nan fails this too
        raise argparse.ArgumentTypeError(
            f"{text}: expected milliseconds from {-AV_OFFSET_MAX_MS:g} to {AV_OFFSET_MAX_MS:g}"
        )
    return value


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


@dataclass(frozen=True)
class Output:
    """A place a command will write: one file, or a folder it fills (PNG frames)."""

    path: Path
    option: str  # how the command line names it in a message: "OUT", "--trace"
    folder: bool = False

    @property
    def home(self) -> Path:
        """The folder that must exist for the output to be written."""
        return self.path if self.folder else self.path.parent


def claim_outputs(outputs: Sequence[Output]) -> None:
    """Make sure every output can be written before the work begins, so a bad one is a usage
    error at once, not a failure minutes in; create the folders they need only once all of
    them have passed, and take those folders away again if one still cannot be written.

    A refusal (a :class:`UsageError` naming the option) leaves the disk as it was."""
    for out in outputs:
        _check_untouched(out)
    made: list[Path] = []
    try:
        for out in outputs:
            made += _make_home(out)
            if out.folder:
                _probe_folder(out)
            else:
                try_writing(out.path, out.option)
    except UsageError:
        for folder in reversed(made):
            with suppress(OSError):
                folder.rmdir()
        raise


def part_name(path: Path) -> Path:
    """Where ``path`` is written first, to be renamed once whole (a reader never sees half a
    file); it keeps the suffix, which tells pygame a picture's format.

    >>> part_name(Path("out/score.png")).name.endswith(".part.png")
    True
    """
    return path.with_name(f".{path.stem}.{os.getpid()}.part{path.suffix}")


def _check_untouched(out: Output) -> None:
    """What can be told without creating anything: a file where a folder must be, a folder
    where a file must be, an existing folder that cannot be written in."""
    if out.folder and out.path.exists() and not out.path.is_dir():
        raise UsageError(f"{out.option} {out.path}: is a file, expected a folder")
    nearest = out.home
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        raise UsageError(f"{out.option} {out.path}: {nearest} is a file, not a folder")
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise UsageError(f"{out.option} {out.path}: cannot write in {nearest}")
    if not out.folder and out.home.is_dir():
        try_writing(out.path, out.option)


def _make_home(out: Output) -> list[Path]:
    """Create the output's folder and those above it; return the ones that were missing,
    outermost first."""
    missing = [p for p in (out.home, *out.home.parents) if not p.exists()][::-1]
    try:
        out.home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        for folder in reversed(missing):
            with suppress(OSError):
                folder.rmdir()
        raise UsageError(f"{out.option} {out.path}: cannot write: {exc.strerror or exc}") from None
    return missing


def _probe_folder(out: Output) -> None:
    probe = out.path / ".thereturn-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"{out.option} {out.path}: cannot write: {exc.strerror or exc}") from None
