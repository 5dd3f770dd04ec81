"""A day in the life of the kiosk: many loops, frame-stepped and headless at a small size, with
each loop's resident memory, open files, threads and errors. A benchmark, not part of CI.

    .venv/bin/python benchmarks/soak.py                       # 216 loops: 24 hours of the piece
    .venv/bin/python benchmarks/soak.py --minutes 20 --json soak.json   # as many as fit

The kiosk runs as in a gallery (the same loop, its black between loops, its garbage collected
there, its renderer kept), except that each frame moves the piece on ``--step`` seconds instead
of waiting for the clock, so a loop takes seconds instead of 6:39, and there is no sound device.
Target: resident memory grows less than 20 MB from the end of loop 2 to the end, and 0 errors.
Exit 0 when the target is met, 1 when not, 2 for a bad option.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()  # before pygame is imported

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.run.args import UsageError, count, parse_size  # noqa: E402
from thereturn_viz.run.kiosk import Kiosk, KioskOptions  # noqa: E402
from thereturn_viz.show.choreography import Choreography  # noqa: E402

#: The piece is 6:39; 216 loops of it with the black between are about 24 hours.
DAY_OF_LOOPS = 216
GROWTH_LIMIT_MB = 20.0


@dataclass(frozen=True)
class Sample:
    loop: int
    seconds: float  # wall time since the soak began
    rss_mb: float
    open_files: int
    threads: int
    errors: int


def _status(key: str) -> str:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip()
    raise KeyError(key)


def measure(loop: int, began: float, errors: int) -> Sample:
    """The process as the kernel sees it (``/proc/self``): resident memory, file descriptors
    (sockets and pipes included) and threads (SDL's and the libraries' too, not only Python's)."""
    return Sample(
        loop=loop,
        seconds=round(time.monotonic() - began, 1),
        rss_mb=int(_status("VmRSS").split()[0]) / 1024.0,
        open_files=len(os.listdir("/proc/self/fd")) - 1,  # less the listing's own descriptor
        threads=int(_status("Threads")),
        errors=errors,
    )


class _Counting(logging.Handler):
    """Every error the kiosk logs, whether or not it counted it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class SoakKiosk(Kiosk):
    """The kiosk, measured at the end of each loop; stops at the end of the loop in which the
    time allowed ran out."""

    def __init__(
        self, choreography: Choreography, options: KioskOptions, deadline: float | None
    ) -> None:
        super().__init__(choreography, options)
        self.deadline = deadline
        self.began = time.monotonic()
        self.errors_logged = _Counting()
        logging.getLogger("thereturn").addHandler(self.errors_logged)
        self.samples: list[Sample] = [measure(0, self.began, 0)]

    def _loop_played(self) -> None:
        super()._loop_played()
        errors = max(self.errors, self.errors_logged.count)
        sample = measure(self.loops_done, self.began, errors)
        self.samples.append(sample)
        print(_row(sample), flush=True)
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self._stop("the soak's time is up")


def _row(s: Sample) -> str:
    return (
        f"{s.loop:5d} {s.seconds:9.1f} {s.rss_mb:9.1f} {s.open_files:6d} {s.threads:8d}"
        f" {s.errors:7d}"
    )


def verdict(samples: list[Sample]) -> tuple[float | None, bool]:
    """Growth from the end of loop 2 to the last loop (MB), and whether the target is met.

    >>> s = [Sample(n, 0.0, 100.0 + n, 9, 4, 0) for n in range(6)]
    >>> verdict(s)
    (3.0, True)
    >>> verdict(s[:2])
    (None, False)
    """
    by_loop = {s.loop: s for s in samples}
    if 2 not in by_loop:
        return None, False
    last = samples[-1]
    growth = last.rss_mb - by_loop[2].rss_mb
    return growth, growth < GROWTH_LIMIT_MB and last.errors == 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--loops", type=count, default=DAY_OF_LOOPS, help="loops (216: a day)")
    p.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="stop after the loop that ends past this many minutes of wall time",
    )
    p.add_argument("--size", default="320x180", help="the window (320x180)")
    p.add_argument("--step", type=float, default=1.0, help="seconds of the piece a frame (1)")
    p.add_argument("--json", type=Path, default=None, metavar="FILE", help="the samples as JSON")
    args = p.parse_args(argv)
    try:
        size = parse_size(args.size)
        if not 0.0 < args.step <= 60.0:
            raise UsageError(f"--step {args.step:g}: expected 0 to 60 seconds a frame")
        if args.minutes is not None and not args.minutes > 0.0:
            raise UsageError(f"--minutes {args.minutes:g}: expected more than 0")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chor = load(None)
    options = KioskOptions(loops=args.loops, size=size, step=args.step)
    deadline = time.monotonic() + args.minutes * 60.0 if args.minutes is not None else None
    frames = round(chor.sheet.duration / args.step)
    print(
        f"soak: {args.loops} loops at most, {size[0]}x{size[1]}, {args.step:g} s a frame "
        f"({frames} frames a loop), {datetime.now():%Y-%m-%d %H:%M}"
    )
    print(" loop   seconds    rss MB  files  threads  errors")
    kiosk = SoakKiosk(chor, options, deadline=deadline)
    print(_row(kiosk.samples[0]), flush=True)
    kiosk.run()
    samples = kiosk.samples
    growth, ok = verdict(samples)
    later = samples[1:] or samples
    last = samples[-1]
    files = f"{min(s.open_files for s in later)}..{max(s.open_files for s in later)}"
    threads = f"{min(s.threads for s in later)}..{max(s.threads for s in later)}"
    grew = f"{growth:+.1f} MB from loop 2" if growth is not None else "fewer than 2 loops"
    print(
        f"soak: {last.loop} loops in {last.seconds:.0f} s; resident {samples[0].rss_mb:.1f} MB "
        f"at start, {later[0].rss_mb:.1f} after loop 1, {last.rss_mb:.1f} after the last "
        f"({grew}); open files {files}, threads {threads}; {last.errors} errors: "
        f"{'target met' if ok else 'TARGET MISSED'} (< {GROWTH_LIMIT_MB:g} MB from loop 2, "
        "0 errors)"
    )
    if args.json is not None:
        part = args.json.with_name(f".{args.json.name}.{os.getpid()}.part")
        report = {
            "size": list(size),
            "step": args.step,
            "growth_mb": growth,
            "ok": ok,
            "samples": [asdict(s) for s in samples],
        }
        part.write_text(json.dumps(report, indent=1) + "\n")
        json.loads(part.read_text())  # whole before it takes the name
        part.replace(args.json)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
