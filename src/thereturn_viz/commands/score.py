"""``score``: the synthesized score as a WAV file, and its loudness as a picture. The work is
run/score.py's; this module reads the options into a :class:`~thereturn_viz.run.score.ScoreJob`."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, add_common, load

NAME = "score"
HELP = "write the synthesized score to a WAV file"
DESCRIPTION = "Synthesize the whole score (48 kHz stereo) to OUT.wav."


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("out", type=Path, metavar="OUT.wav")
    p.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="PNG",
        help="also draw loudness over time with the cues marked to PNG",
    )


def run(args: argparse.Namespace) -> int:
    from ..run.args import UsageError
    from ..run.score import ScoreJob, run_score

    chor = load(args.choreography)
    if args.out.suffix.lower() != ".wav":
        raise UsageError(f"{args.out}: OUT must end in .wav")
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        raise UsageError(f"--plot {args.plot}: must end in .png")
    run_score(chor, ScoreJob(out=args.out, plot=args.plot))
    return EXIT_OK
