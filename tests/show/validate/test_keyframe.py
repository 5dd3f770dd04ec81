"""One keyframe: its time, pose, place, facing, easing and effort, each with its own words."""

from __future__ import annotations

import pytest

from thereturn_viz.show.anatomy import JOINTS
from thereturn_viz.show.cues import Cue, CueSheet
from thereturn_viz.show.effort import WORDS, Effort
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.tempo import TempoMap
from thereturn_viz.show.validate.keyframe import Known, check_keyframe

from ..conftest import Files, key_of, problems, the


def test_unknown_pose_suggests_the_closest(files: Files) -> None:
    pose = files.get("partner.toml", ("keyframes", 4, "pose")).strip('"')
    typo = pose[:2] + pose[3:]  # one letter dropped
    files.set("partner.toml", ("keyframes", 4, "pose"), f'"{typo}"')
    p = the(problems(files.folder), "partner.toml", "partner.keyframes[4].pose")
    assert p.message == f'unknown pose "{typo}"'
    assert p.suggestion == f'did you mean "{pose}"?' and p.subject == typo


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("x", "nan", "got nan (not a number)"),
        ("x", "-inf", "got -inf (infinite)"),
        ("y", "inf", "got inf (infinite)"),
        ("x", "1e300", "(absurdly large)"),
        ("y", "-9e9", "(absurdly large)"),
        ("at", "1e12", "(absurd)"),
        ("x", "1" + "0" * 400, "got a 401-digit number (absurdly large)"),  # TOML: no size limit
        ("at", "-" + "9" * 330, "got a 330-digit number"),
        ("ease", "[0.5, 0, 0.5, " + "9" * 400 + "]", "bezier numbers must be finite"),
    ],
)
def test_nan_inf_and_absurd_numbers(files: Files, key: str, value: str, words: str) -> None:
    files.set("lead.toml", ("keyframes", 2, key), value)
    p = the(problems(files.folder), "lead.toml", f"lead.keyframes[2].{key}")
    assert words in p.message


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("keyframes", 1, "x"), '"left"', 'got "left" (not a number)'),
        (("keyframes", 1, "pose"), "3", "expected a pose name"),
        (("keyframes", 1, "facing"), "3", 'expected "left" or "right", got 3'),
        (("keyframes", 1, "facing"), '"lfet"', 'did you mean "left"?'),
        (("keyframes", 1, "at"), "[1, 2]", "got a list of 2"),
        (("keyframes", 1, "ease"), "true", "expected an easing name or a bezier"),
        (("keyframes", 1, "ease"), '"in_out_sin"', 'did you mean "in_out_sine"?'),
        (("keyframes", 1, "ease"), "[1.5, 0, 0.5, 1]", "x1 and x2 must lie in [0, 1]"),
        (("keyframes", 1, "ease"), "[0.5, 0, 0.5, 3.5]", "y1 and y2 must lie in [-3, 3]"),
        (("keyframes", 1, "effort"), "{ a = 1 }", "got a table"),
        (("keyframes", 1, "effort"), '"sustaned light"', 'did you mean "sustained"?'),
        (("keyframes", 1, "effort"), '"light strong"', "opposite ends of weight"),
        (("keyframes", 1, "efort"), '"light"', 'did you mean "effort"?'),
        (("keyframes", 1, "fall"), '"yes"', 'expected true or false, got "yes"'),
        (("keyframes", 1, "fal"), "true", 'did you mean "fall"?'),
    ],
)
def test_wrong_types_and_names(
    files: Files, path: tuple[str | int, ...], value: str, words: str
) -> None:
    files.set("partner.toml", path, value)
    p = the(problems(files.folder), "partner.toml", key_of("partner", path))
    assert words in str(p)


@pytest.mark.parametrize("value", ['""', '"   "'])
def test_an_empty_effort_is_reported_not_taken_as_neutral(files: Files, value: str) -> None:
    files.set("lead.toml", ("keyframes", 4, "effort"), value)
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[4].effort")
    assert p.kind is Kind.MISSING and p.message.startswith("empty effort")
    assert p.suggestion == "words: " + ", ".join(WORDS)


def test_a_keyframe_without_a_pose(files: Files) -> None:
    files.delete("lead.toml", ("keyframes", 3, "pose"))
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[3].pose")
    assert "missing" in p.message and p.kind is Kind.MISSING


def test_x_and_facing_carry_over_and_the_rest_has_defaults() -> None:
    sheet = CueSheet((Cue("open", 0.0, ""), Cue("end", 10.0, "")), TempoMap())
    known = Known(sheet, {"neutral": (0.0,) * len(JOINTS)}, {"neutral"})
    chk = Checker(Source("lead.toml", "lead"))
    given = {"at": 1, "pose": "neutral", "x": 2.0, "facing": "left", "y": 0.5}
    first = check_keyframe(given, ("keyframes", 0), known, None, chk)
    assert first is not None
    second = check_keyframe(
        {"at": "open+2", "pose": "neutral"}, ("keyframes", 1), known, first[0], chk
    )
    assert chk.problems == [] and second is not None
    kf = second[0]
    assert (kf.t, kf.x, kf.facing, kf.y) == (2.0, 2.0, -1.0, 0.0)
    assert kf.ease == "in_out_sine" and kf.effort == Effort()
    alone = check_keyframe({"at": 3, "pose": "neutral"}, ("keyframes", 0), known, None, chk)
    assert alone is not None and (alone[0].x, alone[0].facing) == (0.0, 1.0)


def test_a_keyframe_of_a_broken_pose_is_dropped_without_a_second_message() -> None:
    sheet = CueSheet((Cue("open", 0.0, ""), Cue("end", 10.0, "")), TempoMap())
    known = Known(sheet, {}, {"bent"})  # "bent" is defined, but could not be resolved
    chk = Checker(Source("lead.toml", "lead"))
    assert check_keyframe({"at": 1, "pose": "bent"}, ("keyframes", 0), known, None, chk) is None
    assert chk.problems == []
