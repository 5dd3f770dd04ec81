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
from thereturn_viz.run.bench import DISPLAY_HZ, run_bench
from thereturn_viz.show.choreography import Choreography


def _numbers(value: object, where: str = "") -> Iterator[tuple[str, float]]:
    """Every number in a JSON value, with its key path."""
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
    assert 0 < live["median"] <= live["max"]
    assert isinstance(live["over_budget"], int) and 0 <= live["over_budget"] <= live["frames"]
    assert "dancers_seconds" not in report  # the whole piece was left out here
    for when in ("before", "after"):  # the machine's pace beside the frame times
        ref = report["reference_ms"][when]
        assert set(ref) == {"copy", "multiply", "python"} and all(v > 0 for v in ref.values())


def test_bench_prints_a_table_of_the_same_numbers(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "BENCH_CUES", ("lift_begin",))
    monkeypatch.setattr(bench, "REALTIME_SECONDS", 1.0)
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
        rf"in real time through the lift \(60 frames at 60 Hz\): median {number} ms  "
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
    monkeypatch.setattr(bench, "run_bench", lambda *a: seen.append(a[1:]) or {})
    assert main(["bench", "--size", "64x36", "--frames", "12", "--json"]) == 0
    assert seen == [((64, 36), 12, True)]
    assert main(["bench", "--frames", "9"]) == 2 and len(seen) == 1
