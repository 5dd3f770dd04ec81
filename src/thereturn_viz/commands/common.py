"""What the commands share: the options several of them take, the exit codes, loading the
choreography, printing a result, and opening a window.

An option used by more than one command is declared here once, so its name, default and help
read the same in every ``--help``; an option of one command stays in that command's module.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..run.args import av_offset_ms, seed

if TYPE_CHECKING:
    from ..run.annotate import Marks
    from ..show.choreography import Choreography
    from ..show.edit import Edit

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Command(Protocol):
    """What a command module provides: its name and texts for ``--help``, its options, and
    the function that runs it with the parsed options and returns the exit code."""

    NAME: str
    HELP: str
    DESCRIPTION: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def add_choreography(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--choreography",
        metavar="DIR",
        type=Path,
        default=None,
        help="the choreography folder (default: the one shipped with the piece)",
    )


def add_seed(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seed", type=seed, default=0, help="seed for dust and grain, 0 to 2**32-1 (default 0)"
    )


def add_common(p: argparse.ArgumentParser) -> None:
    """``--choreography`` and ``--seed``: every command that draws the piece takes both."""
    add_choreography(p)
    add_seed(p)


def add_size(p: argparse.ArgumentParser, default: str | None, help: str) -> None:
    p.add_argument("--size", default=default, metavar="WxH", help=help)


def add_no_film(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-film", action="store_true", help="switch the film look off")


def add_mute(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mute", action="store_true", help="no sound")


def add_quiet(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def add_av_offset(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--av-offset",
        type=av_offset_ms,
        default=0.0,
        metavar="MS",
        help="show the picture MS milliseconds later (negative: earlier) to meet a room's "
        "sound latency, -2000 to 2000 (default 0)",
    )


def add_marks(p: argparse.ArgumentParser) -> None:
    """``--label``, ``--targets`` and ``--follow``: marks that make exported frames readable."""
    p.add_argument(
        "--label", action="store_true", help="burn the time, cue+offset and bar.beat into a corner"
    )
    p.add_argument(
        "--targets",
        action="store_true",
        help="draw the target skeletons, as play's D overlay does",
    )
    p.add_argument(
        "--follow", action="store_true", help="frame the dancers rather than the whole studio"
    )


def marks(args: argparse.Namespace) -> Marks:
    from ..run.annotate import Marks

    return Marks(label=args.label, targets=args.targets, follow=args.follow)


def progress_wanted(args: argparse.Namespace) -> bool:
    """A progress bar unless ``--quiet``, and only on a terminal (not in a log or a pipe)."""
    return not args.quiet and sys.stderr.isatty()


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Say what went wrong on one line of stderr; return the exit code for it."""
    print(f"error: {message}", file=sys.stderr)
    return code


def load(folder: Path | None) -> Choreography:
    """The choreography in ``folder``, or the one shipped with the piece."""
    from ..paths import default_choreography
    from ..show.loader import load_choreography

    return load_choreography(folder or default_choreography())


def print_lines(lines: list[str]) -> None:
    """Print to stdout; a reader that stops early (``cues | head``) is not an error."""
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def in_a_window(args: argparse.Namespace, body: Callable[[Choreography], int]) -> int:
    """Load the choreography, then run ``body`` with it if there is a screen to draw on; a
    missing screen or a window that will not open is one line and exit 2."""
    from ..run.headless import INSTEAD, no_display_message

    chor = load(args.choreography)  # an invalid folder says so with or without a screen
    if (why := no_display_message()) is not None:
        return fail(why)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    try:
        return body(chor)
    except pygame.error as exc:
        return fail(f"cannot open a window: {exc}: {INSTEAD}")


def add_span(p: argparse.ArgumentParser) -> None:
    """Who and which keyframes an editing command takes: ``WHO --from T --to T``."""
    p.add_argument("who", choices=("lead", "partner", "both"), help="whose keyframes")
    p.add_argument("--from", dest="start", required=True, metavar="T", help="first time")
    p.add_argument("--to", dest="end", required=True, metavar="T", help="last time (inclusive)")
    p.add_argument(
        "--dry-run", action="store_true", help="print the changes as a diff; write nothing"
    )
    add_choreography(p)


def run_edit(args: argparse.Namespace, make: Callable[[Path], Edit]) -> int:
    """Make an edit of the choreography folder, check the result as ``check`` would, and save
    it only if it passes (atomically); a bad argument is one line and exit 2, a result that
    fails the check lists its problems, exit 1, and nothing is written."""
    import difflib

    from ..paths import default_choreography
    from ..show.counts import AmountError
    from ..show.edit import EditError, save, verify
    from ..show.errors import ChoreographyError

    folder: Path = args.choreography or default_choreography()
    try:
        edit = make(folder)
    except (EditError, AmountError) as exc:
        return fail(str(exc))
    except ChoreographyError as exc:
        lines = [*map(str, exc.problems), f"{folder}: does not pass check: fix it first"]
        print_lines(lines)
        return EXIT_PROBLEMS
    problems = verify(folder, edit)
    if problems:
        n = len(problems)
        print_lines(
            [*map(str, problems), f"not saved: the edit would leave {n} problem{'s' * (n != 1)}"]
        )
        return EXIT_PROBLEMS
    if args.dry_run:
        diff: list[str] = []
        for name, text in sorted(edit.texts.items()):
            old = (folder / name).read_text(encoding="utf-8").splitlines(keepends=True)
            diff += difflib.unified_diff(old, text.splitlines(keepends=True), name, name, n=1)
        print_lines(["".join(diff).rstrip("\n"), f"dry run: {edit.summary()}; nothing written"])
        return EXIT_OK
    save(folder, edit)
    print_lines([*edit.notes, f"{folder}: saved: {edit.summary()}"])
    return EXIT_OK
