"""``bench``: how long each stage of a frame takes. The work is run/bench.py's."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, add_common, add_size, load

NAME = "bench"
HELP = "time each stage of a frame"
DESCRIPTION = "Time every stage of a frame with everything on: median, p95 and p99 in milliseconds."


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    add_size(p, "1920x1080", "default 1920x1080")
    p.add_argument("--frames", type=int, default=300, help="frames to time (default 300)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--whole",
        action="store_true",
        help="the real-time pass over the whole piece instead of through the lift "
        "(60 Hz, every frame as play draws it: about 24000 frames)",
    )


def run(args: argparse.Namespace) -> int:
    from ..run.headless import use_dummy_drivers

    use_dummy_drivers()
    from ..run.args import UsageError, parse_size
    from ..run.bench import run_bench

    if not 10 <= args.frames <= 100_000:
        raise UsageError(f"--frames {args.frames}: expected 10 to 100000 frames to time")
    choreography = load(args.choreography)
    span = (0.0, choreography.sheet.duration) if args.whole else None
    run_bench(choreography, parse_size(args.size), args.frames, args.json, span=span)
    return EXIT_OK
