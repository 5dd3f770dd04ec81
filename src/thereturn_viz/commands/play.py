"""``play``: the piece in a resizable window (the default command)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .common import add_av_offset, add_common, add_mute, add_no_film, add_size, in_a_window

if TYPE_CHECKING:
    from ..show.choreography import Choreography

NAME = "play"
HELP = "play the piece in a window (the default)"
DESCRIPTION = (
    "Play the piece in a resizable window. Keys: Space pause, "
    "Left/Right seek 5 s, PgUp/PgDn previous/next cue, D debug overlay, "
    "E pose editor (drag a joint; Ctrl+S save, Ctrl+Z undo), "
    "F fullscreen, M mute, G film look, Esc quit."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("--fullscreen", action="store_true", help="start fullscreen")
    add_size(p, "1280x720", "window size (1280x720)")
    p.add_argument(
        "--start",
        default="0",
        metavar="CUE|SECONDS",
        help="where to start: seconds, a cue, cue+2 (default 0)",
    )
    add_mute(p)
    add_av_offset(p)
    add_no_film(p)
    p.add_argument("--max-frames", type=int, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    def play(chor: Choreography) -> int:
        from ..run.args import parse_piece_time, parse_size
        from ..run.player import Player, PlayOptions

        options = PlayOptions(
            size=parse_size(args.size),
            fullscreen=args.fullscreen,
            start=parse_piece_time(args.start, chor.sheet, "--start"),
            mute=args.mute,
            av_offset_ms=args.av_offset,
            film=not args.no_film,
            seed=args.seed,
            max_frames=args.max_frames,
            choreography_dir=args.choreography,
        )
        return Player(chor, options).run()

    return in_a_window(args, play)
