"""The tempo map: bars and beats against seconds, across changes of tempo and meter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.show.loader import load_cues
from thereturn_viz.show.tempo import TempoMap


def _map_with_changes() -> TempoMap:
    return (
        TempoMap(origin=14.0, bpm=64.0, beats_per_bar=3)
        .change_at_bar(20, bpm=70.0)
        .change_at_time(263.0, bpm=58.0, beats_per_bar=4)
    )


@settings(max_examples=200)
@given(st.floats(14.0, 399.0))
def test_bar_beat_and_time_of_are_inverse_across_changes(t: float) -> None:
    tempo = _map_with_changes()
    bar, beat = tempo.bar_beat(t)
    span = tempo.span_at(t)
    assert 1.0 <= beat < span.beats_per_bar + 1.0
    assert tempo.time_of(bar, beat) == pytest.approx(t, abs=1e-5)


def test_a_change_at_a_bar_keeps_counting_bars() -> None:
    tempo = _map_with_changes()
    before = TempoMap(origin=14.0, bpm=64.0, beats_per_bar=3)
    assert tempo.time_of(20) == pytest.approx(before.time_of(20))
    assert tempo.time_of(21) - tempo.time_of(20) == pytest.approx(3 * 60 / 70)
    assert tempo.time_of(19) - tempo.time_of(18) == pytest.approx(3 * 60 / 64)


def test_a_change_at_a_cue_starts_a_new_bar_there() -> None:
    tempo = _map_with_changes()
    bar, beat = tempo.bar_beat(263.0)
    assert beat == 1.0
    assert tempo.bar_beat(263.0 - 0.01)[0] == bar - 1  # the bar in progress is cut short
    assert tempo.time_of(bar + 1) - tempo.time_of(bar) == pytest.approx(4 * 60 / 58)
    assert tempo.label(263.0) == f"{bar}.1"


def test_downbeats_follow_the_changes() -> None:
    tempo = _map_with_changes()
    beats = tempo.downbeats(14.0, 399.0)
    assert beats[0] == 14.0 and 263.0 in [round(b, 9) for b in beats]
    gaps = np.diff(beats)
    assert {round(g, 6) for g in gaps} >= {round(3 * 60 / 64, 6), round(3 * 60 / 70, 6)}
    assert all(g <= 4 * 60 / 58 + 1e-9 for g in gaps)


def test_the_shipped_tempo_is_slow_as_the_story_asks(choreography_dir: Path) -> None:
    tempo = load_cues(choreography_dir / "cues.toml").tempo
    assert all(58 <= s.bpm <= 72 for s in tempo.spans)
