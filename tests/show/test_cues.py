"""The cue sheet as the piece uses it: times by name, the cue in force, the length."""

from __future__ import annotations

import pytest

from thereturn_viz.show.cues import STORY_CUES, Cue, CueSheet
from thereturn_viz.show.tempo import TempoMap

SHEET = CueSheet(
    (
        Cue("open", 0.0, ""),
        Cue("kneel", 40.0, "down"),
        Cue("touch", 40.0, ""),
        Cue("end", 50.0, ""),
    ),
    TempoMap(),
)


def test_times_by_name_and_the_length_of_the_piece() -> None:
    assert SHEET.time_of("kneel") == 40.0 and SHEET.duration == 50.0
    assert SHEET.names == ("open", "kneel", "touch", "end")
    assert "kneel" in SHEET and "knee" not in SHEET and 40.0 not in SHEET
    with pytest.raises(KeyError):
        SHEET.time_of("knee")


def test_the_cue_in_force_is_the_last_at_or_before_the_time() -> None:
    assert SHEET.cue_at(-5.0) == "open" and SHEET.cue_at(39.99) == "open"
    assert SHEET.cue_at(40.0) == "touch"  # of two cues at one time, the later in the sheet
    assert SHEET.cue_at(50.0) == "end" and SHEET.cue_at(99.0) == "end"


def test_the_story_has_its_cues_in_order_from_open_to_end() -> None:
    assert STORY_CUES[0] == "open" and STORY_CUES[-1] == "end"
    assert len(set(STORY_CUES)) == len(STORY_CUES) == 19
