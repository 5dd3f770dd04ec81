"""``at``: one moment of the piece read out, as text and as JSON; bad times are one line."""

from __future__ import annotations

import json

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
