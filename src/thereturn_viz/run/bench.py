"""bench: how long each stage of a frame takes, at 1080p by default, with everything on."""

from __future__ import annotations

import gc
import json
import math
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pygame
from numpy.typing import NDArray

from ..performance import Performance
from ..physics.gown import time_steps
from ..physics.planner import DT
from ..physics.rhythm import measure
from ..physics.stage import COLLISION_SLOP, SOLVER_ITERATIONS, time_whole_piece
from ..render.compositor import Renderer
from ..render.costume import costume_of
from ..render.gown import SplineMaps, flare, gown_shape, skirt_chain
from ..show.choreography import Choreography
from ..sound.composer import compose
from ..sound.composition import RATE
from ..sound.synthesis import synthesize
from ..state import FrameState
from .loop import FrameCollector, Scene

#: The real-time pass: from this long before ``lift_apex`` (the light turns, the presence comes)
#: for this long, at the display rate, the way play and kiosk draw it.
REALTIME_FROM, REALTIME_SECONDS, DISPLAY_HZ = 8.0, 20.0, 60
#: A frame longer than this (ms) misses the display.
BUDGET_MS = 1000.0 / DISPLAY_HZ
#: The longest frames of a real-time pass that the report lists, each with its parts.
WORST = 12
#: The frames of a pass that cost the most CPU time, listed with the part that cost the most.
DEAREST = 5
#: The parts of a frame that a long one is put down to: the aggregates (``frame``, the whole
#: of :meth:`Scene.frame`; ``render``, all the layers) are not among them.
AGGREGATES = ("frame", "render")
#: The worst frames are drawn again this many times, each after this many frames before it.
RERUN_REPEATS, RERUN_LEAD = 3, 20

#: Steps of the gown stepped apart (10 s of the piece), best of three runs.
GOWN_STEPS = 1200
#: Runs of the whole piece's stepping, the best kept.
STEPPING_RUNS = 3

#: Sample the piece at moments that exercise every layer (both dancers, the light change, the
#: presence, the pull back).
BENCH_CUES = ("together", "lift_apex", "music_resumes", "pan_out", "touch")


def _stats(values: list[float]) -> dict[str, float]:
    a = np.array(values) * 1000.0
    return {
        "median": round(float(np.median(a)), 3),
        "p95": round(float(np.percentile(a, 95)), 3),
        "p99": round(float(np.percentile(a, 99)), 3),
    }


