"""bench: the report's shape (the numbers themselves are for the closing notes, not asserts)."""

from __future__ import annotations

import json

import pytest

from thereturn_viz.run import bench
from thereturn_viz.run.bench import DISPLAY_HZ, run_bench
from thereturn_viz.show.choreography import Choreography


def test_bench_json_has_the_frame_the_stages_and_the_realtime_pass(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "REALTIME_SECONDS", 2.0)
    returned = run_bench(choreography, (64, 36), 10, as_json=True, whole_piece=False)
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads(json.dumps(returned))
    assert report["size"] == [64, 36] and report["frames"] == 10
    assert set(report["frame_ms"]) == {"median", "p95", "p99"}
    assert 0 < report["frame_ms"]["median"] <= report["frame_ms"]["p95"]
    assert report["frame_ms"]["p95"] <= report["frame_ms"]["p99"]
    stages = report["stages"]
    for name in ("physics+air", "frame_state", "render.studio", "render.figures", "render.dust"):
        assert set(stages[name]) == {"median", "p95"}, name
        assert stages[name]["median"] >= 0.0
    live = report["realtime"]
    assert live["frames"] == 2 * DISPLAY_HZ
    assert 0 < live["median"] <= live["max"] and 0 <= live["over_budget"] <= live["frames"]
    assert "dancers_seconds" not in report  # the whole piece was left out here
    for when in ("before", "after"):  # the machine's pace beside the frame times
        ref = report["reference_ms"][when]
        assert set(ref) == {"copy", "multiply", "python"} and all(v > 0 for v in ref.values())


def test_bench_prints_a_table_too(
    choreography: Choreography, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "BENCH_CUES", ("lift_begin",))
    monkeypatch.setattr(bench, "REALTIME_SECONDS", 1.0)
    run_bench(choreography, (48, 27), 10, as_json=False, whole_piece=False)
    out = capsys.readouterr().out
    assert out.startswith("frame at 48x27 over 10 frames: median")
    assert "render.figures" in out and "in real time through the lift (60 frames" in out
    assert "this machine before: a 48x27 copy" in out and "this machine after:" in out
