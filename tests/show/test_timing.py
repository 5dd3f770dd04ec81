"""Time expressions: every form read, every unreadable one refused with words and a kind."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thereturn_viz.show.cues import Cue, CueSheet
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.tempo import TempoMap
from thereturn_viz.show.timing import TimeError, format_clock, parse_time


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
        ("after+8b", 108.0),
        ("after-2b", 98.0),
        ("after+2bar", 106.0),
        ("after+2bars+1beat", 107.0),
        ("after + 1 bar - 0.5", 102.5),
        ("after+1.5b", 101.5),
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
        ("after+", "cannot read the offset"),
        ("after+2x", "cannot read the offset"),
        ("after+2bar3", "cannot read the offset"),
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


_CHANGING = TempoMap(10.0, 64.0, 3).change_at_bar(5, bpm=90.0, beats_per_bar=4)
_CHANGING = _CHANGING.change_at_time(70.0, bpm=48.0, beats_per_bar=2)


@given(st.floats(-20.0, 150.0), st.floats(-40.0, 40.0))
def test_counting_beats_there_and_back_returns_to_the_start(t: float, beats: float) -> None:
    there = _CHANGING.after_beats(t, beats)
    assert (there - t) * beats >= -1e-9  # forward for beats after, back for beats before
    assert _CHANGING.after_beats(there, -beats) == pytest.approx(t, abs=1e-6)


def test_counted_beats_are_as_long_as_the_tempo_in_force() -> None:
    # bar 5's downbeat: 10 + 4 bars of 3 beats at 64 bpm; then 90 bpm
    change = _CHANGING.time_of(5)
    assert _CHANGING.after_beats(change - 60 / 64, 2) == pytest.approx(change + 60 / 90)
    assert _CHANGING.after_bars(change, 1) == pytest.approx(change + 4 * 60 / 90)
    assert _CHANGING.after_bars(change, -1) == pytest.approx(change - 3 * 60 / 64)


@given(st.floats(0.0, 5999.9))
def test_clock_format_reads_back(t: float) -> None:
    empty = CueSheet((Cue("end", 6000.0, ""),), TempoMap())
    assert parse_time(format_clock(t), empty) == pytest.approx(t, abs=0.05 + 1e-9)


@pytest.mark.parametrize(
    ("expr", "kind", "subject"),
    [
        ("aftr+2", Kind.UNKNOWN_CUE, "aftr"),
        ("bar 3 beat 4", Kind.TIME, ""),
        ("after*2", Kind.TIME, ""),
        (True, Kind.TYPE, ""),
        (10**400, Kind.RANGE, ""),
        (float("inf"), Kind.RANGE, ""),
    ],
)
def test_a_time_error_says_its_kind_as_data(
    sheet: CueSheet, expr: object, kind: Kind, subject: str
) -> None:
    with pytest.raises(TimeError) as exc:
        parse_time(expr, sheet)  # type: ignore[arg-type]
    fault = exc.value.fault
    assert fault.kind is kind and fault.subject == subject and fault.expected
    assert str(exc.value) == str(fault)


def test_an_unknown_cue_far_from_any_has_no_suggestion(sheet: CueSheet) -> None:
    with pytest.raises(TimeError) as exc:
        parse_time("zzzz", sheet)
    assert exc.value.fault.suggestion == "" and str(exc.value) == 'unknown cue "zzzz"'
