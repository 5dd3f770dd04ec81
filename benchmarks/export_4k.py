"""What a 4K export costs: the peak memory of its processes, summed, and its pace.

Runs ``export OUT.mp4 --size 3840x2160 --start A --end B`` (one job by default; ``--jobs N``
passes on, ``--jobs default`` leaves the export's own choice) as a child process and watches
the whole tree from /proc every 20 ms: the resident memory (VmRSS) of each process, split into
the drawing (the Python processes) and the encoders (ffmpeg), and the peak of their sum. The
kernel's own high-water marks (VmHWM of the export, getrusage's ru_maxrss of the children) are
printed beside it: a peak shorter than the sampling is not missed by them. It prints the pace
reference of ``bench`` (a 1080p copy) before and after, since a shared machine's speed wanders.

Run by hand, not a test: ``python benchmarks/export_4k.py [--start T] [--end T] [--jobs N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

from thereturn_viz.run.bench import reference_ms  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (parent in the 4th field of stat)."""
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _rss(pid: int) -> tuple[str, int]:
    """The process's name and resident memory in bytes (0 if gone)."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return "", 0
    return name, pages * PAGE


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--start", default="lift_apex-2")
    ap.add_argument("--end", default="lift_apex+2")
    ap.add_argument("--size", default="3840x2160")
    ap.add_argument("--jobs", default="1", help="a number, or 'default' (the export's choice)")
    ap.add_argument("--keep", type=Path, help="keep the MP4 here (else it is removed)")
    ap.add_argument("--timeline", type=Path, help="write each sample (s, drawing, encoders) here")
    args = ap.parse_args()

    before = reference_ms()
    work = Path(tempfile.mkdtemp(prefix="export4k-"))
    out = args.keep or work / "out.mp4"
    cmd = [sys.executable, "-m", "thereturn_viz", "export", str(out), "--size", args.size]
    cmd += ["--start", args.start, "--end", args.end, "--quiet"]
    if args.jobs != "default":
        cmd += ["--jobs", args.jobs]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak = {"sum": 0, "draw": 0, "encode": 0}
    peak_at = 0.0
    parts_at_peak = (0, 0)
    processes = 0
    samples: list[str] = []
    try:
        while proc.poll() is None:
            draw = encode = 0
            pids = _tree(proc.pid)
            processes = max(processes, len(pids))
            for pid in pids:
                name, rss = _rss(pid)
                if name.startswith("ffmpeg"):
                    encode += rss
                else:
                    draw += rss
            if draw + encode > peak["sum"]:
                peak["sum"], peak_at = draw + encode, time.perf_counter() - t0
                parts_at_peak = (draw, encode)
            samples.append(f"{time.perf_counter() - t0:.2f} {draw >> 20} {encode >> 20}\n")
            peak["draw"] = max(peak["draw"], draw)
            peak["encode"] = max(peak["encode"], encode)
            time.sleep(0.02)
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = reference_ms()
    if proc.returncode != 0:
        sys.exit(f"the export failed with code {proc.returncode}")
    if args.timeline is not None:
        args.timeline.write_text("# seconds, drawing MB, encoders MB\n" + "".join(samples))
    if args.keep is None:
        out.unlink(missing_ok=True)
    if not any(work.iterdir()):
        work.rmdir()
    gb = 1e9
    print(f"export {args.size} {args.start} .. {args.end}, --jobs {args.jobs}")
    print(
        f"  pace reference (bench's 1080p copy): {before['copy']:.2f} ms before, "
        f"{after['copy']:.2f} ms after; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  wall {wall:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s in all processes")
    print(
        f"  peak memory summed (sampled): {peak['sum'] / gb:.3f} GB at {peak_at:.1f} s "
        f"(drawing {parts_at_peak[0] / gb:.3f}, encoders {parts_at_peak[1] / gb:.3f})"
    )
    print(
        f"  peak of each part alone: drawing {peak['draw'] / gb:.3f} GB, "
        f"encoders {peak['encode'] / gb:.3f} GB; processes at once: {processes}"
    )
    hwm = usage.ru_maxrss * 1024 / gb
    print(f"  the largest child's own high-water mark (ru_maxrss): {hwm:.3f} GB")


if __name__ == "__main__":
    main()