def reference_ms(size: tuple[int, int] = (1920, 1080), rounds: int = 15) -> dict[str, float]:
    """How fast this machine is at the moment, by work that never changes with the project:
    a full-picture copy and a multiply (what most layers cost), and a loop of plain Python (what
    a FrameState and the drawing calls cost). Medians in milliseconds.

    A shared machine's speed wanders by a third from hour to hour; a frame time means something
    beside these, and two runs compare by their ratios to them."""
    import pygame

    a, b = pygame.Surface(size), pygame.Surface(size)
    a.fill((90, 80, 70))
    b.fill((200, 190, 180))
    copy, mult, py = [], [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        a.blit(b, (0, 0))
        t1 = time.perf_counter()
        a.blit(b, (0, 0), special_flags=pygame.BLEND_MULT)
        t2 = time.perf_counter()
        total = 0
        for i in range(20_000):
            total += i * i % 7
        t3 = time.perf_counter()
        copy.append(t1 - t0)
        mult.append(t2 - t1)
        py.append(t3 - t2)
    return {
        "copy": round(float(np.median(copy)) * 1000, 3),
        "multiply": round(float(np.median(mult)) * 1000, 3),
        "python": round(float(np.median(py)) * 1000, 3),
    }


def run_bench(
    choreography: Choreography,
    size: tuple[int, int],
    frames: int,
    as_json: bool,
    whole_piece: bool = True,
    span: tuple[float, float] | None = None,
) -> dict[str, object]:
    """Time the stages of a frame, a real-time pass (through ``span`` of the piece, in
    seconds: the lift when None) and (``whole_piece``) the dancers stepped through the whole
    piece and the score's synthesis; print and return."""
    sheet = choreography.sheet
    before = reference_ms(size)
    renderer = Renderer(size)
    stages: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []

    piece: dict[str, float] = {}
    if whole_piece:
        # the best of STEPPING_RUNS, as timeit takes: on a shared machine a run is only ever
        # slowed, and a sitting's runs wandered by 0.4 s (a third costs about 2.3 s more)
        runs, cpu = [], []
        for _ in range(STEPPING_RUNS):
            c = time.thread_time()
            runs.append(time_whole_piece(choreography))
            cpu.append(time.thread_time() - c)  # with building the stage: about 0.01 s
        piece["dancers_seconds"] = min(runs)
        piece["dancers_seconds_worst"] = max(runs)
        # the thread's CPU time: what a busy machine's other work hardly adds to
        piece["dancers_cpu_seconds"] = min(cpu)
        # the gown's share, stepped apart (CPU time): a step, and all the piece's steps
        gown_step = time_steps(GOWN_STEPS, SOLVER_ITERATIONS, COLLISION_SLOP, DT)
        piece["gown_step_us"] = gown_step * 1e6
        piece["gown_piece_seconds"] = gown_step * math.ceil(sheet.duration / DT)
        # on the music: the figures' moments of rest against the beats, and how they track
        rhythm = measure(choreography)
        piece["rest_shift_seconds"] = rhythm.rest_shift
        piece["rests"] = rhythm.rests
        for name, lag in rhythm.lag.items():
            piece[f"lag_{name}_seconds"] = lag
        piece["tracking_error_mean_deg"] = rhythm.error_mean
        piece["tracking_error_p95_deg"] = rhythm.error_p95
        t0 = time.perf_counter()
        Performance(choreography).advance_to(sheet.duration)
        piece["piece_physics_seconds"] = time.perf_counter() - t0
        # the score is timed uncached: the synthesis itself, as on a first run
        t0 = time.perf_counter()
        synthesize(compose(sheet), RATE)
        piece["score_seconds"] = time.perf_counter() - t0

    # both lights' rooms shaded before timing (the second is shaded on a worker thread, which
    # would otherwise share the cores with the first timed frames)
    for cue in ("open", "music_resumes"):
        warm = Performance(choreography)
        warm.advance_to(0.0)
        renderer.draw(warm.frame_state(sheet.time_of(cue)))
    per_cue = max(1, frames // len(BENCH_CUES))
    splines = SplineMaps()  # as the figures keep theirs
    fps = 60.0
    perf = Performance(choreography)  # the cues are in order: one performance goes through
    for cue in BENCH_CUES:
        start = sheet.time_of(cue)
        perf.advance_to(start)
        renderer.draw(perf.frame_state(start))  # warm the caches for this look
        # and one frame on, untimed: the first step after a seek loads the physics' block of
        # targets (about 10 ms), which in playback happens once every block, not every 30 frames
        start += 1 / fps
        perf.advance_to(start)
        renderer.draw(perf.frame_state(start))
        for i in range(per_cue):
            t = start + (i + 1) / fps
            a = time.perf_counter()
            perf.advance_to(t)
            b = time.perf_counter()
            fs = perf.frame_state(t)
            c = time.perf_counter()
            renderer.draw(fs)
            d = time.perf_counter()
            stages["physics+air"].append(b - a)
            stages["frame_state"].append(c - b)
            for name, secs in renderer.timings.items():
                stages[f"render.{name}"].append(secs)
            totals.append(d - a)
            stages["render.gown_cloth"].append(_gown_seconds(fs, splines))
    renderer.close()
    live = _realtime(choreography, size, span)
    after = reference_ms(size)
    report: dict[str, object] = {
        "size": list(size),
        "frames": len(totals),
        "frame_ms": _stats(totals),
        "stages": {
            k: {m: v for m, v in _stats(vals).items() if m != "p99"} for k, vals in stages.items()
        },
        "realtime": live,
        # the machine's own pace, before and after: the frame times are read beside it
        "reference_ms": {"before": before, "after": after},
        **{k: round(v, 3) for k, v in piece.items()},
    }
    if as_json:
        print(json.dumps(report))
    else:
        fm = report["frame_ms"]
        assert isinstance(fm, dict)
        print(
            f"frame at {size[0]}x{size[1]} over {len(totals)} frames: "
            f"median {fm['median']:.2f} ms  p95 {fm['p95']:.2f} ms  p99 {fm['p99']:.2f} ms"
        )
        for name, st in report["stages"].items():  # type: ignore[attr-defined]
            print(f"  {name:<24} median {st['median']:7.3f} ms   p95 {st['p95']:7.3f} ms")
        _print_realtime(live)
        for when, ref in (("before", before), ("after", after)):
            print(
                f"this machine {when}: a {size[0]}x{size[1]} copy {ref['copy']:.2f} ms, "
                f"multiply {ref['multiply']:.2f} ms, a Python loop {ref['python']:.2f} ms"
            )
        if piece:
            print(
                f"whole piece, both dancers stepped: {piece['dancers_seconds']:.2f} s "
                f"(best of {STEPPING_RUNS} runs; the worst {piece['dancers_seconds_worst']:.2f} s; "
                f"CPU time {piece['dancers_cpu_seconds']:.2f} s)"
            )
            print(
                f"the gown stepped apart: {piece['gown_step_us']:.1f} us of CPU a step, "
                f"{piece['gown_piece_seconds']:.2f} s over the whole piece"
            )
            lags = ", ".join(
                f"{k[4:-8]} {v:.3f} s" for k, v in piece.items() if k.startswith("lag_")
            )
            print(
                f"on the music: the figures' rests fall {piece['rest_shift_seconds']:+.2f} s "
                f"from the beats (the best shift of {piece['rests']:.0f} rests; + is late); "
                f"their lag behind the targets: {lags}; tracking error of the figures "
                f"mean {piece['tracking_error_mean_deg']:.2f} deg, "
                f"p95 {piece['tracking_error_p95_deg']:.2f} deg"
            )
            print(f"whole piece, dancers and dust: {piece['piece_physics_seconds']:.2f} s")
            print(f"score synthesis, uncached: {piece['score_seconds']:.2f} s")
    return report


def _gown_seconds(fs: FrameState, splines: SplineMaps) -> float:
    """The cost of the partner's gown as one cloth (its outline round the swaying skirt and both
    legs), timed apart: in a frame it is part of the figures' stage."""
    gown = costume_of("partner").gown
    if gown is None or not any(d.name == "partner" for d in fs.dancers):
        return 0.0
    d = fs.dancer("partner")
    a = time.perf_counter()
    gown_shape(d, skirt_chain(d), gown, splines, flare(d.spin))
    return time.perf_counter() - a


@dataclass(frozen=True)
class Collection:
    """One garbage collection in a real-time pass."""

    frame: int
    generation: int
    ms: float
    cpu_ms: float
    #: net container allocations since the last sweep when it began (what it had to look at)
    young: int


@dataclass
class Pass:
    """A real-time pass's frames: when each was (piece seconds), what it took (ms: wall time,
    and the drawing thread's own CPU time, which a busy machine's other work does not add to),
    each part of it (ms of the thread's CPU time: what the part itself cost, not what the
    machine's other work made it wait) and the garbage collections it ran (frame, generation,
    ms)."""

    t: NDArray[np.float64]
    wall: NDArray[np.float64]
    cpu: NDArray[np.float64]
    parts: dict[str, NDArray[np.float64]]
    collections: list[Collection]


class _Collections:
    """Every garbage collection while it is entered (gc.callbacks), whoever ran it: the frame
    it fell in, its generation, its wall and CPU time (ms) and how many young objects (net
    container allocations since the last sweep) it found waiting."""

    def __init__(self) -> None:
        self.frame = 0
        self.seen: list[Collection] = []
        self._began = (0.0, 0.0, 0)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = (time.perf_counter(), time.thread_time(), gc.get_count()[0])
        else:
            wall, cpu, young = self._began
            self.seen.append(
                Collection(
                    self.frame,
                    info["generation"],
                    (time.perf_counter() - wall) * 1000.0,
                    (time.thread_time() - cpu) * 1000.0,
                    young,
                )
            )

    def __enter__(self) -> _Collections:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._callback)


def _timed_frame(
    scene: Scene, window: pygame.Surface, collector: FrameCollector, t: float
) -> tuple[float, float, dict[str, float]]:
    """One frame as play draws it (headless, not waiting for the display): its wall time and
    CPU time (s) and its parts (CPU time, as the scene's clock is set by :func:`_scene`)."""
    wall_clock, cpu_clock = time.perf_counter, time.thread_time
    a, ca = wall_clock(), cpu_clock()
    frame = scene.frame(t, realtime=True)
    cb = cpu_clock()
    window.blit(frame, (0, 0))
    cc = cpu_clock()
    collector.after_frame(scene.spare())
    d, cd = wall_clock(), cpu_clock()
    parts = dict(scene.timings)
    parts.update((f"render.{k}", v) for k, v in scene.renderer.timings.items())
    parts.update(frame=cb - ca, present=cc - cb, collect=cd - cc)
    return d - a, cd - ca, parts


def _scene(choreography: Choreography, size: tuple[int, int], t: float) -> Scene:
    """A scene ready to play from ``t`` as play makes one: at ``t`` (play's seek), every look
    drawn once, swept; its parts timed in the drawing thread's CPU time."""
    scene = Scene(Performance(choreography), Renderer(size), clock=time.thread_time)
    scene.renderer.clock = time.thread_time
    scene.performance.advance_to(t)
    scene.warm(t)
    FrameCollector.settle()
    return scene


def realtime_pass(
    choreography: Choreography,
    size: tuple[int, int],
    start: float,
    end: float,
    hz: int = DISPLAY_HZ,
    collector: FrameCollector | None = None,
) -> Pass:
    """Frames from ``start`` to ``end`` as play draws them, each ``1/hz`` of piece time after
    the last as if the display kept time, none waiting for it: the physics capped at
    ``MAX_STEPS`` and its next block worked out in the frame's spare time (:meth:`Scene.frame`),
    the picture copied to a window-sized surface, the collector run between frames (play's,
    or ``collector`` to try another policy)."""
    scene = _scene(choreography, size, start)
    window = pygame.Surface(size)
    n = max(0, math.floor((end - start) * hz + 1e-9))
    ts = start + np.arange(n) / hz
    wall, cpu = np.zeros(n), np.zeros(n)
    parts: dict[str, NDArray[np.float64]] = defaultdict(lambda: np.zeros(n))
    with collector or FrameCollector() as collecting, _Collections() as seen:
        for i, t in enumerate(ts.tolist()):
            seen.frame = i
            wall[i], cpu[i], took = _timed_frame(scene, window, collecting, t)
            for name, secs in took.items():
                parts[name][i] = secs
    scene.renderer.close()
    ms = {k: v * 1000.0 for k, v in parts.items()}
    return Pass(ts, wall * 1000.0, cpu * 1000.0, ms, seen.seen)


def rerun(
    choreography: Choreography,
    size: tuple[int, int],
    run: Pass,
    frames: list[int],
    repeats: int = RERUN_REPEATS,
    lead: int = RERUN_LEAD,
    hz: int = DISPLAY_HZ,
) -> list[dict[str, float | int]]:
    """``frames`` of ``run`` drawn again, each after the ``lead`` frames before it, ``repeats``
    times over (a fresh scene each time): their least wall and CPU time (ms). A frame that is
    long on its own is long every time; one that a busy machine made long is not, since other
    work only ever slows a frame down."""
    order = sorted(set(frames))
    best = {i: [math.inf, math.inf] for i in order}
    window = pygame.Surface(size)
    start = float(run.t[0])
    for _ in range(repeats):
        scene = _scene(choreography, size, start)
        drawn = -1  # the last frame of the pass drawn in this repeat
        with FrameCollector() as collector:
            for i in order:
                first = max(drawn + 1, i - lead)
                if first > drawn + 1:  # straight to the lead-in, the way a seek goes
                    scene.performance.advance_to(start + first / hz)
                for k in range(first, i + 1):
                    wall, cpu, _ = _timed_frame(scene, window, collector, start + k / hz)
                drawn = i
                best[i] = [min(best[i][0], wall * 1000.0), min(best[i][1], cpu * 1000.0)]
        scene.renderer.close()
    return [
        {
            "frame": i,
            "t": round(float(run.t[i]), 4),
            "ms": round(float(run.wall[i]), 3),
            "cpu_ms": round(float(run.cpu[i]), 3),
            "again_ms": round(best[i][0], 3),
            "again_cpu_ms": round(best[i][1], 3),
        }
        for i in order
    ]


def _frame_stats(ms: NDArray[np.float64]) -> dict[str, float | int]:
    """How many frames, how long they took and how many missed the display (once, twice)."""
    if not len(ms):
        return {"frames": 0, "median": 0.0, "p99": 0.0, "max": 0.0, "over_budget": 0}
    return {
        "frames": len(ms),
        "median": round(float(np.median(ms)), 3),
        "p99": round(float(np.percentile(ms, 99)), 3),
        "max": round(float(ms.max()), 3),
        "over_budget": int((ms > BUDGET_MS).sum()),
        "over_double": int((ms > 2 * BUDGET_MS).sum()),
    }


def _print_realtime(live: dict[str, object]) -> None:
    """The real-time pass as lines of text: the pass, the lift within it, the worst frames."""
    lift = live.get("lift", live)
    assert isinstance(lift, dict)
    if "lift" in live:
        cpu = live["cpu"]
        assert isinstance(cpu, dict)
        print(
            f"in real time from {live['from']:.1f} s to {live['to']:.1f} s "
            f"({live['frames']} frames at {DISPLAY_HZ} Hz): median {live['median']:.2f} ms  "
            f"p99 {live['p99']:.2f} ms  max {live['max']:.2f} ms  "
            f"over {BUDGET_MS:.1f} ms: {live['over_budget']}  "
            f"over {2 * BUDGET_MS:.1f} ms: {live['over_double']}"
        )
        print(
            f"  the drawing thread's CPU time: median {cpu['median']:.2f} ms  "
            f"p99 {cpu['p99']:.2f} ms  max {cpu['max']:.2f} ms  "
            f"over {BUDGET_MS:.1f} ms: {cpu['over_budget']}  "
            f"over {2 * BUDGET_MS:.1f} ms: {cpu['over_double']}"
        )
    print(
        f"in real time through the lift ({lift['frames']} frames at {DISPLAY_HZ} Hz): "
        f"median {lift['median']:.2f} ms  max {lift['max']:.2f} ms  "
        f"over {BUDGET_MS:.1f} ms: {lift['over_budget']}"
    )
    collections = live["gc"]
    assert isinstance(collections, dict)
    print(
        "  garbage collections: "
        + "  ".join(
            f"gen {g}: {c['count']} (longest {c['max']:.2f} ms)"
            for g, c in enumerate(collections.values())
        )
    )
    dearest = live["dearest"]
    assert isinstance(dearest, list)
    print(f"  the {len(dearest)} frames that cost the most CPU time (ms; the parts over 1 ms):")
    for row in dearest:
        parts = "  ".join(f"{k} {v:.1f}" for k, v in row["parts"].items())
        print(
            f"    t {row['t']:8.3f}  cpu {row['cpu_ms']:5.1f} (wall {row['ms']:6.1f})  "
            f"{row['phase']}:  {parts}"
        )
    worst = live["worst"]
    assert isinstance(worst, list)
    print("  the longest frames (ms of wall time, cpu; the parts over 1 ms of CPU):")
    for row in worst:
        parts = "  ".join(
            f"{k} {v:.1f}" for k, v in row["parts"].items() if v >= 1.0 and k != "frame"
        )
        gc_note = f"  gc{row['gc']['generation']} {row['gc']['ms']:.1f}" if "gc" in row else ""
        print(
            f"    #{row['frame']:<6} t {row['t']:8.3f}  {row['ms']:6.1f} (cpu {row['cpu_ms']:5.1f})"
            f"  {parts}{gc_note}"
        )


def _realtime(
    choreography: Choreography, size: tuple[int, int], span: tuple[float, float] | None
) -> dict[str, object]:
    """The real-time pass through ``span`` (the lift when None): frames as play and kiosk
    draw them, how many miss the display, and what the worst of them spent their time on."""
    lift = choreography.sheet.time_of("lift_apex") - REALTIME_FROM
    start, end = span if span is not None else (lift, lift + REALTIME_SECONDS)
    run = realtime_pass(choreography, size, start, end)
    longest = np.argsort(run.wall)[::-1][:WORST].tolist()
    dearest = np.argsort(run.cpu)[::-1][:WORST].tolist()
    again = rerun(choreography, size, run, longest + dearest)
    report: dict[str, object] = {
        **_frame_stats(run.wall),
        "from": round(start, 3),
        "to": round(end, 3),
        "cpu": _frame_stats(run.cpu),
        "gc": _gc_stats(run.collections),
        "worst": _worst(run),
        # the frames that cost the most CPU time: our own long frames, whatever the machine did
        "dearest": _dearest(run),
        # the longest frames by wall and by CPU time, drawn again: are they long on their own?
        "rerun": {
            "frames": len(again),
            "repeats": RERUN_REPEATS,
            "over_budget": sum(r["again_ms"] > BUDGET_MS for r in again),
            "over_double": sum(r["again_ms"] > 2 * BUDGET_MS for r in again),
            "max": max((r["again_ms"] for r in again), default=0.0),
            "rows": again,
        },
    }
    if span is not None:
        inside = (run.t >= lift - 1e-9) & (run.t < lift + REALTIME_SECONDS - 1e-9)
        report["lift"] = {**_frame_stats(run.wall[inside]), "cpu": _frame_stats(run.cpu[inside])}
    return report


def _gc_stats(seen: list[Collection]) -> dict[str, object]:
    """The collections of a pass by generation: how many, the longest (wall and CPU ms), all
    of them together (ms), the most young objects one of them found."""
    out: dict[str, object] = {}
    for gen in (0, 1, 2):
        of = [c for c in seen if c.generation == gen]
        out[f"gen{gen}"] = {
            "count": len(of),
            "max": round(max((c.ms for c in of), default=0.0), 3),
            "max_cpu": round(max((c.cpu_ms for c in of), default=0.0), 3),
            "total": round(sum(c.ms for c in of), 3),
            "most_young": max((c.young for c in of), default=0),
        }
    return out


def phase_of(parts: dict[str, float]) -> str:
    """The part of a frame that cost the most: a layer of the picture rather than the whole
    drawing, the physics' block built ahead (``prefetch``), the renderer's caches made ahead
    (``ahead``), the collector (``collect``).

    >>> phase_of({"frame": 9.0, "render": 6.0, "render.figures": 3.0, "physics": 2.5})
    'render.figures'
    """
    leaves = {k: v for k, v in parts.items() if k not in AGGREGATES}
    return max(leaves, key=lambda k: leaves[k]) if leaves else ""


def _dearest(run: Pass, count: int = DEAREST) -> list[dict[str, object]]:
    """The ``count`` frames that cost the most CPU time: when in the piece, their CPU and wall
    time, the part that cost the most (:func:`phase_of`), the parts over a millisecond and the
    collections in them."""
    rows = []
    for i in np.argsort(run.cpu)[::-1][:count].tolist():
        parts = {k: float(v[i]) for k, v in run.parts.items()}
        row: dict[str, object] = {
            "frame": i,
            "t": round(float(run.t[i]), 4),
            "cpu_ms": round(float(run.cpu[i]), 3),
            "ms": round(float(run.wall[i]), 3),
            "phase": phase_of(parts),
            "parts": {k: round(v, 3) for k, v in parts.items() if v >= 1.0 and k not in AGGREGATES},
        }
        swept = [c for c in run.collections if c.frame == i]
        if swept:
            row["gc"] = {
                "generation": max(c.generation for c in swept),
                "cpu_ms": round(sum(c.cpu_ms for c in swept), 3),
            }
        rows.append(row)
    return rows


def _worst(run: Pass, count: int = WORST) -> list[dict[str, object]]:
    """The ``count`` longest frames: which, when, and the parts that took their time."""
    rows = []
    for i in np.argsort(run.wall)[::-1][:count].tolist():
        row: dict[str, object] = {
            "frame": i,
            "t": round(float(run.t[i]), 4),
            "ms": round(float(run.wall[i]), 3),
            "cpu_ms": round(float(run.cpu[i]), 3),
            "parts": {k: round(float(v[i]), 3) for k, v in run.parts.items()},
        }
        swept = [c for c in run.collections if c.frame == i]
        if swept:  # the oldest generation swept in the frame, and the time it all took
            row["gc"] = {
                "generation": max(c.generation for c in swept),
                "ms": round(sum(c.ms for c in swept), 3),
            }
        rows.append(row)
    return rows
