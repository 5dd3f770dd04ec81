"""``at``: one moment of the piece read out, as text and as JSON; bad times are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thereturn_viz.cli import main
from thereturn_viz.commands.at import pose_notes
from thereturn_viz.paths import default_choreography


def test_at_names_the_time_three_ways(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["at", "together+3"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("123.000 s") and "together+3" in first and "bar.beat 39.3" in first


def test_at_json_gives_keyframes_around_the_time_and_the_holds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["at", "together+6b", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cue"] == "together" and data["offset"] > 0
    for who in ("lead", "partner"):
        before, after = data["dancers"][who]["before"], data["dancers"][who]["after"]
        assert before["t"] <= data["t"] < after["t"]
        assert after["index"] == before["index"] + 1
        assert before["at"].startswith("together") and before["pose"] and before["effort"]
    kinds = {h["kind"] for h in data["holds"]}
    assert kinds == {"hands"}


def test_at_writes_each_keyframe_as_it_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["at", "open+4"]) == 0
    out = capsys.readouterr().out
    assert "before keyframes[1] at open+3 (3.00 s): breathe_in" in out
    assert "after  keyframes[2] at open+6 (6.00 s): breathe_out" in out
    assert "holds: none" in out


def test_a_hold_and_a_gesture_leave_each_keyframe_its_own_line_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's tables are matched by time: before, a hold (a keyframe twice in the model) or
    a gesture (a table that is no keyframe) put every later keyframe beside another's table."""
    for f in default_choreography().glob("*.toml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    lead = (tmp_path / "lead.toml").read_text()
    lead = lead.replace(
        'at = "open+3"\npose = "breathe_in"\n',
        'at = "open+3"\npose = "breathe_in"\nhold = "2b"\n',
        1,
    )
    gesture = '[[keyframes]]\nat = "open+2"\njoints = { r_shoulder = 40 }\n\n'
    lead = lead.replace('[[keyframes]]\nat = "open+3"', gesture + '[[keyframes]]\nat = "open+3"', 1)
    (tmp_path / "lead.toml").write_text(lead)
    assert main(["check", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["at", "open+10", "--choreography", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "before keyframes[4] at open+8.5 (8.50 s): stand_weight_back" in out
    assert "effort light" in out
    assert main(["at", "open+3.5", "--choreography", str(tmp_path)]) == 0
    assert "after  keyframes[2] at open+3, held to 4.875 s" in capsys.readouterr().out


def test_at_describes_poses_from_their_comments() -> None:
    notes = pose_notes((default_choreography() / "poses.toml").read_text())
    assert notes["stand"] == "standing, breathing"
    assert pose_notes("[a] # arms up\n# kneels\n[b]\n")["b"] == "kneels"


@pytest.mark.parametrize(
    ("expr", "needle"),
    [("togethr+3", 'did you mean "together"'), ("9999", "outside the piece"), ("bar", "bar")],
)
def test_a_bad_time_is_one_line_and_exit_2(
    expr: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["at", expr]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and needle in err and err.count("\n") == 1
