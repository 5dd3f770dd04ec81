"""The fades: up from black at `open`, down to black from `music_end`, black at `end`."""

from __future__ import annotations

from typing import Any

from thereturn_viz.show.choreography import Choreography


def test_the_trace_fades_up_from_black_at_open(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    start, first = sheet.time_of("open"), sheet.time_of("first_note")
    fades = [r["fade"] for r in sweep.rows if start <= r["t"] <= first]
    assert fades[0] == 0.0
    assert all(b >= a for a, b in zip(fades, fades[1:], strict=False))  # never dips on the way up
    assert 0.0 < sweep.row_at(start + 2.0)["fade"] < 1.0  # a slow fade, not a cut
    assert fades[-1] == 1.0


def test_the_trace_fades_to_black_from_music_end(sweep: Any, choreography: Choreography) -> None:
    sheet = choreography.sheet
    down, end = sheet.time_of("music_end"), sheet.time_of("end")
    full = [r["fade"] for r in sweep.rows if sheet.time_of("first_note") <= r["t"] <= down]
    assert full and all(f == 1.0 for f in full)
    fades = [r["fade"] for r in sweep.rows if down <= r["t"] <= end]
    assert all(b <= a for a, b in zip(fades, fades[1:], strict=False))
    assert 0.0 < sweep.row_at((down + end) / 2)["fade"] < 1.0
    assert sweep.row_at(end)["fade"] == 0.0


def test_the_picture_comes_up_from_black(sweep: Any, paint: Any) -> None:
    black, rising, up = (paint(sweep.at(m)) for m in ("open", "open+2", "open+8"))
    assert black.max() == 0.0
    assert 1.0 < rising.mean() < 0.6 * up.mean()
    assert up.mean() > 20.0


def test_the_picture_goes_to_black_at_the_end(sweep: Any, paint: Any) -> None:
    before, fading, end = (paint(sweep.at(m)) for m in ("music_end-1", "music_end+2", "end"))
    assert before.mean() > 20.0
    assert 1.0 < fading.mean() < 0.8 * before.mean()
    assert end.max() == 0.0
