"""``kiosk``: the gallery loop, fullscreen, for weeks on end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..run.args import count
from . import common

if TYPE_CHECKING:
    from ..show.choreography import Choreography

NAME = "kiosk"
HELP = "fullscreen gallery loop, for weeks on end"
DESCRIPTION = (
    "Fullscreen at the display's native resolution, cursor "
    "hidden, looping with a few seconds of black between loops. Stray "
    "keys are ignored; quit with Ctrl+Q or by holding Esc for 3 s."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    common.add_common(p)
    p.add_argument(
        "--loops",
        type=count,
        default=None,
        metavar="N",
        help="stop after N loops, 1 or more (default: forever)",
    )
    p.add_argument(
        "--heartbeat",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the time to FILE every few seconds, for a watchdog "
        "(default: kiosk.heartbeat in the user state folder)",
    )
    p.add_argument(
        "--log",
        type=Path,
        default=None,
        metavar="FILE",
        help="rotating log of errors and restarts (default: thereturn.log in the user log folder)",
    )
    p.add_argument(
        "--render",
        default=None,
        metavar="WxH",
        help="draw the piece at WxH and scale it up to fill the screen, for a screen larger "
        "than the machine can draw 60 times a second (a 4K screen: --render 1920x1080); "
        "default: the screen's own resolution",
    )
    common.add_no_film(p)
    common.add_mute(p)
    common.add_av_offset(p)
    common.add_size(p, None, argparse.SUPPRESS)  # tests: a window instead of native fullscreen
    p.add_argument(
        "--step", type=float, default=None, metavar="SECONDS", help=argparse.SUPPRESS
    )  # tests: each frame moves the piece on SECONDS, silently, without waiting


def run(args: argparse.Namespace) -> int:
    from ..run.args import parse_size

    # every value judged before the log is opened or the screen looked for
    size = parse_size(args.size) if args.size else None
    render = parse_size(args.render, "--render") if args.render else None
    if args.step is not None and not 0.0 < args.step <= 60.0:
        return common.fail(f"--step {args.step:g}: expected 0 to 60 seconds a frame")

    def loop(chor: Choreography) -> int:
        from ..run.kiosk import Kiosk, KioskOptions
        from ..run.logs import default_heartbeat_file, setup_logging

        log_file = setup_logging(args.log)
        if log_file is not None:
            print(f"kiosk: logging to {log_file}", file=sys.stderr)
        options = KioskOptions(
            loops=args.loops,
            heartbeat=args.heartbeat or default_heartbeat_file(),
            film=not args.no_film,
            seed=args.seed,
            size=size,
            render=render,
            step=args.step,
            mute=args.mute,
            av_offset_ms=args.av_offset,
        )
        return Kiosk(chor, options).run()

    return common.in_a_window(args, loop)
