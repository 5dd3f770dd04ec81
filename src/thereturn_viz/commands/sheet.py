"""``sheet``: a contact sheet, one labelled still per cue. The work is run/sheet.py's."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import (
    EXIT_OK,
    add_common,
    add_marks,
    add_no_film,
    add_quiet,
    add_size,
    load,
    marks,
    progress_wanted,
)

NAME = "sheet"
HELP = "draw one labelled still per cue in a grid (a contact sheet)"
DESCRIPTION = (
    "Headless. One still per cue of the cue sheet, taken a little way into "
    "the cue (half way to the next, at most 12 s; 'end' at its cut to black), labelled "
    "with the cue, the time and bar.beat, in a grid written to OUT.png."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("out", type=Path, metavar="OUT.png")
    add_size(p, "480x270", "size of each still (default 480x270)")
    p.add_argument("--columns", type=int, default=4, help="stills per row (default 4)")
    add_no_film(p)
    add_marks(p)
    add_quiet(p)


def run(args: argparse.Namespace) -> int:
    from ..run.headless import use_dummy_drivers

    use_dummy_drivers()
    from ..run.args import UsageError, parse_size
    from ..run.sheet import SheetJob, run_sheet

    chor = load(args.choreography)
    size = parse_size(args.size)
    if args.out.suffix.lower() != ".png":
        raise UsageError(f"{args.out}: OUT must end in .png")
    job = SheetJob(
        out=args.out,
        size=size,
        columns=args.columns,
        film=not args.no_film,
        seed=args.seed,
        progress=progress_wanted(args),
        marks=marks(args),
    )
    n = run_sheet(chor, job)
    print(f"drew {n} cues to {args.out}")
    return EXIT_OK
