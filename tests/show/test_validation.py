"""Every way a choreography file can be wrong gets its own clear message: file, key, line, hint.

Each test breaks a fresh copy of the shipped folder in one place and looks for the problem that
names that place. None of them may see anything but a ChoreographyError.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thereturn_viz.show.choreography import load_choreography
from thereturn_viz.show.errors import ChoreographyError, Problem

from .conftest import Files


def problems(folder: Path) -> tuple[Problem, ...]:
    with pytest.raises(ChoreographyError) as exc:
        load_choreography(folder)
    found = exc.value.problems
    assert found
    for p in found:
        assert p.file and p.message and "Traceback" not in str(p)
    return found


def the(found: tuple[Problem, ...], file: str, key: str) -> Problem:
    """The one problem reported for ``key`` of ``file``."""
    hits = [p for p in found if Path(p.file).name == file and p.key == key]
    assert len(hits) == 1, f"{file} {key}: {[str(p) for p in found]}"
    return hits[0]


def test_the_shipped_choreography_is_valid(folder: Path) -> None:
    chor = load_choreography(folder)
    assert set(chor.dancers) == {"lead", "partner"}


def test_toml_syntax_error_names_line_and_column(files: Files) -> None:
    line = files.set("duet.toml", ("contacts", 1, "end"), '"together+7.4')  # unclosed string
    (p,) = problems(files.folder)
    assert Path(p.file).name == "duet.toml"
    assert p.line == line and p.column > 0
    assert "TOML syntax error" in p.message
    assert str(p).startswith(f"{p.file}:{line}:{p.column}: ")


def test_unknown_cue_suggests_the_closest(files: Files) -> None:
    line = files.set("lead.toml", ("keyframes", 5, "at"), '"togther+2"')
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[5].at")
    assert 'unknown cue "togther"' in p.message and 'did you mean "together"?' in p.message
    assert p.line == line


@pytest.mark.parametrize(
    ("value", "words"), [('"open-3"', "before the start"), ('"end+5"', 'after "end"')]
)
def test_time_outside_the_piece(files: Files, value: str, words: str) -> None:
    files.set("partner.toml", ("keyframes", 3, "at"), value)
    p = the(problems(files.folder), "partner.toml", "partner.keyframes[3].at")
    assert words in p.message and "0 to 399" in p.message


def test_keyframes_out_of_order(files: Files) -> None:
    first = files.get("lead.toml", ("keyframes", 0, "at"))
    files.set("lead.toml", ("keyframes", 6, "at"), first)
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[6].at")
    assert "not after keyframes[5]" in p.message and "time order" in p.hint


def test_unknown_pose_suggests_the_closest(files: Files) -> None:
    pose = files.get("partner.toml", ("keyframes", 4, "pose")).strip('"')
    typo = pose[:2] + pose[3:]  # one letter dropped
    files.set("partner.toml", ("keyframes", 4, "pose"), f'"{typo}"')
    p = the(problems(files.folder), "partner.toml", "partner.keyframes[4].pose")
    assert p.message == f'unknown pose "{typo}"'
    assert p.hint == f'did you mean "{pose}"?'


def test_unknown_joint_suggests_the_closest(files: Files) -> None:
    files.set("poses.toml", ("neutral", "l_sholder"), "10")
    p = the(problems(files.folder), "poses.toml", "poses.neutral.l_sholder")
    assert p.message == 'unknown joint "l_sholder"' and p.hint == 'did you mean "l_shoulder"?'


def test_angle_outside_the_joints_range(files: Files) -> None:
    files.set("poses.toml", ("neutral", "l_knee"), "40")
    p = the(problems(files.folder), "poses.toml", "poses.neutral.l_knee")
    assert "from -155 to 0" in p.message and "got 40" in p.message


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


def test_absurd_integers_in_the_cue_sheet_and_the_poses(files: Files) -> None:
    files.set("cues.toml", ("tempo", "bpm"), "9" * 400)
    files.set("poses.toml", ("neutral", "l_knee"), "-" + "9" * 400)
    files.drop_tempo_changes()  # so that the absurd one is the first, change[0]
    files.append("cues.toml", "[[tempo.change]]\nat = " + "9" * 400 + "\nbpm = 60")
    found = problems(files.folder)
    assert "absurdly large" in the(found, "cues.toml", "cues.tempo.bpm").message
    assert "absurdly large" in the(found, "poses.toml", "poses.neutral.l_knee").message
    assert "after the end" in the(found, "cues.toml", "cues.tempo.change[0].at").message


def test_an_integer_too_long_to_read_names_its_line(files: Files) -> None:
    line = files.set("partner.toml", ("keyframes", 6, "x"), "7" * 5000)
    (p,) = problems(files.folder)
    assert Path(p.file).name == "partner.toml" and p.line == line
    assert "absurd number" in p.message and "5000 digits" in p.message


def test_nan_angle_in_a_pose(files: Files) -> None:
    files.set("poses.toml", ("neutral", "waist"), "nan")
    p = the(problems(files.folder), "poses.toml", "poses.neutral.waist")
    assert "nan (not a number)" in p.message


@pytest.mark.parametrize(
    ("file", "path", "key"),
    [
        ("lead.toml", ("keyframes", 3, "pose"), "lead.keyframes[3].pose"),
        ("lead.toml", ("keyframes", 3, "at"), "lead.keyframes[3].at"),
        ("duet.toml", ("contacts", 2, "start"), "duet.contacts[2].start"),
        ("duet.toml", ("contacts", 0, "lead"), "duet.contacts[0].lead"),
        ("cues.toml", ("cue", 4, "t"), "cues.cue[4].t"),
    ],
)
def test_missing_keys(files: Files, file: str, path: tuple[str | int, ...], key: str) -> None:
    files.delete(file, path)
    p = the(problems(files.folder), file, key)
    assert "missing" in p.message


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
        (("keyframes", 1, "effort"), "{ a = 1 }", "got a table"),
        (("keyframes", 1, "effort"), '"sustaned light"', 'did you mean "sustained"?'),
        (("keyframes", 1, "effort"), '"light strong"', "opposite ends of weight"),
        (("dancer", "height"), '"tall"', "not a number"),
        (("dancer", "enters"), '"partner_enter"', 'did you mean "partner_enters"?'),
        (("keyframes", 1, "efort"), '"light"', 'did you mean "effort"?'),
    ],
)
def test_wrong_types_and_names(
    files: Files, path: tuple[str | int, ...], value: str, words: str
) -> None:
    files.set("partner.toml", path, value)
    p = the(problems(files.folder), "partner.toml", "partner." + Files_key(path))
    assert words in str(p)


def Files_key(path: tuple[str | int, ...]) -> str:  # noqa: N802
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


def test_same_hand_held_twice_at_once(files: Files) -> None:
    text = files.read("duet.toml")
    first = text.index("[[contacts]]")
    block = text[first : text.index("[[contacts]]", first + 1)]
    files.append("duet.toml", block)
    found = problems(files.folder)
    last = len([line for line in files.read("duet.toml").splitlines() if "[[contacts]]" in line])
    p = the(found, "duet.toml", f"duet.contacts[{last - 1}]")
    assert "overlaps contacts[0]" in p.message and "same hand" in p.message


def test_waist_during_the_lift(files: Files) -> None:
    files.append(
        "duet.toml", '[[contacts]]\nkind = "waist"\nstart = "lift_apex"\nend = "lift_apex+1"'
    )
    found = problems(files.folder)
    (p,) = [p for p in found if "overlaps" in p.message]
    assert "waist" in p.message and "lift" in p.message and "cannot overlap" in p.message


def test_contact_before_the_partner_enters(files: Files) -> None:
    files.append("duet.toml", '[[contacts]]\nkind = "waist"\nstart = "open+1"\nend = "open+2"')
    found = problems(files.folder)
    assert any("before the partner enters" in p.message for p in found)


def test_pose_inheritance_in_a_circle_and_from_unknown(files: Files) -> None:
    files.append("poses.toml", '[loop_a]\nfrom = "loop_b"\n\n[loop_b]\nfrom = "loop_a"')
    files.append("poses.toml", '[orphan]\nfrom = "neutrl"')
    found = problems(files.folder)
    circle = [p for p in found if "in a circle" in p.message]
    assert len(circle) == 1 and "loop_a -> loop_b -> loop_a" in circle[0].message
    p = the(found, "poses.toml", "poses.orphan.from")
    assert p.hint == 'did you mean "neutral"?'


@pytest.mark.parametrize(
    ("path", "value", "key", "words"),
    [
        (("tempo", "bpm"), "600", "cues.tempo.bpm", "from 20 to 240"),
        (("tempo", "meter"), '"three"', "cues.tempo.meter", 'like "3/4"'),
        (("tempo", "origin"), '"firstnote"', "cues.tempo.origin", 'did you mean "first_note"?'),
        (("tempo", "bmp"), "60", "cues.tempo.bmp", 'did you mean "bpm"?'),
        (("cue", 3, "t"), '"soon"', "cues.cue[3].t", "not a number"),
    ],
)
def test_cue_sheet_and_tempo_problems(
    files: Files, path: tuple[str | int, ...], value: str, key: str, words: str
) -> None:
    files.set("cues.toml", path, value)
    p = the(problems(files.folder), "cues.toml", key)
    assert words in str(p)


def test_misspelled_story_cue(files: Files) -> None:
    files.set("cues.toml", ("cue", 13, "name"), '"knel"')
    found = problems(files.folder)
    assert any('missing the cue "kneel"' in p.message and "knel" in p.hint for p in found)


def test_cues_out_of_order(files: Files) -> None:
    files.set("cues.toml", ("cue", 5, "t"), "30.0")
    p = the(problems(files.folder), "cues.toml", "cues.cue[5].t")
    assert "comes before" in p.message


def test_tempo_change_at_an_unknown_cue(files: Files) -> None:
    files.drop_tempo_changes()  # so that the misspelt one is the first, change[0]
    files.append("cues.toml", '[[tempo.change]]\nat = "aftr"\nbpm = 60')
    p = the(problems(files.folder), "cues.toml", "cues.tempo.change[0].at")
    assert 'did you mean "after"?' in p.message


def test_a_byte_order_mark_is_not_an_error(files: Files) -> None:
    """Some editors start UTF-8 files with a BOM, which TOML itself rejects."""
    (files.folder / "lead.toml").write_bytes(b"\xef\xbb\xbf" + files.read("lead.toml").encode())
    files.set("lead.toml", ("keyframes", 3, "pose"), '"stnd"')
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[3].pose")
    assert p.line == files.line_of("lead.toml", ("keyframes", 3, "pose"))
    files.set("lead.toml", ("keyframes", 3, "pose"), '"stand"')  # the mark stays in the file
    assert (files.folder / "lead.toml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_choreography(files.folder).dancers["lead"].keyframes[3].pose == "stand"


def test_empty_file(files: Files) -> None:
    files.write("poses.toml", "  \n\n")
    (p,) = [p for p in problems(files.folder) if Path(p.file).name == "poses.toml"]
    assert p.message == "the file is empty"


def test_binary_file(folder: Path) -> None:
    (folder / "lead.toml").write_bytes(bytes(range(256)) * 4)
    (p,) = problems(folder)
    assert Path(p.file).name == "lead.toml" and "binary" in p.message


def test_not_utf8(folder: Path) -> None:
    (folder / "duet.toml").write_bytes(b"# caf\xe9\n[[contacts]]\n")
    (p,) = problems(folder)
    assert Path(p.file).name == "duet.toml" and "not UTF-8" in p.message and p.line == 1


def test_unreadable_file(folder: Path) -> None:
    (folder / "partner.toml").unlink()
    os.symlink("partner.toml", folder / "partner.toml")  # a link to itself: no one can read it
    (p,) = problems(folder)
    assert Path(p.file).name == "partner.toml" and "cannot read" in p.message


def test_a_folder_where_a_file_should_be(folder: Path) -> None:
    (folder / "partner.toml").unlink()
    (folder / "partner.toml").mkdir()
    (p,) = problems(folder)
    assert "is a folder" in p.message


def test_missing_file_suggests_a_misnamed_one(folder: Path) -> None:
    (folder / "lead.toml").rename(folder / "lead.tml")
    (p,) = problems(folder)
    assert Path(p.file).name == "lead.toml" and p.message == "file not found"
    assert p.hint == 'did you mean "lead.tml"?'


def test_a_missing_file_is_not_mistaken_for_another_it_needs(folder: Path) -> None:
    (folder / "duet.toml").unlink()
    (p,) = problems(folder)
    assert Path(p.file).name == "duet.toml" and p.message == "file not found"
    assert "cues.toml" not in p.hint and "duet.toml" in p.hint


def test_a_pipe_or_a_device_is_refused_not_read(folder: Path) -> None:
    (folder / "poses.toml").unlink()
    os.mkfifo(folder / "poses.toml")  # reading it would wait for a writer forever
    (folder / "duet.toml").unlink()
    os.symlink("/dev/zero", folder / "duet.toml")  # reading it would never end
    found = problems(folder)
    for name in ("poses.toml", "duet.toml"):
        p = [p for p in found if Path(p.file).name == name]
        assert len(p) == 1 and "not a regular file" in p[0].message


def test_a_huge_file_is_refused_not_read(folder: Path) -> None:
    with open(folder / "lead.toml", "a") as f:
        f.write("#" * 9_000_000)
    p = the(problems(folder), "lead.toml", "")
    assert "too large" in p.message


def test_missing_folder(tmp_path: Path) -> None:
    (p,) = problems(tmp_path / "nowhere")
    assert p.message == "does not exist"


def test_every_problem_in_every_file_at_once(files: Files) -> None:
    files.set("cues.toml", ("tempo", "bpm"), "0")
    files.set("poses.toml", ("neutral", "l_knee"), "40")
    files.set("lead.toml", ("keyframes", 2, "x"), "nan")
    files.set("lead.toml", ("keyframes", 9, "pose"), '"nowhere_pose"')
    files.set("partner.toml", ("keyframes", 3, "at"), '"togther"')
    files.set("duet.toml", ("contacts", 0, "kind"), '"hand"')
    found = problems(files.folder)
    keys = {p.key for p in found}
    expected = {
        "cues.tempo.bpm",
        "poses.neutral.l_knee",
        "lead.keyframes[2].x",
        "lead.keyframes[9].pose",
        "partner.keyframes[3].at",
        "duet.contacts[0].kind",
    }
    assert expected <= keys
    assert the(found, "duet.toml", "duet.contacts[0].kind").hint == 'did you mean "hands"?'


def test_each_line_number_points_at_its_key(files: Files) -> None:
    files.set("lead.toml", ("keyframes", 7, "x"), "99")
    files.set("partner.toml", ("keyframes", 11, "effort"), '"floaty"')
    for p in problems(files.folder):
        line = (Path(p.file).read_text().splitlines())[p.line - 1]
        assert line.startswith(p.key.rsplit(".", 1)[-1] + " ="), (str(p), line)


def test_times_in_bars_and_beats_are_understood(files: Files) -> None:
    chor = load_choreography(files.folder)
    frames = chor.dancers["lead"].keyframes
    i = next(i for i, k in enumerate(frames) if k.t > chor.sheet.tempo.origin + 30)
    before = frames[i].t
    bar, beat = chor.sheet.tempo.bar_beat(before)
    files.set("lead.toml", ("keyframes", i, "at"), f'"bar {bar} beat {beat:.9g}"')
    after = load_choreography(files.folder).dancers["lead"].keyframes[i].t
    assert after == pytest.approx(before, abs=1e-6)
