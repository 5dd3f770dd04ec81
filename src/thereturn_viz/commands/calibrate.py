"""``calibrate``: flash and click on each beat; the arrow keys bring them together in the room."""

from __future__ import annotations

import argparse
import os

from .common import EXIT_OK, add_av_offset, add_size, fail, print_lines

NAME = "calibrate"
HELP = "find the room's --av-offset: a flash and a click on each beat, nudged together"
DESCRIPTION = (
    "A white field flashes and a click sounds on each beat (64 bpm). Move the picture with the "
    "arrow keys until flash and click land together: Right / Left later / earlier by 5 ms, "
    "with Shift by 1 ms, Up / Down by 20 ms. Enter or Esc ends and prints the --av-offset to "
    "give play and kiosk (and the line for the kiosk's service). --av-offset MS starts there "
    "(the value in use, to check it)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fullscreen", action="store_true", help="fullscreen, as the kiosk runs")
    add_size(p, "1280x720", "window size (1280x720)")
    add_av_offset(p)  # where the nudging starts: the service's value, to check it
    p.add_argument("--step", type=float, default=None, help=argparse.SUPPRESS)
    p.add_argument("--max-frames", type=int, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from ..run.args import parse_size
    from ..run.headless import INSTEAD, no_display_message

    size = parse_size(args.size)
    if (why := no_display_message()) is not None:
        here = "calibrate needs the room's own screen and speakers: run it in the gallery's session"
        return fail(why.replace(INSTEAD, here))
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from ..run.calibrate import CalibrateOptions, Calibration, result_lines

    options = CalibrateOptions(
        size=size,
        fullscreen=args.fullscreen,
        offset_ms=args.av_offset,
        step=args.step,
        max_frames=args.max_frames,
    )
    try:
        offset = Calibration(options).run()
    except pygame.error as exc:
        return fail(f"cannot open a window: {exc}")
    print_lines(result_lines(offset))
    return EXIT_OK
