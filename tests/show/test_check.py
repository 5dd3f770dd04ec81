"""``check`` and ``cues`` on the command line; one loader, one set of messages for every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from thereturn_viz.cli import main
from thereturn_viz.show.cues import STORY_CUES
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.timing import parse_time

from .conftest import Files


def break_three_things(files: Files) -> None:
    files.set("lead.toml", ("keyframes", 4, "pose"), '"nowhere_pose"')
    files.set("partner.toml", ("keyframes", 2, "x"), "nan")
    files.set("duet.toml", ("contacts", 1, "kind"), '"hnads"')


def test_check_passes_the_shipped_piece_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert ": ok: 19 cues," in out[0] and "keyframes lead " in out[0]


def test_check_lists_every_problem_and_exits_1(
    files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    break_three_things(files)
    assert main(["check", str(files.folder)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == f"{files.folder}: 3 problems"
    assert any("lead.toml:" in line and "lead.keyframes[4].pose" in line for line in out)
    assert any("partner.keyframes[2].x" in line and "nan" in line for line in out)
    assert any("duet.contacts[1].kind" in line and 'did you mean "hands"?' in line for line in out)
    assert not any("Traceback" in line for line in out)


def test_a_broken_cue_sheet_does_not_hide_the_other_files(
    files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    together = STORY_CUES.index("together")
    files.set("cues.toml", ("cue", together, "name"), '"togther"')  # a cue lost to a typo
    files.set("cues.toml", ("cue", 3, "t"), "nan")
    break_three_things(files)
    assert main(["check", str(files.folder)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    # the typo is reported where it is written, once, not at each of the many uses of the cue
    typo = [line for line in out if "missing `together`" in line]
    assert len(typo) == 1 and f"cues.cue[{together}].name" in typo[0]
    assert '"togther"' not in typo[0] and 'call this cue "together" again' in typo[0]
    assert any("cues.cue[3].t" in line and "not a number" in line for line in out)
    # and every other file is still checked against the cues that could be read
    assert any("lead.keyframes[4].pose" in line for line in out)
    assert any("partner.keyframes[2].x" in line for line in out)
    assert any("duet.contacts[1].kind" in line for line in out)
    assert out[-1] == f"{files.folder}: 5 problems"


def test_check_of_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 1
    assert "does not exist" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["export", "kiosk", "play", "cues", "score"])
def test_every_command_stops_on_the_same_messages(
    command: str, files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_three_things(files)
    main(["check", str(files.folder)])
    expected = capsys.readouterr().out.strip().splitlines()[:-1]
    argv = {
        "export": ["export", str(tmp_path / "stills"), "--at", "1", "--quiet"],
        "kiosk": ["kiosk", "--loops", "1", "--size", "64x36", "--mute"]
        + ["--heartbeat", str(tmp_path / "hb"), "--log", str(tmp_path / "k.log")],
        "play": ["play", "--size", "64x36", "--max-frames", "2", "--mute"],
        "cues": ["cues"],
        "score": ["score", str(tmp_path / "s.wav")],
    }[command]
    assert main([*argv, "--choreography", str(files.folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert [line for line in err if line in expected] == expected
    assert "Traceback" not in "\n".join(err)
    assert not (tmp_path / "stills").exists()


@pytest.mark.parametrize("command", ["kiosk", "play"])
def test_without_a_screen_the_problems_still_come_first(
    command: str, files: Files, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    break_three_things(files)
    assert main([command, "--choreography", str(files.folder)]) == 1
    err = capsys.readouterr().err
    assert "lead.keyframes[4].pose" in err and "no screen" not in err


@pytest.mark.parametrize("changes", [False, True])
def test_cues_lists_time_bar_beat_and_what_happens(
    changes: bool, files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    if changes:  # bars follow a change of tempo at a bar, and of tempo and meter at a cue
        files.drop_tempo_changes()  # in place of the shipped ones
        files.append(
            "cues.toml",
            '[[tempo.change]]\nat = "bar 30"\nbpm = 68\n\n'
            '[[tempo.change]]\nat = "after"\nbpm = 60\nmeter = "4/4"',
        )
    # one "# tempo" line for the base tempo and one for each change the file holds
    spans = 1 + files.read("cues.toml").count("\n[[tempo.change]]")
    if changes:
        assert spans == 3
    assert main(["cues", "--choreography", str(files.folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    chor = load_choreography(files.folder)
    assert len(chor.sheet.tempo.spans) == spans
    assert len([line for line in out if line.startswith("# tempo")]) == spans
    rows = {line.split()[0]: line for line in out if line and line.split()[0] in STORY_CUES}
    assert list(rows) == list(STORY_CUES)
    for cue in chor.sheet.cues:
        m = re.match(r"^(\w+)\s+(\d\d:\d\d\.\d)\s+(-|\d+\.\d+)\s+(.+)$", rows[cue.name])
        assert m, rows[cue.name]
        assert parse_time(m.group(2), chor.sheet) == pytest.approx(cue.t, abs=0.05)
        if m.group(3) != "-":
            bar, beat = m.group(3).split(".")
            assert chor.sheet.tempo.time_of(int(bar), int(beat)) <= cue.t + 1e-6
            assert cue.t < chor.sheet.tempo.time_of(int(bar), int(beat) + 1)
        assert m.group(4) == cue.about
    # a change at a cue starts a bar there: the shipped one, or the test's own at "after"
    at_cues = [c.name for c in chor.sheet.cues for s in chor.sheet.tempo.changes if s.t == c.t]
    if changes:
        assert at_cues == ["after"]
    for name in at_cues:
        assert rows[name].split()[2].endswith(".1"), rows[name]


def test_cues_json_keeps_its_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cues", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"duration", "cues"}
    assert all(set(c) == {"name", "t", "about"} for c in data["cues"])


def test_check_gives_a_syntax_error_its_line_and_column(
    files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    line = files.set("poses.toml", ("neutral", "waist"), "= 3")  # a doubled "="
    files.set("lead.toml", ("keyframes", 2, "at"), '"togther"')  # and one in another file
    assert main(["check", str(files.folder)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert any(
        re.match(rf"^{re.escape(str(files.folder / 'poses.toml'))}:{line}:\d+: TOML syntax", row)
        for row in out
    ), out
    assert any("lead.keyframes[2].at" in row and 'did you mean "together"?' in row for row in out)
    assert out[-1] == f"{files.folder}: 2 problems"


def test_command_line_times_use_the_same_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--at and --start read bars and cue offsets with the files' parser, and its messages."""
    out = str(tmp_path / "s")
    for option in ("--at", "--start", "--end"):
        assert main(["export", out, option, "bar 9 beat 4", "--quiet"]) == 2
        assert f"{option} bar 9 beat 4: " in capsys.readouterr().err
    assert main(["export", out, "--at", "togther+2", "--quiet"]) == 2
    assert 'did you mean "together"?' in capsys.readouterr().err
    assert main(["play", "--size", "32x18", "--mute", "--start", "bar 9 beat 4"]) == 2
    assert "bar 9 has 3 beats" in capsys.readouterr().err
    assert (
        main(["play", "--size", "32x18", "--max-frames", "1", "--mute", "--start", "bar 2.3"]) == 0
    )
    assert not (tmp_path / "s").exists()


