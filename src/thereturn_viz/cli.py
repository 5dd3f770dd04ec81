"""``python -m thereturn_viz``: one command line for playing, exporting and checking the piece."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .paths import default_choreography
from .show.choreography import Choreography, load_choreography
from .show.errors import ChoreographyError
from .show.timing import format_clock

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--choreography",
        metavar="DIR",
        type=Path,
        default=None,
        help="the choreography folder (default: the one shipped with the piece)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed for dust and grain (default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m thereturn_viz",
        description="The Return: a rehearsal-studio duet, re-created as a living scene.",
        epilog="With no command, plays the piece in a window. Each command has its own --help.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser(
        "play",
        help="play the piece in a window (the default)",
        description="Play the piece in a resizable window. Keys: Space pause, "
        "Left/Right seek 5 s, PgUp/PgDn previous/next cue, D debug overlay, "
        "F fullscreen, M mute, G film look, Esc quit.",
    )
    _add_play_options(play)

    kiosk = sub.add_parser(
        "kiosk",
        help="fullscreen gallery loop, for weeks on end",
        description="Fullscreen at the display's native resolution, cursor "
        "hidden, looping with a few seconds of black between loops. Stray "
        "keys are ignored; quit with Ctrl+Q or by holding Esc for 3 s.",
    )
    _add_common(kiosk)
    kiosk.add_argument(
        "--loops", type=int, default=None, metavar="N", help="stop after N loops (default: forever)"
    )
    kiosk.add_argument(
        "--heartbeat",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the time to FILE every few seconds, for a watchdog "
        "(default: kiosk.heartbeat in the user state folder)",
    )
    kiosk.add_argument(
        "--log",
        type=Path,
        default=None,
        metavar="FILE",
        help="rotating log of errors and restarts (default: thereturn.log in the user log folder)",
    )
    kiosk.add_argument(
        "--render",
        default=None,
        metavar="WxH",
        help="draw the piece at WxH and scale it up to fill the screen, for a screen larger "
        "than the machine can draw 60 times a second (a 4K screen: --render 1920x1080); "
        "default: the screen's own resolution",
    )
    kiosk.add_argument("--no-film", action="store_true", help="switch the film look off")
    kiosk.add_argument("--mute", action="store_true", help="no sound")
    _add_av_offset(kiosk)
    kiosk.add_argument(
        "--size", default=None, metavar="WxH", help=argparse.SUPPRESS
    )  # tests: a window instead of native fullscreen
    kiosk.add_argument(
        "--step", type=float, default=None, metavar="SECONDS", help=argparse.SUPPRESS
    )  # tests: each frame moves the piece on SECONDS, silently, without waiting

    export = sub.add_parser(
        "export",
        help="write stills, a PNG sequence or an MP4, headless",
        description="Headless export. OUT ending in .mp4: H.264 video with "
        "the score as AAC. Otherwise OUT is a folder of frame_NNNNNN.png "
        "(NNNNNN = round(t*fps)) with a manifest.json.",
    )
    _add_common(export)
    export.add_argument("out", type=Path, metavar="OUT", help="OUT.mp4 or a folder")
    export.add_argument(
        "--at",
        action="append",
        default=None,
        metavar="T",
        help="a still at T: seconds, a cue, cue+2, 'bar 12 beat 3' (repeatable)",
    )
    export.add_argument("--start", default=None, metavar="T", help="start of the span (default 0)")
    export.add_argument(
        "--end", default=None, metavar="T", help="end of the span (default: the end of the piece)"
    )
    export.add_argument(
        "--size", default="1920x1080", metavar="WxH", help="picture size (default 1920x1080)"
    )
    export.add_argument("--fps", type=float, default=30.0, help="frames per second (default 30)")
    export.add_argument("--no-audio", action="store_true", help="leave the score out of a video")
    export.add_argument("--no-film", action="store_true", help="switch the film look off")
    export.add_argument(
        "--trace",
        type=Path,
        default=None,
        metavar="FILE.jsonl",
        help="write one JSON object per frame (positions, light, audio level)",
    )
    export.add_argument("--quiet", action="store_true", help="no progress bar")

    check = sub.add_parser(
        "check",
        help="validate the choreography",
        description="Check every choreography file; report each problem "
        "with its file, key path and a suggestion. Exit 1 on any problem.",
    )
    check.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="the choreography folder (default: the shipped one)",
    )

    cues = sub.add_parser(
        "cues",
        help="print the cue sheet",
        description="The cue sheet: name, time, bar.beat and what happens.",
    )
    cues.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cues.add_argument(
        "--choreography", metavar="DIR", type=Path, default=None, help="the choreography folder"
    )

    score = sub.add_parser(
        "score",
        help="write the synthesized score to a WAV file",
        description="Synthesize the whole score (48 kHz stereo) to OUT.wav.",
    )
    _add_common(score)
    score.add_argument("out", type=Path, metavar="OUT.wav")
    score.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="PNG",
        help="also draw loudness over time with the cues marked to PNG",
    )

    bench = sub.add_parser(
        "bench",
        help="time each stage of a frame",
        description="Time every stage of a frame with everything on: median, "
        "p95 and p99 in milliseconds.",
    )
    _add_common(bench)
    bench.add_argument("--size", default="1920x1080", metavar="WxH", help="default 1920x1080")
    bench.add_argument("--frames", type=int, default=300, help="frames to time (default 300)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")

    sheet = sub.add_parser(
        "sheet",
        help="draw one labelled still per cue in a grid (a contact sheet)",
        description="Headless. One still per cue of the cue sheet, taken a little way into "
        "the cue (half way to the next, at most 12 s; 'end' at its cut to black), labelled "
        "with the cue, the time and bar.beat, in a grid written to OUT.png.",
    )
    _add_common(sheet)
    sheet.add_argument("out", type=Path, metavar="OUT.png")
    sheet.add_argument(
        "--size", default="480x270", metavar="WxH", help="size of each still (default 480x270)"
    )
    sheet.add_argument("--columns", type=int, default=4, help="stills per row (default 4)")
    sheet.add_argument("--no-film", action="store_true", help="switch the film look off")
    sheet.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _add_play_options(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--fullscreen", action="store_true", help="start fullscreen")
    p.add_argument("--size", default="1280x720", metavar="WxH", help="window size (1280x720)")
    p.add_argument(
        "--start",
        default="0",
        metavar="CUE|SECONDS",
        help="where to start: seconds, a cue, cue+2 (default 0)",
    )
    p.add_argument("--mute", action="store_true", help="no sound")
    _add_av_offset(p)
    p.add_argument("--no-film", action="store_true", help="switch the film look off")
    p.add_argument("--max-frames", type=int, default=None, help=argparse.SUPPRESS)


def _add_av_offset(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--av-offset",
        type=float,
        default=0.0,
        metavar="MS",
        help="show the picture MS milliseconds later (negative: earlier) to meet a room's "
        "sound latency (default 0)",
    )


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _load(folder: Path | None) -> Choreography:
    return load_choreography(folder or default_choreography())


def _report(exc: ChoreographyError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    n = len(exc.problems)
    print(f"{n} problem{'s' if n != 1 else ''} in the choreography", file=sys.stderr)
    return EXIT_PROBLEMS


#: Options of the command line itself; any other first option belongs to ``play``.
TOP_LEVEL_FLAGS = ("-h", "--help", "--version")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0].startswith("-") and words[0] not in TOP_LEVEL_FLAGS):
        words = ["play", *words]  # play is the default: its options work without its name
    args = parser.parse_args(words)
    command = args.command
    from .run.args import ExportFailed, UsageError

    try:
        return _dispatch(command, args)
    except ChoreographyError as exc:
        return _report(exc)
    except UsageError as exc:
        return _fail(str(exc))
    except ExportFailed as exc:
        return _fail(f"{command}: {exc}", EXIT_PROBLEMS)
    except OSError as exc:  # the machine said no mid-way: a full disk, a folder removed
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{command}: {where}{exc.strerror or exc}", EXIT_PROBLEMS)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a fault of ours: one line here, the whole story in the log
        where = _log_fault(command, exc)
        return _fail(f"{command}: an internal error: {exc!r}{where}", EXIT_PROBLEMS)


def _log_fault(command: str, exc: BaseException) -> str:
    """Write the traceback of an unexpected failure to the log file; say where, or nothing."""
    import traceback

    from .run.logs import default_log_file

    path = default_log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {command} failed\n")
            f.write("".join(traceback.format_exception(exc)))
    except OSError:
        return ""
    return f" (details in {path})"


def _dispatch(command: str, args: argparse.Namespace) -> int:
    if command == "check":
        return _check(args.dir or default_choreography())
    if command == "cues":
        return _cues(_load(args.choreography), args.json)
    if command == "export":
        return _export(args)
    if command == "score":
        return _score(args)
    if command == "bench":
        return _bench(args)
    if command == "sheet":
        return _sheet(args)
    if command in ("play", "kiosk"):
        return _window(command, args)
    raise AssertionError(command)


def _check(folder: Path) -> int:
    """Every problem on stdout (one per line, ``file:line: key: message (hint)``), or one line."""
    try:
        chor = load_choreography(folder)
    except ChoreographyError as exc:
        n = len(exc.problems)
        _lines([*map(str, exc.problems), f"{folder}: {n} problem{'s' if n != 1 else ''}"])
        return EXIT_PROBLEMS
    frames = ", ".join(f"{d.name} {len(d.keyframes)}" for d in chor.dancers.values())
    _lines(
        [
            f"{folder}: ok: {len(chor.sheet.cues)} cues, {len(chor.poses)} poses, "
            f"keyframes {frames}, {len(chor.contacts)} contacts, "
            f"{format_clock(chor.sheet.duration)}"
        ]
    )
    return EXIT_OK


def _cues(chor: Choreography, as_json: bool) -> int:
    sheet = chor.sheet
    if as_json:
        cues = [{"name": c.name, "t": c.t, "about": c.about} for c in sheet.cues]
        _lines([json.dumps({"duration": sheet.duration, "cues": cues}, indent=1)])
        return EXIT_OK
    lines = [
        f"# tempo {span.bpm:g} bpm, {span.beats_per_bar}/4 from bar {span.bar} "
        f"({format_clock(span.t)}, cue {sheet.cue_at(span.t)})"
        for span in sheet.tempo.spans
    ]
    lines.append(f"{'cue':<16} {'time':>8} {'bar.beat':>9}  what happens")
    for c in sheet.cues:
        lines.append(f"{c.name:<16} {format_clock(c.t):>8} {sheet.tempo.label(c.t):>9}  {c.about}")
    _lines(lines)
    return EXIT_OK


def _lines(lines: list[str]) -> None:
    """Print to stdout; a reader that stops early (``cues | head``) is not an error."""
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _export(args: argparse.Namespace) -> int:
    from .run.headless import use_dummy_drivers

    use_dummy_drivers()
    from .run.args import UsageError, parse_piece_time, parse_size
    from .run.export import ExportJob, run_export

    chor = _load(args.choreography)
    sheet = chor.sheet
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
    out: Path = args.out
    if out.suffix.lower() == ".mp4" and times is not None:
        raise UsageError("--at writes PNG stills: give a folder as OUT, not an .mp4")
    if out.suffix.lower() not in ("", ".mp4") and not out.is_dir():
        raise UsageError(f"{out}: OUT must end in .mp4 or be a folder")
    job = ExportJob(
        out=out,
        size=size,
        fps=args.fps,
        times=times,
        start=start,
        end=end,
        audio=not args.no_audio,
        film=not args.no_film,
        trace=args.trace,
        progress=not args.quiet and sys.stderr.isatty(),
        seed=args.seed,
    )
    n = run_export(chor, job)
    print(f"wrote {n} frame{'s' if n != 1 else ''} to {out}")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    from .run.args import UsageError, try_writing
    from .sound.cache import write_wav as _write_wav
    from .sound.score import render_score

    chor = _load(args.choreography)
    if args.out.suffix.lower() != ".wav":
        raise UsageError(f"{args.out}: OUT must end in .wav")
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        raise UsageError(f"--plot {args.plot}: must end in .png")
    for path, option in ((args.out, "OUT"), (args.plot, "--plot")):
        if path is not None:  # before a synthesis of many seconds, not after it
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None
            try_writing(path, option)
    rate, samples = render_score(chor)
    try:
        _write_wav(args.out, rate, samples)
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror or exc}", EXIT_PROBLEMS)
    print(f"wrote {len(samples) / rate:.1f} s of score to {args.out}")
    if args.plot is not None:
        from .run.headless import use_dummy_drivers

        use_dummy_drivers()
        import pygame

        from .run.audio import draw_loudness

        try:
            args.plot.parent.mkdir(parents=True, exist_ok=True)
            pygame.image.save(draw_loudness(samples, rate, chor.sheet), str(args.plot))
        except (OSError, pygame.error) as exc:
            return _fail(f"cannot write {args.plot}: {exc}")
        print(f"drew the loudness of the score to {args.plot}")
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from .run.headless import use_dummy_drivers

    use_dummy_drivers()
    from .run.args import UsageError, parse_size
    from .run.bench import run_bench

    if not 10 <= args.frames <= 100_000:
        raise UsageError(f"--frames {args.frames}: expected 10 to 100000 frames to time")
    run_bench(_load(args.choreography), parse_size(args.size), args.frames, args.json)
    return EXIT_OK


def _sheet(args: argparse.Namespace) -> int:
    from .run.headless import use_dummy_drivers

    use_dummy_drivers()
    from .run.args import UsageError, parse_size
    from .run.sheet import SheetJob, run_sheet

    chor = _load(args.choreography)
    size = parse_size(args.size)
    if args.out.suffix.lower() != ".png":
        raise UsageError(f"{args.out}: OUT must end in .png")
    job = SheetJob(
        out=args.out,
        size=size,
        columns=args.columns,
        film=not args.no_film,
        seed=args.seed,
        progress=not args.quiet and sys.stderr.isatty(),
    )
    n = run_sheet(chor, job)
    print(f"drew {n} cues to {args.out}")
    return EXIT_OK


def _window(command: str, args: argparse.Namespace) -> int:
    from .run.headless import INSTEAD, no_display_message

    chor = _load(args.choreography)  # an invalid folder says so with or without a screen
    if (why := no_display_message()) is not None:
        return _fail(why)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from .run.args import parse_piece_time, parse_size

    try:
        if command == "play":
            from .run.player import Player, PlayOptions

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
        from .run.kiosk import Kiosk, KioskOptions
        from .run.logs import default_heartbeat_file, setup_logging

        log_file = setup_logging(args.log)
        if log_file is not None:
            print(f"kiosk: logging to {log_file}", file=sys.stderr)

        if args.step is not None and not 0.0 < args.step <= 60.0:
            return _fail(f"--step {args.step:g}: expected 0 to 60 seconds a frame")
        kopts = KioskOptions(
            loops=args.loops,
            heartbeat=args.heartbeat or default_heartbeat_file(),
            film=not args.no_film,
            seed=args.seed,
            size=parse_size(args.size) if args.size else None,
            render=parse_size(args.render, "--render") if args.render else None,
            step=args.step,
            mute=args.mute,
            av_offset_ms=args.av_offset,
        )
        return Kiosk(chor, kopts).run()
    except pygame.error as exc:
        return _fail(f"cannot open a window: {exc}: {INSTEAD}")
