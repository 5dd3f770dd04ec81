"""``copy``: a phrase of keyframes (and the holds inside it) copied to another time."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_span, run_edit

NAME = "copy"
HELP = "copy a span of keyframes to another time"
DESCRIPTION = (
    "Copy WHO's keyframes from --from to --to (and the duet's holds wholly inside) so that the "
    "span's start falls on --at. A copied time written from the same cue as --from is written "
    "from --at in the same counts. The result is checked first: a failing one is not saved."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_span(p)
    p.add_argument("--at", required=True, metavar="T", help="where the copy's start falls")


def run(args: argparse.Namespace) -> int:
    from ..show.edit import Edit, copy_phrase

    def make(folder: Path) -> Edit:
        return copy_phrase(folder, args.who, args.start, args.end, args.at)

    return run_edit(args, make)
