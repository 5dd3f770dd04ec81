"""``kiosk``: the gallery loop, fullscreen, for weeks on end.

Every value is judged before anything starts; then the log is opened, and from there every
way the kiosk ends is written to it (a second kiosk refused, no screen, a stop, an internal
error with its traceback), to ``--log`` when it is given.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..run.args import count
from ..run.logs import FILE_ONLY, AlreadyRunning, logging_to, single_instance
from .common import (
    EXIT_PROBLEMS,
    add_av_offset,
    add_common,
    add_mute,
    add_no_film,
    add_size,
    fail,
    load,
)

if TYPE_CHECKING:
    from ..run.kiosk import KioskOptions
    from ..show.choreography import Choreography

NAME = "kiosk"
HELP = "fullscreen gallery loop, for weeks on end"
DESCRIPTION = (
    "Fullscreen at the display's native resolution, cursor "
    "hidden, looping with a few seconds of black between loops. Stray "
    "keys are ignored; quit with Ctrl+Q or by holding Esc for 3 s."
)

log = logging.getLogger("thereturn.kiosk")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument(
        "--loops",
        type=count,
        default=None,
        metavar="N",
        help="stop after N loops, 1 or more (default: forever)",
    )
    p.add_argument(
        "--hours",
        default=None,
        metavar="RULES|FILE",
        help="the gallery's opening hours, e.g. 'Tu-Su 10:00-18:00' or "
        "'Mo-Fr 09:00-17:00; Sa,Su 11:00-16:00', or a file of such rules, one a line: outside "
        "them the screen is black and the sound off, and the piece starts from the top when "
        "they open (docs/kiosk.md; default: always open)",
    )
    p.add_argument(
        "--heartbeat",
        type=Path,
        default=None,
        metavar="FILE",
        help="rewrite FILE every few seconds from the drawing loop, for a watchdog on a machine "
        "without systemd (systemd watches the kiosk itself); removed on a clean stop",
    )
    p.add_argument(
        "--log",
        type=Path,
        default=None,
        metavar="FILE",
        help="rotating log of starts, stops, errors and restarts "
        "(default: thereturn.log in the user log folder)",
    )
    p.add_argument(
        "--render",
        default=None,
        metavar="WxH",
        help="draw the piece at WxH and scale it up to fill the screen, for a screen larger "
        "than the machine can draw 60 times a second (a 4K screen: --render 1920x1080); "
        "default: the screen's own resolution",
    )
    add_no_film(p)
    add_mute(p)
    add_av_offset(p)
    add_size(p, None, argparse.SUPPRESS)  # tests: a window instead of native fullscreen
    p.add_argument(
        "--step", type=float, default=None, metavar="SECONDS", help=argparse.SUPPRESS
    )  # tests: each frame moves the piece on SECONDS, silently, without waiting


def options(args: argparse.Namespace) -> KioskOptions:
    """The kiosk's options from the command line; a bad value is a UsageError, before anything
    is written or opened."""
    from ..run.args import Output, UsageError, claim_outputs, parse_size
    from ..run.hours import read_hours
    from ..run.kiosk import KioskOptions

    if args.step is not None and not 0.0 < args.step <= 60.0:
        raise UsageError(f"--step {args.step:g}: expected 0 to 60 seconds a frame")
    result = KioskOptions(
        loops=args.loops,
        heartbeat=args.heartbeat,
        film=not args.no_film,
        seed=args.seed,
        size=parse_size(args.size) if args.size else None,
        render=parse_size(args.render, "--render") if args.render else None,
        step=args.step,
        mute=args.mute,
        av_offset_ms=args.av_offset,
        hours=read_hours(args.hours) if args.hours is not None else None,
    )
    if args.heartbeat is not None:
        claim_outputs([Output(args.heartbeat, "--heartbeat")])
    return result


def run(args: argparse.Namespace) -> int:
    settings = options(args)
    with logging_to(args.log) as log_file:
        code = _logged(args, settings, log_file)
        log.info("kiosk process ends (exit %d)", code, extra=FILE_ONLY)
        return code


def _logged(args: argparse.Namespace, settings: KioskOptions, log_file: Path | None) -> int:
    from ..run.headless import no_display_message

    try:
        with single_instance():
            chor = load(args.choreography)
            if (why := no_display_message()) is not None:
                return _refuse(why)
            return _show(chor, settings, log_file)
    except AlreadyRunning as exc:
        return _refuse(str(exc))
    except KeyboardInterrupt:
        log.info("interrupted (Ctrl+C) before the kiosk started", extra=FILE_ONLY)
        raise
    except Exception as exc:
        from ..show.errors import ChoreographyError

        if isinstance(exc, ChoreographyError):  # the CLI lists the problems
            log.error("not started: the choreography has problems: %s", exc, extra=FILE_ONLY)
            raise
        log.exception("the kiosk failed: an internal error", extra=FILE_ONLY)
        where = f" (details in {log_file})" if log_file is not None else ""
        return fail(f"kiosk: an internal error: {exc!r}{where}", EXIT_PROBLEMS)


def _show(chor: Choreography, settings: KioskOptions, log_file: Path | None) -> int:
    import os

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from ..run.headless import INSTEAD
    from ..run.kiosk import Kiosk
    from ..run.notify import Notifier

    if log_file is not None:
        print(f"kiosk: logging to {log_file}", file=sys.stderr)
    try:
        return Kiosk(chor, settings, Notifier.from_environ()).run()
    except pygame.error as exc:
        return _refuse(f"cannot open a window: {exc}: {INSTEAD}")


def _refuse(message: str) -> int:
    """One line on stderr, as every refusal of the command line, and the same in the log."""
    log.error("not started: %s", message, extra=FILE_ONLY)
    return fail(message)
