"""``check``: every problem in a choreography folder, or one line saying it is sound."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, EXIT_PROBLEMS, print_lines

NAME = "check"
HELP = "validate the choreography"
DESCRIPTION = (
    "Check every choreography file; report each problem "
    "with its file, key path and a suggestion. Exit 1 on any problem."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="the choreography folder (default: the shipped one)",
    )


def run(args: argparse.Namespace) -> int:
    """Every problem on stdout (one per line, ``file:line: key: message (hint)``), or one line."""
    from ..paths import default_choreography
    from ..show.errors import ChoreographyError
    from ..show.loader import load_choreography
    from ..show.timing import format_clock

    folder: Path = args.dir or default_choreography()
    try:
        chor = load_choreography(folder)
    except ChoreographyError as exc:
        n = len(exc.problems)
        print_lines([*map(str, exc.problems), f"{folder}: {n} problem{'s' if n != 1 else ''}"])
        return EXIT_PROBLEMS
    frames = ", ".join(f"{d.name} {len(d.keyframes)}" for d in chor.dancers.values())
    print_lines(
        [
            f"{folder}: ok: {len(chor.sheet.cues)} cues, {len(chor.poses)} poses, "
            f"keyframes {frames}, {len(chor.contacts)} contacts, "
            f"{format_clock(chor.sheet.duration)}"
        ]
    )
    return EXIT_OK
