"""What ``check`` accepts, the score and the performance can make (issue 17, item 1).

The cue sheets drawn here are valid by the validator's own verdict (each is written to a
``cues.toml`` and read back through it), pieces of a few seconds so that the score of each is
quick to make: zero-length sections, every cue at one instant, any meter and tempo in range.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from thereturn_viz.paths import default_choreography
from thereturn_viz.performance import Performance
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.cues import MAX_SECONDS, STORY_CUES, CueSheet
from thereturn_viz.show.errors import ChoreographyError, Kind
from thereturn_viz.show.loader import load_choreography, load_cues
from thereturn_viz.show.validate.tempo import BPM_RANGE
from thereturn_viz.sound.composer import compose
from thereturn_viz.sound.composition import RATE
from thereturn_viz.sound.synthesis import synthesize

_SHIPPED: list[Choreography] = []


def shipped() -> Choreography:
    if not _SHIPPED:
        _SHIPPED.append(load_choreography(default_choreography()))
    return _SHIPPED[0]


def sheet_text(times: list[float], bpm: float, meter: int, origin: str, changes: str) -> str:
    head = f'[tempo]\norigin = "{origin}"\nbpm = {bpm!r}\nmeter = "{meter}/4"\n{changes}\n'
    cues = "".join(
        f'[[cue]]\nname = "{name}"\nt = {t!r}\nabout = ""\n\n'
        for name, t in zip(STORY_CUES, times, strict=True)
    )
    return head + cues


@st.composite
def sheets(draw: st.DrawFn) -> str:
    """The text of a valid-looking ``cues.toml``: a piece of up to 8 s, cues anywhere in it
    (often at one instant), a tempo anywhere in range and perhaps a change at a cue."""
    end = draw(st.sampled_from([0.5, 1.0, 3.0, 8.0]))
    inner = draw(
        st.lists(
            st.one_of(st.just(0.0), st.just(end), st.floats(0.0, end)),
            min_size=len(STORY_CUES) - 1,
            max_size=len(STORY_CUES) - 1,
        )
    )
    times = [round(t, 3) for t in sorted(inner)] + [end]
    bpm = draw(st.floats(*BPM_RANGE))
    meter = draw(st.integers(1, 16))
    origin = draw(st.sampled_from(STORY_CUES))
    changes = ""
    if draw(st.booleans()):
        at = draw(st.sampled_from(STORY_CUES[1:]))
        new_meter = draw(st.integers(1, 16))
        changes = f'\n[[tempo.change]]\nat = "{at}"\nbpm = {draw(st.floats(*BPM_RANGE))!r}\n'
        changes += f'meter = "{new_meter}/4"\n'
    return sheet_text(times, round(bpm, 2), meter, origin, changes)


def finite(value: object) -> bool:
    """Every number inside a FrameState (dataclasses, tuples, dicts) is finite."""
    if isinstance(value, float | int):
        return math.isfinite(value)
    if isinstance(value, np.ndarray):
        return bool(np.isfinite(value).all())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(finite(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, tuple | list):
        return all(finite(v) for v in value)
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    return True


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=sheets())
def test_what_check_accepts_the_score_and_the_performance_make(text: str, tmp_path: Path) -> None:
    path = tmp_path / "cues.toml"
    path.write_text(text)
    try:
        sheet = load_cues(path)
    except ChoreographyError:
        assume(False)  # only what check accepts is promised to be made
        raise
    score = compose(sheet)
    assert all(n.dur > 0 and math.isfinite(n.t) for n in score.notes)
    samples = synthesize(score, RATE)
    assert samples.shape == (round(sheet.duration * RATE), 2)
    assert samples.dtype == np.int16
    performance = Performance(dataclasses.replace(shipped(), sheet=sheet))
    for t in (0.0, sheet.duration / 2, sheet.duration):
        performance.advance_to(t)
        assert finite(performance.frame_state(t))


def packed(end: float) -> CueSheet:
    """The shipped sheet with every cue but ``end`` at 0 s, ``end`` at ``end`` s."""
    sheet = shipped().sheet
    cues = tuple(dataclasses.replace(c, t=end if c.name == "end" else 0.0) for c in sheet.cues)
    return dataclasses.replace(sheet, cues=cues)


@pytest.mark.parametrize("end", [1.0, 5.0])
def test_sections_of_no_length_give_silence_not_an_error(end: float) -> None:
    """Failed before the fix: ``max() arg is an empty sequence`` in the closing section."""
    score = compose(packed(end))
    assert all(n.dur > 0 for n in score.notes)
    assert score.duration == end


@pytest.mark.parametrize("meter", ["1/4", "1/1", "2/4"])
def test_short_bars_give_no_note_of_no_length(meter: str, tmp_path: Path) -> None:
    """Failed before the fix (1/4, 1/1): the line's note on beat 3 of a one-beat bar had a
    negative length, and the piano's synthesis ended in an internal error on it."""
    text = (default_choreography() / "cues.toml").read_text()
    assert 'meter = "3/4"' in text
    path = tmp_path / "cues.toml"
    path.write_text(text.replace('meter = "3/4"', f'meter = "{meter}"'))
    score = compose(load_cues(path))
    assert score.notes and all(n.dur > 0 for n in score.notes)


def test_a_piece_longer_than_the_buffers_afford_is_refused(tmp_path: Path) -> None:
    """Failed before the fix: a ten-hour piece passed and its score asked 13.8 GB."""
    times = [float(i) for i in range(len(STORY_CUES) - 1)] + [36_000.0]
    path = tmp_path / "cues.toml"
    path.write_text(sheet_text(times, 64.0, 3, "open", ""))
    with pytest.raises(ChoreographyError) as err:
        load_cues(path)
    (problem,) = err.value.problems
    assert problem.file.endswith("cues.toml") and problem.path == ("cue", len(STORY_CUES) - 1, "t")
    assert problem.kind == Kind.RANGE and f"{MAX_SECONDS:g}" in problem.expected
    assert "30 minutes" in problem.suggestion
