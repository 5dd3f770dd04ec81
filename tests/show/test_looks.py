"""The look curves at their edges: at each cue that starts or ends a change, just before it and
just after it, so that a change moved, cut or lengthened shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from thereturn_viz.show import looks
from thereturn_viz.show.cues import STORY_CUES, Cue, CueSheet
from thereturn_viz.show.loader import load_cues
from thereturn_viz.show.looks import (
    DUST_FALL_IN,
    FADE_IN,
    FADE_OUT_TAIL,
    LIGHT_TURN,
    PRESENCE_IN,
    PRESENCE_OUT,
    ZOOM_DUET,
    ZOOM_ROOM,
)
from thereturn_viz.show.tempo import TempoMap

EPS = 1e-3  # "just" before or after: far less than any change takes


def sheet_of(**times: float) -> CueSheet:
    """The cues of docs/story.md at 10 s apart, some at the times given."""
    at = {name: 10.0 * i for i, name in enumerate(STORY_CUES)} | times
    return CueSheet(tuple(Cue(n, at[n], "") for n in STORY_CUES), TempoMap())


S = sheet_of()


def t(name: str) -> float:
    return S.time_of(name)


def test_the_fade_up_from_black_at_open() -> None:
    assert looks.fade(t("open"), S) == 0.0
    assert 0.0 < looks.fade(t("open") + EPS, S) < 0.01
    assert looks.fade(t("open") + FADE_IN / 2, S) == pytest.approx(0.5)
    assert 0.99 < looks.fade(t("open") + FADE_IN - EPS, S) < 1.0
    assert looks.fade(t("open") + FADE_IN, S) == 1.0


def test_the_fade_down_to_black_from_music_end() -> None:
    assert looks.fade(t("music_end"), S) == 1.0
    assert 0.99 < looks.fade(t("music_end") + EPS, S) < 1.0
    assert looks.fade(t("end") - FADE_OUT_TAIL, S) == 0.0  # black half a second before the end
    assert 0.0 < looks.fade(t("end") - FADE_OUT_TAIL - EPS, S) < 0.01
    assert looks.fade(t("end"), S) == 0.0 and looks.fade(t("end") + 5, S) == 0.0


def test_the_light_turns_at_lift_apex_and_stays() -> None:
    apex = t("lift_apex")
    assert looks.light_mix(apex - EPS, S) == 0.0 and looks.light_mix(apex, S) == 0.0
    assert 0.0 < looks.light_mix(apex + EPS, S) < 0.01
    assert looks.light_mix(apex + LIGHT_TURN, S) == 1.0 and looks.light_mix(t("end"), S) == 1.0


def test_the_presence_comes_at_lift_apex_and_leaves_after_music_resumes() -> None:
    apex, resumes = t("lift_apex"), t("music_resumes")
    assert looks.presence(apex, S) == 0.0 and 0.0 < looks.presence(apex + EPS, S) < 0.01
    assert looks.presence(apex + PRESENCE_IN, S) == 1.0
    assert looks.presence(resumes, S) == 1.0 and 0.99 < looks.presence(resumes + EPS, S) < 1.0
    assert looks.presence(resumes + PRESENCE_OUT, S) == 0.0
    assert looks.presence(apex - EPS, S) == 0.0 and looks.presence(t("end"), S) == 0.0


def test_the_camera_pulls_back_from_pan_out_to_last_breath() -> None:
    start, end = t("pan_out"), t("last_breath")
    assert looks.camera_zoom(start - EPS, S) == ZOOM_DUET == looks.camera_zoom(start, S)
    assert ZOOM_ROOM < looks.camera_zoom(start + EPS, S) < ZOOM_DUET
    assert looks.camera_zoom((start + end) / 2, S) == pytest.approx((ZOOM_DUET + ZOOM_ROOM) / 2)
    assert looks.camera_zoom(end, S) == ZOOM_ROOM == looks.camera_zoom(t("end"), S)


def test_the_reflection_flickers_from_open_until_first_note() -> None:
    start, note = t("open"), t("first_note")
    assert looks.reflection_flicker(start, S) == 1.0
    assert looks.reflection_flicker(start + 2.0, S) == 1.0
    assert 0.99 < looks.reflection_flicker(start + 2.0 + EPS, S) < 1.0
    assert 0.0 < looks.reflection_flicker(note - EPS, S) < 0.01
    assert looks.reflection_flicker(note, S) == 0.0 == looks.reflection_flicker(t("end"), S)


def test_the_dust_starts_falling_at_pan_out_not_before() -> None:
    start = t("pan_out")
    assert looks.dust_fall(start - EPS, S) == 0.0 and looks.dust_fall(start, S) == 0.0
    assert 0.0 < looks.dust_fall(start + EPS, S) < 0.01
    assert looks.dust_fall(start + DUST_FALL_IN / 2, S) == pytest.approx(0.5)
    assert looks.dust_fall(start + DUST_FALL_IN, S) == 1.0


def test_cues_that_share_a_time_make_a_step_not_a_division_by_zero() -> None:
    same = sheet_of(first_note=0.0, last_breath=140.0, pan_out=140.0, music_resumes=90.0)
    # first_note at open: no flicker at all; pan_out at last_breath: the camera cuts back
    assert looks.reflection_flicker(0.0, same) == 0.0
    assert looks.camera_zoom(140.0 - EPS, same) == ZOOM_DUET
    assert looks.camera_zoom(140.0, same) == ZOOM_ROOM
    assert looks.presence(90.0 + EPS, same) < 1e-5  # leaving as it comes: next to nothing
    everything_at_once = CueSheet(tuple(Cue(n, 5.0, "") for n in STORY_CUES), TempoMap())
    for look in (looks.fade, looks.light_mix, looks.presence, looks.camera_zoom,
                 looks.reflection_flicker, looks.dust_fall):  # fmt: skip
        for time in (0.0, 5.0 - EPS, 5.0, 5.0 + EPS, 20.0):
            assert 0.0 <= look(time, everything_at_once) <= 2.0, look.__name__


def test_the_shipped_sheet_opens_and_closes_in_black(choreography_dir: Path) -> None:
    sheet = load_cues(choreography_dir / "cues.toml")
    assert looks.fade(0.0, sheet) == 0.0 and looks.fade(sheet.duration, sheet) == 0.0
    assert looks.reflection_flicker(0.0, sheet) == 1.0
    assert looks.dust_fall(sheet.time_of("pan_out"), sheet) == 0.0
