"""``shift``: move a span of keyframes (and the holds inside it) by beats, bars or seconds."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_span, run_edit

NAME = "shift"
HELP = "move a span of keyframes by beats, bars or seconds"
DESCRIPTION = (
    "Move WHO's keyframes from --from to --to (and the duet's holds wholly inside) by --by: "
    "+2b, -1bar, 0.5 (seconds). Times written as counts stay counts; comments and layout are "
    "kept. The result is checked first: a failing one is shown and not saved."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_span(p)
    p.add_argument("--by", required=True, metavar="AMOUNT", help="+2b, -1bar, 0.5 (seconds)")


def run(args: argparse.Namespace) -> int:
    from ..show.counts import parse_amount
    from ..show.edit import Edit, shift

    def make(folder: Path) -> Edit:
        return shift(folder, args.who, args.start, args.end, parse_amount(args.by))

    return run_edit(args, make)
