"""``export``: stills, a PNG sequence or an MP4, headless. The work is run/export.py's; this
module reads the options into an :class:`~thereturn_viz.run.export.ExportJob`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from ..run.export import ExportJob
    from ..show.cues import CueSheet

NAME = "export"
HELP = "write stills, a PNG sequence or an MP4, headless"
DESCRIPTION = (
    "Headless export. OUT ending in .mp4: H.264 video with "
    "the score as AAC. Otherwise OUT is a folder of frame_NNNNNN.png "
    "(NNNNNN = round(t*fps)) with a manifest.json."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("out", metavar="OUT", help="OUT.mp4 or a folder")
    p.add_argument(
        "--at",
        action="append",
        default=None,
        metavar="T",
        help="a still at T: seconds, a cue, cue+2, 'bar 12 beat 3' (repeatable)",
    )
    p.add_argument("--start", default=None, metavar="T", help="start of the span (default 0)")
    p.add_argument(
        "--end", default=None, metavar="T", help="end of the span (default: the end of the piece)"
    )
    add_size(p, "1920x1080", "picture size (default 1920x1080)")
    p.add_argument("--fps", type=float, default=30.0, help="frames per second (default 30)")
    p.add_argument("--no-audio", action="store_true", help="leave the score out of a video")
    add_no_film(p)
    add_marks(p)
    p.add_argument(
        "--trace",
        default=None,
        metavar="FILE.jsonl",
        help="write one JSON object per frame (positions, light, audio level)",
    )
    add_quiet(p)
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="draw in N processes at once, each a range of the frames (default: one per core, "
        "fewer for a short export or for --memory)",
    )
    p.add_argument(
        "--memory",
        type=float,
        default=1.5,
        metavar="GB",
        help="the memory the local jobs may use together, which bounds the default --jobs "
        "(1.5: two jobs at 1080p, one at 4K)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="send the jobs of an MP4 to the Dask cluster of this scheduler (the 'farm' extra; "
        "see docs/export.md)",
    )


def run(args: argparse.Namespace) -> int:
    from ..run.headless import use_dummy_drivers

    use_dummy_drivers()
    from ..run.export import run_export
    from ..run.outputs import Interrupted

    chor = load(args.choreography)
    job = job_of(args, chor.sheet)
    try:
        n = run_export(chor, job)
    except Interrupted as exc:  # stopped by a signal, everything begun removed: one line
        print(exc, file=sys.stderr)
        return exc.code
    print(f"wrote {n} frame{'s' if n != 1 else ''} to {job.out}")
    return EXIT_OK


def job_of(args: argparse.Namespace, sheet: CueSheet) -> ExportJob:
    """The export the options ask for, every value checked (a bad one is a UsageError)."""
    from ..run.args import UsageError, parse_piece_time, parse_size
    from ..run.export import ExportJob

    if not args.out:
        raise UsageError("OUT is empty: give a file name ending in .mp4 or a folder")
    if args.trace is not None and not args.trace:
        raise UsageError("--trace is empty: give a file name, e.g. trace.jsonl")
    size = parse_size(args.size)
    if not 1.0 <= args.fps <= 240.0:
        raise UsageError(f"--fps {args.fps:g}: expected 1 to 240 frames per second")
    times = [parse_piece_time(t, sheet, "--at") for t in args.at] if args.at else None
    if times is not None and (args.start or args.end):
        raise UsageError("--at writes single stills: leave out --start and --end, or --at")
    start = parse_piece_time(args.start, sheet, "--start") if args.start else 0.0
    end = parse_piece_time(args.end, sheet, "--end") if args.end else sheet.duration
    if times is None and end <= start:
        which = f"--end {args.end}" if args.end else f"the end of the piece ({end:g} s)"
        raise UsageError(f"{which}: must come after --start {args.start} ({start:g} s)")
    out = Path(args.out)
    if out.suffix.lower() == ".mp4" and times is not None:
        raise UsageError("--at writes PNG stills: give a folder as OUT, not an .mp4")
    if out.suffix.lower() not in ("", ".mp4") and not out.is_dir():
        raise UsageError(f"{out}: OUT must end in .mp4 or be a folder")
    return ExportJob(
        out=out,
        size=size,
        fps=args.fps,
        times=times,
        start=start,
        end=end,
        audio=not args.no_audio,
        film=not args.no_film,
        trace=Path(args.trace) if args.trace is not None else None,
        progress=progress_wanted(args),
        seed=args.seed,
        jobs=args.jobs,
        memory=args.memory,
        scheduler=args.scheduler,
        marks=marks(args),
    )
