"""``mirror``: a phrase of keyframes turned into its mirror image, in place."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_span, run_edit

NAME = "mirror"
HELP = "mirror a span of keyframes: left and right swapped"
DESCRIPTION = (
    "Mirror WHO's keyframes from --from to --to: left and right limbs swapped (a POSE_mirrored "
    "pose is added to poses.toml where needed), x mirrored about --about, facing turned, the "
    "hands of the holds inside swapped. The result is checked first: a failing one is not saved."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_span(p)
    p.add_argument(
        "--about", type=float, default=0.0, metavar="X", help="the floor line to mirror about (0)"
    )


def run(args: argparse.Namespace) -> int:
    from ..show.edit import Edit, mirror

    def make(folder: Path) -> Edit:
        return mirror(folder, args.who, args.start, args.end, args.about)

    return run_edit(args, make)
