"""bench: the report's shape and the sense of its numbers (present, finite, in the order a
median, a p95 and a p99 must stand), on a short run at a small size."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

import pytest

from thereturn_viz.cli import main
from thereturn_viz.run import bench
from thereturn_viz.run.bench import AGGREGATES, BUDGET_MS, DEAREST, DISPLAY_HZ, WORST, run_bench
from thereturn_viz.show.choreography import Choreography


def _numbers(value: object, where: str = "") -> Iterator[tuple[str, float]]:
    """Every number in a JSON value, with its key path (a long frame's phase is a name)."""
    if isinstance(value, str) and where.endswith(".phase"):
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _numbers(v, f"{where}[{i}]")
    else:
        assert isinstance(value, int | float) and not isinstance(value, bool), f"{where}"
        yield where, float(value)


def test_bench_json_has_the_frame_the_stages_and_the_realtime_pass(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "REALTIME_SECONDS", 2.0)
    # the lift's pass moved to the start of the piece: the same code, no stepping to the lift
    monkeypatch.setattr(bench, "REALTIME_FROM", choreography.sheet.time_of("lift_apex") - 1.0)
    monkeypatch.setattr(bench, "RERUN_REPEATS", 1)
    returned = run_bench(choreography, (64, 36), 10, as_json=True, whole_piece=False)
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads(json.dumps(returned))
    for where, number in _numbers(report):
        assert math.isfinite(number) and number >= 0.0, f"{where}: {number}"
    assert report["size"] == [64, 36] and report["frames"] == 10
    frame = report["frame_ms"]
    assert set(frame) == {"median", "p95", "p99"}
    assert 0 < frame["median"] <= frame["p95"] <= frame["p99"]
    stages = report["stages"]
    for name in ("physics+air", "frame_state", "render.studio", "render.figures", "render.dust"):
        assert set(stages[name]) == {"median", "p95"}, name
    for name, st in stages.items():
        # a stage is a part of each frame: never slower than the slowest frames
        assert 0.0 <= st["median"] <= st["p95"] <= frame["p99"], name
    assert stages["render.figures"]["median"] > 0  # two dancers are drawn in every frame
    # the gown as one cloth, timed apart (it is part of the figures' stage)
    assert 0 < stages["render.gown_cloth"]["median"] <= stages["render.figures"]["p95"]
    live = report["realtime"]
    assert live["frames"] == 2 * DISPLAY_HZ
    assert 0 < live["median"] <= live["p99"] <= live["max"]
    assert isinstance(live["over_budget"], int) and 0 <= live["over_budget"] <= live["frames"]
    assert "lift" not in live  # the pass is the lift's own
    assert "dancers_seconds" not in report  # the whole piece was left out here
    for when in ("before", "after"):  # the machine's pace beside the frame times
        ref = report["reference_ms"][when]
        assert set(ref) == {"copy", "multiply", "python"} and all(v > 0 for v in ref.values())


def test_bench_prints_a_table_of_the_same_numbers(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "BENCH_CUES", ("lift_begin",))
    monkeypatch.setattr(bench, "REALTIME_SECONDS", 1.0)
    monkeypatch.setattr(bench, "REALTIME_FROM", choreography.sheet.time_of("lift_apex") - 1.0)
    monkeypatch.setattr(bench, "RERUN_REPEATS", 1)
    report = run_bench(choreography, (48, 27), 10, as_json=False, whole_piece=False)
    out = capsys.readouterr().out
    number = r"([0-9]+\.[0-9]{2,3})"
    head = re.match(
        rf"frame at 48x27 over 10 frames: median {number} ms  p95 {number} ms  "
        rf"p99 {number} ms\n",
        out,
    )
    assert head, out
    median, p95, p99 = map(float, head.groups())
    assert 0 < median <= p95 <= p99
    frame = report["frame_ms"]
    assert isinstance(frame, dict)
    assert head.groups() == tuple(f"{frame[k]:.2f}" for k in ("median", "p95", "p99"))
    stage_row = rf"\n  (\S+) +median +{number} ms +p95 +{number} ms"
    rows = {name: (float(a), float(b)) for name, a, b in re.findall(stage_row, out)}
    stages = report["stages"]
    assert isinstance(stages, dict) and set(rows) == set(stages) and "render.figures" in rows
    assert all(a <= b for a, b in rows.values()), rows
    live = re.search(
        rf"\nin real time through the lift \(60 frames at 60 Hz\): median {number} ms  "
        rf"max {number} ms  over 16\.7 ms: ([0-9]+)\n",
        out,
    )
    assert live, out
    assert float(live[1]) <= float(live[2]) and 0 <= int(live[3]) <= 60
    for when in ("before", "after"):
        pace = re.search(
            rf"this machine {when}: a 48x27 copy {number} ms, multiply {number} ms, "
            rf"a Python loop {number} ms",
            out,
        )
        assert pace and all(float(v) >= 0 for v in pace.groups()), out


def test_the_command_passes_its_options_to_the_bench(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[object, ...]] = []
    monkeypatch.setattr(bench, "run_bench", lambda *a, **k: seen.append(a[1:]) or {})
    assert main(["bench", "--size", "64x36", "--frames", "12", "--json"]) == 0
    assert seen == [((64, 36), 12, True)]
    assert main(["bench", "--frames", "9"]) == 2 and len(seen) == 1


def _frames_row(row: dict[str, object], start: float, end: float, frames: int) -> None:
    """One of the longest frames, as the report lists it."""
    assert isinstance(row["frame"], int) and 0 <= row["frame"] < frames
    assert isinstance(row["t"], float) and start - 1e-9 <= row["t"] < end
    assert math.isclose(row["t"], start + row["frame"] / DISPLAY_HZ, abs_tol=1e-3)
    parts = row["parts"]
    assert isinstance(parts, dict)
    assert {"physics", "frame_state", "render", "prefetch", "present", "collect"} <= set(parts)
    assert "render.figures" in parts
    # the parts are inside the frame: the scene's four within its drawing, all within the whole
    assert parts["frame"] <= row["ms"] + 1e-3  # type: ignore[operator]
    inner = sum(parts[k] for k in ("physics", "frame_state", "render", "prefetch"))  # type: ignore[misc]
    assert inner <= parts["frame"] + 0.01  # type: ignore[operator]


def test_the_realtime_pass_over_a_span_reports_every_frame_and_the_worst(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench --whole`` in small: the pass over a span, its long frames counted by wall and
    CPU time, the lift's part of it, the worst frames with their parts, drawn again."""
    monkeypatch.setattr(bench, "BENCH_CUES", ("open",))
    # the lift's window (8 s before the apex for 20 s) moved to 0.2 s for 0.2 s
    monkeypatch.setattr(bench, "REALTIME_FROM", choreography.sheet.time_of("lift_apex") - 0.2)
    monkeypatch.setattr(bench, "REALTIME_SECONDS", 0.2)
    monkeypatch.setattr(bench, "RERUN_REPEATS", 2)
    monkeypatch.setattr(bench, "RERUN_LEAD", 3)
    run_bench(choreography, (48, 27), 10, as_json=True, whole_piece=False, span=(0.0, 0.5))
    report = json.loads(capsys.readouterr().out)
    for where, number in _numbers(report):
        assert math.isfinite(number) and number >= 0.0, f"{where}: {number}"
    live = report["realtime"]
    assert live["from"] == 0.0 and live["to"] == 0.5
    frames = live["frames"]
    assert frames == 30  # 0.5 s at 60 Hz, the first at 0.0
    assert set(live["cpu"]) == {"frames", "median", "p99", "max", "over_budget", "over_double"}
    for times in (live, live["cpu"]):
        assert set(live["cpu"]) <= set(times)
        assert times["frames"] == frames
        assert all(isinstance(times[k], int) for k in ("frames", "over_budget", "over_double"))
        assert 0 < times["median"] <= times["p99"] <= times["max"]
        assert 0 <= times["over_double"] <= times["over_budget"] <= frames
        # a frame over the budget makes the longest one longer than the budget, and none
        # over it leaves the longest within it
        assert (times["over_budget"] > 0) == (times["max"] > BUDGET_MS)
        assert (times["over_double"] > 0) == (times["max"] > 2 * BUDGET_MS)
    lift = live["lift"]
    assert lift["frames"] == lift["cpu"]["frames"] == 12  # 0.2 s to 0.4 s
    assert lift["cpu"]["max"] <= live["cpu"]["max"]
    assert lift["max"] <= live["max"] and 0 <= lift["over_budget"] <= live["over_budget"]
    worst = live["worst"]
    assert len(worst) == min(WORST, frames)
    assert [r["ms"] for r in worst] == sorted((r["ms"] for r in worst), reverse=True)
    assert worst[0]["ms"] == live["max"]
    assert sum(r["ms"] > BUDGET_MS for r in worst) == min(live["over_budget"], len(worst))
    for row in worst:
        _frames_row(row, 0.0, 0.5, frames)
    for gen in ("gen0", "gen1", "gen2"):
        assert set(live["gc"][gen]) == {"count", "max", "max_cpu", "total", "most_young"}
    # the frames that cost the most CPU time, each put down to the part that cost the most
    dearest = live["dearest"]
    assert len(dearest) == min(DEAREST, frames)
    assert [r["cpu_ms"] for r in dearest] == sorted((r["cpu_ms"] for r in dearest), reverse=True)
    assert dearest[0]["cpu_ms"] == live["cpu"]["max"]
    for row in dearest:
        assert math.isclose(row["t"], row["frame"] / DISPLAY_HZ, abs_tol=1e-3)
        parts = row["parts"]
        assert not set(AGGREGATES) & set(parts) and all(v >= 1.0 for v in parts.values())
        assert row["phase"] in {
            "physics",
            "frame_state",
            "prefetch",
            "ahead",
            "present",
            "collect",
        } or row["phase"].startswith("render.")
        if parts:  # the part that cost the most is among those over a millisecond
            assert parts[row["phase"]] == max(parts.values())
    again = live["rerun"]
    rows = again["rows"]
    assert again["repeats"] == 2 and again["frames"] == len(rows)
    assert {r["frame"] for r in worst} <= {r["frame"] for r in rows}  # the longest, and more
    assert [r["frame"] for r in rows] == sorted({r["frame"] for r in rows})
    assert again["over_budget"] == sum(r["again_ms"] > BUDGET_MS for r in rows)
    assert again["max"] == max(r["again_ms"] for r in rows)
    by_frame = {r["frame"]: r for r in worst}
    for r in rows:
        assert r["again_ms"] > 0 and r["again_cpu_ms"] > 0
        if r["frame"] in by_frame:  # the same frame of the same pass
            assert r["ms"] == by_frame[r["frame"]]["ms"] and r["t"] == by_frame[r["frame"]]["t"]


def test_the_whole_pass_prints_its_lines(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "BENCH_CUES", ("open",))
    monkeypatch.setattr(bench, "RERUN_REPEATS", 1)
    report = run_bench(
        choreography, (48, 27), 10, as_json=False, whole_piece=False, span=(1.0, 1.25)
    )
    out = capsys.readouterr().out
    live = report["realtime"]
    assert isinstance(live, dict)
    number = r"([0-9]+\.[0-9]{2})"
    head = re.search(
        rf"\nin real time from 1\.0 s to 1\.2 s \(15 frames at 60 Hz\): median {number} ms  "
        rf"p99 {number} ms  max {number} ms  over 16\.7 ms: ([0-9]+)  over 33\.3 ms: ([0-9]+)\n",
        out,
    )
    assert head, out
    assert head.groups() == tuple(
        f"{live[k]:.2f}" if isinstance(live[k], float) else str(live[k])
        for k in ("median", "p99", "max", "over_budget", "over_double")
    )
    assert re.search(r"\n  the drawing thread's CPU time: median [0-9.]+ ms  p99 ", out), out
    assert re.search(r"\n  garbage collections: gen 0: [0-9]+ \(longest [0-9.]+ ms\)", out), out
    dear = re.findall(r"\n    t +([0-9.]+)  cpu +([0-9.]+) \(wall +([0-9.]+)\)  ([a-z_.]+):", out)
    assert [(float(t), float(c), p) for t, c, _, p in dear] == [
        (round(r["t"], 3), round(r["cpu_ms"], 1), r["phase"]) for r in live["dearest"]
    ]
    listed = re.findall(r"\n    #([0-9]+) +t +([0-9.]+) +([0-9.]+) \(cpu +([0-9.]+)\)", out)
    assert [int(f) for f, *_ in listed] == [r["frame"] for r in live["worst"]]
    # the lift lies outside this span: no frames of it
    assert "in real time through the lift (0 frames at 60 Hz)" in out


def test_bench_whole_passes_the_whole_piece_as_the_span(
    choreography: Choreography, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(bench, "run_bench", lambda *a, **k: seen.append(k) or {})
    assert main(["bench", "--whole", "--size", "64x36", "--json"]) == 0
    assert main(["bench"]) == 0
    assert seen == [{"span": (0.0, choreography.sheet.duration)}, {"span": None}]
