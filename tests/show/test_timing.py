"""Time expressions, the tempo map with its changes, and easing along a joint's possible arc."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.show.anatomy import JOINTS, LIMITS
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.cues import Cue, CueSheet, TempoMap, load_cues
from thereturn_viz.show.errors import ChoreographyError
from thereturn_viz.show.timing import TimeError, format_clock, parse_time

from .conftest import Files


@pytest.fixture(scope="module")
def sheet() -> CueSheet:
    cues = (Cue("open", 0.0, ""), Cue("after", 100.0, ""), Cue("end", 200.0, ""))
    return CueSheet(cues, TempoMap(origin=10.0, bpm=60.0, beats_per_bar=3))


@pytest.mark.parametrize(
    ("expr", "seconds"),
    [
        ("12.5", 12.5),
        (7, 7.0),
        ("after", 100.0),
        ("after+4.5", 104.5),
        ("after - 2", 98.0),
        ("after+.5", 100.5),
        ("  after  ", 100.0),
        ("bar 1", 10.0),
        ("bar 12 beat 3", 10.0 + (11 * 3 + 2)),
        ("bar 12.3", 10.0 + (11 * 3 + 2)),
        ("Bar 2 beat 1.5", 13.5),
        ("01:05.5", 65.5),
    ],
)
def test_every_form_of_time(sheet: CueSheet, expr: str | int, seconds: float) -> None:
    assert parse_time(expr, sheet) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("aftr", 'unknown cue "aftr" (did you mean "after"?)'),
        ("bar 3 beat 4", "bar 3 has 3 beats"),
        ("bar 3 beat 0", "bar 3 has 3 beats"),
        ("bar twelve", 'write bars as "bar 12"'),
        ("after+", "cannot read time"),
        ("after*2", "cannot read time"),
        ("", "empty time expression"),
        ("x" * 500, "cannot read time"),
        (True, "expected a time"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
    ],
)
def test_unreadable_times_say_why(sheet: CueSheet, expr: str | float, words: str) -> None:
    with pytest.raises(TimeError) as exc:
        parse_time(expr, sheet)
    assert words in str(exc.value)


@given(st.floats(0.0, 5999.9))
def test_clock_format_reads_back(t: float) -> None:
    empty = CueSheet((Cue("end", 6000.0, ""),), TempoMap())
    assert parse_time(format_clock(t), empty) == pytest.approx(t, abs=0.05 + 1e-9)


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


def test_tempo_changes_are_read_from_the_cue_sheet(files: Files) -> None:
    files.drop_tempo_changes()  # in place of the shipped ones
    files.append(
        "cues.toml",
        '[[tempo.change]]\nat = "bar 30"\nbpm = 68\n\n'
        '[[tempo.change]]\nat = "after"\nbpm = 60\nmeter = "4/4"',
    )
    sheet = load_cues(files.folder / "cues.toml")
    spans = sheet.tempo.spans
    assert [s.bar for s in spans][:2] == [1, 30] and spans[1].bpm == 68
    assert spans[2].t == sheet.time_of("after") and spans[2].beats_per_bar == 4
    assert parse_time("after", sheet) == sheet.tempo.time_of(spans[2].bar)


def test_tempo_changes_must_move_forward(files: Files) -> None:
    files.append("cues.toml", "[[tempo.change]]\nat = 30\nbpm = 68\n\n[[tempo.change]]\nat = 12")
    with pytest.raises(ChoreographyError) as exc:
        load_cues(files.folder / "cues.toml")
    keys = [p.key for p in exc.value.problems]
    assert "cues.tempo.change[1].at" in keys or "cues.tempo.change[1]" in keys


def test_the_shipped_tempo_is_slow_as_the_story_asks(choreography_dir: Path) -> None:
    tempo = load_cues(choreography_dir / "cues.toml").tempo
    assert all(58 <= s.bpm <= 72 for s in tempo.spans)


def test_eased_angles_stay_inside_every_joints_range(choreography: Choreography) -> None:
    lo = np.array([LIMITS[j][0] for j in JOINTS])
    hi = np.array([LIMITS[j][1] for j in JOINTS])
    times = np.arange(0.0, choreography.sheet.duration, 0.05)
    for script in choreography.dancers.values():
        angles = script.sample(times).angles
        assert np.isfinite(angles).all()
        assert (angles >= lo - 1e-6).all() and (angles <= hi + 1e-6).all(), script.name


def test_a_full_turn_joint_still_takes_the_shorter_way() -> None:
    from thereturn_viz.show.easing import joint_arc

    assert float(joint_arc(170.0, -170.0, -360.0, 360.0)) == pytest.approx(20.0)
    assert float(joint_arc(-48.0, 160.0, -80.0, 190.0)) == pytest.approx(208.0)
    assert float(joint_arc(150.0, -150.0, -80.0, 190.0)) == pytest.approx(-300.0)