def test_check_suggests_a_mended_count(files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad counts in a choreography file: each message names the key and says what would do."""
    bad = {
        3: ("together+8x", '(did you mean "together+8c"?)'),
        6: ("together++2c", '(did you mean "together+2c"?)'),
        9: ("together+2bar3b", '(did you mean "together+2bar+3b"?)'),
        12: ("togther", '(did you mean "together"?)'),
        15: ("bar 40 beat 4", '(did you mean "bar 41 beat 1"?)'),
    }
    for k, (expr, _) in bad.items():
        files.set("lead.toml", ("keyframes", k, "at"), f'"{expr}+8c"' if k == 12 else f'"{expr}"')
    assert main(["check", str(files.folder)]) == 1
    out = capsys.readouterr().out
    for k, (expr, hint) in bad.items():
        line = next(x for x in out.splitlines() if f"lead.keyframes[{k}].at" in x)
        assert f'"{expr}"' in line and line.endswith(hint), line


def test_counts_land_on_the_beats_of_the_tempo_map() -> None:
    """``+8c`` lands on a beat even from a cue between beats; ``+8b`` keeps the cue's place."""
    sheet = load_choreography(Path(__file__).parents[2] / "choreography").sheet
    tempo = sheet.tempo
    for cue in ("together", "heartbeat", "after"):
        for n in (-3, 1, 8, 24):
            t = parse_time(f"{cue}{n:+d}c", sheet)
            span = tempo.span_at(t)
            beats = (t - span.t) / span.beat_seconds
            assert abs(beats - round(beats)) < 1e-6, (cue, n, t)
            assert abs(t - parse_time(f"{cue}{n:+d}b", sheet)) <= span.beat_seconds / 2 + 1e-9
