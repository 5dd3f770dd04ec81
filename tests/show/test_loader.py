"""The loader: every file checked by its validator, every problem of every file in one error,
and a broken cue sheet standing in for itself so that it hides nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from thereturn_viz.show.cues import STORY_CUES
from thereturn_viz.show.errors import ChoreographyError, Kind
from thereturn_viz.show.loader import FILES, load_choreography, load_cues

from .conftest import Files, problems, the


def test_the_shipped_choreography_is_valid(folder: Path) -> None:
    chor = load_choreography(folder)
    assert set(chor.dancers) == {"lead", "partner"}
    assert chor.sheet.names == STORY_CUES and chor.folder == folder
    assert "neutral" in chor.poses and chor.contacts


def test_missing_folder(tmp_path: Path) -> None:
    (p,) = problems(tmp_path / "nowhere")
    assert p.message == "does not exist" and p.kind is Kind.FILE


def test_every_problem_in_every_file_at_once(files: Files) -> None:
    files.set("cues.toml", ("tempo", "bpm"), "0")
    files.set("poses.toml", ("neutral", "l_knee"), "40")
    files.set("lead.toml", ("keyframes", 2, "x"), "nan")
    files.set("lead.toml", ("keyframes", 9, "pose"), '"nowhere_pose"')
    files.set("partner.toml", ("keyframes", 3, "at"), '"togther"')
    files.set("duet.toml", ("contacts", 0, "kind"), '"hand"')
    found = problems(files.folder)
    keys = [p.key for p in found]
    expected = [
        "cues.tempo.bpm",
        "poses.neutral.l_knee",
        "lead.keyframes[2].x",
        "lead.keyframes[9].pose",
        "partner.keyframes[3].at",
        "duet.contacts[0].kind",
    ]
    # in the order check prints them: file by file, as FILES lists them, each from the top
    assert [k for k in keys if k in expected] == expected
    assert [Path(p.file).name for p in found] == sorted(
        (Path(p.file).name for p in found), key=FILES.index
    )
    assert the(found, "duet.toml", "duet.contacts[0].kind").suggestion == 'did you mean "hands"?'


def test_each_line_number_points_at_its_key(files: Files) -> None:
    files.set("lead.toml", ("keyframes", 7, "x"), "99")
    files.set("partner.toml", ("keyframes", 11, "effort"), '"floaty"')
    found = problems(files.folder)
    assert len(found) == 2
    for p in found:
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


def test_a_cue_lost_from_the_sheet_is_reported_there_not_at_each_use(files: Files) -> None:
    """The stand-in sheet lacks the lost cue: its uses are not each reported as unknown (the
    loader tells them by their kind and subject), while an unknown cue that was never in the
    sheet still is."""
    together = STORY_CUES.index("together")
    files.set("cues.toml", ("cue", together, "name"), '"togther"')
    files.set("lead.toml", ("keyframes", 3, "at"), '"kneell"')  # never a cue
    found = problems(files.folder)
    unknown = [p for p in found if p.kind is Kind.UNKNOWN_CUE]
    assert [(p.key, p.subject) for p in unknown] == [("lead.keyframes[3].at", "kneell")]
    (lost,) = [p for p in found if p.kind is Kind.MISSING and p.subject == "together"]
    assert lost.key == f"cues.cue[{together}].name"
    # and the lost cue is used: without the stand-in, each use would be an unknown cue
    assert '"together' in files.read("lead.toml")


def test_a_sheet_with_no_readable_cue_stops_before_the_other_files(files: Files) -> None:
    files.write("cues.toml", "[tempo]\nbpm = 64\n")
    files.set("lead.toml", ("keyframes", 2, "x"), "nan")
    found = problems(files.folder)
    assert [p.key for p in found] == ["cues.cue"]  # nothing to check the other files against


def test_load_cues_reads_the_sheet_alone(files: Files) -> None:
    sheet = load_cues(files.folder / "cues.toml")
    assert sheet.names == STORY_CUES
    files.set("cues.toml", ("tempo", "bpm"), "600")  # only the tempo wrong: still an error here
    with pytest.raises(ChoreographyError) as exc:
        load_cues(files.folder / "cues.toml")
    (p,) = exc.value.problems
    assert p.key == "cues.tempo.bpm" and p.kind is Kind.RANGE
