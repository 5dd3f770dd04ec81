"""bench: how long each stage of a frame takes, at 1080p by default, with everything on."""

from __future__ import annotations

import json
import time
from collections import defaultdict

import numpy as np

from ..performance import Performance
from ..physics.stage import time_whole_piece
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
) -> dict[str, object]:
    """Time the stages of a frame, a real-time pass through the lift and (``whole_piece``)
    the dancers stepped through the whole piece and the score's synthesis; print and return."""
    sheet = choreography.sheet
    before = reference_ms(size)
    renderer = Renderer(size)
    stages: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []

    piece: dict[str, float] = {}
    if whole_piece:
        # the best of two runs, as timeit takes: on a shared machine a run is only ever slowed
        runs = [time_whole_piece(choreography) for _ in range(2)]
        piece["dancers_seconds"] = min(runs)
        piece["dancers_seconds_worst"] = max(runs)
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
    live = _realtime(choreography, size)
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
        print(
            f"in real time through the lift ({live['frames']} frames at {DISPLAY_HZ} Hz): "
            f"median {live['median']:.2f} ms  max {live['max']:.2f} ms  "
            f"over {1000 / DISPLAY_HZ:.1f} ms: {live['over_budget']}"
        )
        for when, ref in (("before", before), ("after", after)):
            print(
                f"this machine {when}: a {size[0]}x{size[1]} copy {ref['copy']:.2f} ms, "
                f"multiply {ref['multiply']:.2f} ms, a Python loop {ref['python']:.2f} ms"
            )
        if piece:
            print(
                f"whole piece, both dancers stepped: {piece['dancers_seconds']:.2f} s "
                f"(best of 2 runs; the other {piece['dancers_seconds_worst']:.2f} s)"
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


def _realtime(choreography: Choreography, size: tuple[int, int]) -> dict[str, float | int]:
    """Frames as play and kiosk draw them (physics capped, targets worked out ahead, the
    collector between frames) through the turn of the light: how many miss the display."""
    start = choreography.sheet.time_of("lift_apex") - REALTIME_FROM
    scene = Scene(Performance(choreography), Renderer(size))
    scene.performance.advance_to(start)
    scene.frame(start)  # the first frame shades the room: not part of the pass
    times: list[float] = []
    with FrameCollector() as collector:
        for i in range(1, round(REALTIME_SECONDS * DISPLAY_HZ) + 1):
            a = time.perf_counter()
            scene.frame(start + i / DISPLAY_HZ, realtime=True)
            collector.after_frame()
            times.append(time.perf_counter() - a)
    scene.renderer.close()
    ms = np.array(times) * 1000.0
    return {
        "frames": len(times),
        "median": round(float(np.median(ms)), 3),
        "max": round(float(ms.max()), 3),
        "over_budget": int((ms > 1000.0 / DISPLAY_HZ).sum()),
    }
