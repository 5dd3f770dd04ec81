"""``shift``, ``copy`` and ``mirror``: edits made in place, comments and layout kept, counts
kept as counts, holds moving with their phrase, and nothing written unless the result passes
``check``. Each test builds its own small folder (the shipped dancers' files change often)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thereturn_viz.cli import main
from thereturn_viz.paths import default_choreography
from thereturn_viz.show.anatomy import JOINTS
from thereturn_viz.show.counts import Amount, shift_text
from thereturn_viz.show.loader import FILES, load_choreography

LEAD = """\
# The lead, for the editing tests.

[dancer]
height = 1.80
enters = "open"

# the opening
[[keyframes]]
at = "open"
pose = "stand"
x = -1.20
facing = "left"

[[keyframes]]
at = "together"   # they meet
pose = "stand"
x = -0.50
facing = "right"

# ---- the phrase that moves
[[keyframes]]
at = "together+4b"
pose = "breathe_in"
effort = "sustained light"

[[keyframes]]
at = 'together+2bar+3b'
pose = "breathe_out"
x = -0.40

[[keyframes]]
at = "together+20.8"
pose = "stand"

# ---- after the phrase
[[keyframes]]
at = "heartbeat"
pose = "stand"
"""

DUET = """\
# Contacts for the editing tests.

# the hands meet
[[contacts]]
kind = "hands"
start = "together+4b"
end = "together+2bar"  # let go
lead = "r_hand"
partner = "l_hand"

[[contacts]]
kind = "waist"
start = "together+20.8"
end = "together+30"
"""


def _partner() -> str:
    text = LEAD.replace("The lead", "The partner").replace("1.80", "1.65")
    text = text.replace('enters = "open"', 'enters = "partner_enters"')
    text = text.replace('at = "open"', 'at = "partner_enters"')
    # she stands a hand's reach from him while they hold (check refuses a hold out of reach)
    text = text.replace("x = -0.50", "x = -0.05").replace("x = -0.40", "x = 0.05")
    return text.replace("x = -", "x = ")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shipped = default_choreography()
    for name in ("cues.toml", "poses.toml"):
        (tmp_path / name).write_bytes((shipped / name).read_bytes())
    (tmp_path / "lead.toml").write_text(LEAD)
    (tmp_path / "partner.toml").write_text(_partner())
    (tmp_path / "duet.toml").write_text(DUET)
    load_choreography(tmp_path)  # the folder is sound to begin with
    return tmp_path


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def _comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


def _run(folder: Path, *argv: str) -> int:
    return main([*argv, "--choreography", str(folder)])


def test_two_beats_on_and_back_gives_the_files_back_byte_for_byte(folder: Path) -> None:
    before = _files(folder)
    assert (
        _run(folder, "shift", "both", "--from", "together+1b", "--to", "together+21", "--by", "+2b")
        == 0
    )
    moved = _files(folder)
    assert moved["lead.toml"] != before["lead.toml"] and moved["duet.toml"] != before["duet.toml"]
    assert (
        _run(folder, "shift", "both", "--from", "together+3b", "--to", "together+23", "--by", "-2b")
        == 0
    )
    assert _files(folder) == before


def test_files_with_a_byte_order_mark_are_edited_and_keep_it(folder: Path) -> None:
    """check reads a file that starts with a byte-order mark; tomlkit alone refused it."""
    for name in ("lead.toml", "duet.toml"):
        (folder / name).write_bytes(b"\xef\xbb\xbf" + (folder / name).read_bytes())
    before = _files(folder)
    span = ["--from", "together+1b", "--to", "together+21"]
    assert _run(folder, "shift", "both", *span, "--by", "+2b") == 0
    moved = _files(folder)
    assert moved["lead.toml"] != before["lead.toml"]
    assert all(moved[n].startswith(b"\xef\xbb\xbf") for n in ("lead.toml", "duet.toml"))
    back = ["--from", "together+3b", "--to", "together+23"]
    assert _run(folder, "shift", "both", *back, "--by", "-2b") == 0
    assert _files(folder) == before


@pytest.mark.parametrize("by", ["+1bar", "0.5", "-1b"])
def test_every_unit_goes_there_and_back(folder: Path, by: str) -> None:
    before = _files(folder)
    back = by[1:] if by.startswith("-") else "-" + by.lstrip("+")
    assert (
        _run(folder, "shift", "lead", "--from", "together+4b", "--to", "together+3bar", "--by", by)
        == 0
    )
    assert _files(folder) != before
    chor = load_choreography(folder)
    start = min(k.t for k in chor.dancers["lead"].keyframes if k.pose == "breathe_in")
    assert (
        _run(folder, "shift", "lead", "--from", str(start), "--to", "together+4bar", "--by", back)
        == 0
    )
    assert _files(folder) == before


def test_counts_stay_counts_and_comments_stay(folder: Path) -> None:
    before = load_choreography(folder)
    assert (
        _run(folder, "shift", "lead", "--from", "together+1b", "--to", "together+21", "--by", "+2b")
        == 0
    )
    text = (folder / "lead.toml").read_text()
    assert 'at = "together+6b"' in text
    assert "at = 'together+2bar+5b'" in text  # the quotes as written, too
    assert 'at = "together+20.8+2b"' in text
    assert 'at = "together"   # they meet' in text  # outside the span: untouched
    assert _comments(text) == _comments(LEAD)
    after = load_choreography(folder)
    tempo = before.sheet.tempo
    for old, new in zip(
        before.dancers["lead"].keyframes, after.dancers["lead"].keyframes, strict=True
    ):
        inside = before.sheet.time_of("together") < old.t < before.sheet.time_of("heartbeat")
        assert new.t == pytest.approx(tempo.after_beats(old.t, 2) if inside else old.t)


def test_a_count_on_the_music_stays_on_its_beat_and_comes_back(folder: Path) -> None:
    """``together+16c`` moved by beats keeps its count and lands on a beat; by seconds it
    breathes off it; either way back gives the file back byte for byte."""
    lead = folder / "lead.toml"
    lead.write_text(LEAD.replace('at = "together+20.8"', 'at = "together+16c"'))
    before = _files(folder)
    span = ["--from", "together+1b", "--to", "together+21"]
    assert _run(folder, "shift", "lead", *span, "--by", "+2b") == 0
    assert 'at = "together+16c+2b"' in lead.read_text()
    chor = load_choreography(folder)
    t = chor.dancers["lead"].keyframes[-2].t
    span_at = chor.sheet.tempo.span_at(t)
    beats = (t - span_at.t) / span_at.beat_seconds
    assert beats == pytest.approx(round(beats), abs=1e-6), t
    back = ["--from", "together+3b", "--to", "together+23"]
    assert _run(folder, "shift", "lead", *back, "--by", "-2b") == 0
    assert _files(folder) == before
    assert _run(folder, "shift", "lead", *span, "--by", "0.25") == 0
    assert 'at = "together+16c+0.25"' in lead.read_text()
    assert _run(folder, "shift", "lead", *span, "--by", "-0.25") == 0
    assert _files(folder) == before


def test_a_hold_inside_the_span_moves_and_one_across_its_edge_is_named(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run(folder, "shift", "both", "--from", "together+1b", "--to", "together+21", "--by", "+1b")
        == 0
    )
    duet = (folder / "duet.toml").read_text()
    assert 'start = "together+5b"' in duet and 'end = "together+2bar+1b"  # let go' in duet
    assert 'start = "together+20.8"' in duet  # the waist hold runs past the span: left
    out = capsys.readouterr().out
    assert "contacts[1] (waist) crosses an edge of the span: not moved" in out
    assert "saved: 6 keyframes, 1 holds" in out


def test_a_shift_that_breaks_the_order_is_shown_and_not_saved(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(folder)
    assert (
        _run(
            folder,
            "shift",
            "lead",
            "--from",
            "together+1b",
            "--to",
            "together+4bar",
            "--by",
            "+6bar",
        )
        == 1
    )
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "not saved: the edit would leave 2 problems"
    assert "lead.toml:" in out[0] and "is not after keyframes[" in out[0]
    assert str(folder / "lead.toml") in out[0]  # the problem is placed in the folder's own file
    assert _files(folder) == before
    assert not [p for p in folder.iterdir() if p.name not in FILES]  # no temporary left


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["shift", "lead", "--from", "togther", "--to", "heartbeat", "--by", "2b"],
            'unknown cue "togther"',
        ),
        (
            ["shift", "lead", "--from", "together", "--to", "heartbeat", "--by", "two"],
            "cannot read amount",
        ),
        (
            ["shift", "lead", "--from", "heartbeat", "--to", "together", "--by", "2b"],
            "before it starts",
        ),
        (
            ["shift", "lead", "--from", "kneel+1", "--to", "kneel+2", "--by", "2b"],
            "no keyframe of lead",
        ),
        (
            ["copy", "lead", "--from", "together", "--to", "heartbeat", "--at", "nowhere"],
            'unknown cue "nowhere"',
        ),
        (
            ["shift", "lead", "--from", "together", "--to", "heartbeat", "--by", "+2c"],
            "cannot move by counts",
        ),
        (["mirror", "partner", "--from", "1", "--to", "2"], "no keyframe of partner"),
        (["shift", "him", "--from", "1", "--to", "2", "--by", "2b"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    before = _files(folder)
    with pytest.raises(SystemExit) if argv[1] == "him" else _nothing():
        code = _run(folder, *argv)
        assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0]
    assert _files(folder) == before


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_folder_that_fails_check_is_not_edited(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "lead.toml").write_text(LEAD.replace('pose = "breathe_in"', 'pose = "breath_in"'))
    before = _files(folder)
    assert (
        _run(folder, "shift", "lead", "--from", "together", "--to", "heartbeat", "--by", "2b") == 1
    )
    assert "does not pass check" in capsys.readouterr().out
    assert _files(folder) == before


def test_a_dry_run_shows_the_diff_and_writes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(folder)
    assert (
        _run(
            folder,
            "shift",
            "lead",
            "--from",
            "together+1b",
            "--to",
            "together+5b",
            "--by",
            "1b",
            "--dry-run",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert '-at = "together+4b"\n+at = "together+5b"' in out and "nothing written" in out
    assert _files(folder) == before


def test_copy_writes_the_phrase_from_the_new_cue_in_the_same_counts(folder: Path) -> None:
    before = load_choreography(folder)
    argv = [
        "copy",
        "lead",
        "--from",
        "together",
        "--to",
        "together+2bar+3b",
        "--at",
        "heartbeat+1bar",
    ]
    assert _run(folder, *argv) == 0
    text = (folder / "lead.toml").read_text()
    for at in ('"heartbeat+1bar"', '"heartbeat+1bar+4b"', "'heartbeat+1bar+2bar+3b'"):
        assert f"at = {at}" in text
    assert _comments(text)[: len(_comments(LEAD))] == _comments(LEAD)
    duet = (folder / "duet.toml").read_text()
    assert 'start = "heartbeat+1bar+4b"' in duet and 'end = "heartbeat+1bar+2bar"' in duet
    after = load_choreography(folder)
    old, new = before.dancers["lead"].keyframes, after.dancers["lead"].keyframes
    assert len(new) == len(old) + 3
    t = after.sheet.tempo.after_bars(after.sheet.time_of("heartbeat"), 1)
    copies = [k for k in new if k.t >= t - 1e-9]
    assert [k.pose for k in copies] == ["stand", "breathe_in", "breathe_out"]
    assert [k.x for k in copies] == [k.x for k in old[1:4]]
    assert [k.facing for k in copies] == [k.facing for k in old[1:4]]
    assert len(after.contacts) == len(before.contacts) + 1


def test_a_copy_onto_other_keyframes_is_refused(folder: Path) -> None:
    before = _files(folder)
    argv = ["copy", "lead", "--from", "together", "--to", "together+2bar+3b", "--at", "together+2b"]
    assert _run(folder, *argv) == 1
    assert _files(folder) == before


def test_mirror_swaps_the_limbs_turns_the_facing_and_mirrors_x(folder: Path) -> None:
    before = load_choreography(folder)
    argv = ["mirror", "both", "--from", "together", "--to", "together+2bar+3b"]
    assert _run(folder, *argv) == 0
    after = load_choreography(folder)
    for who in ("lead", "partner"):
        old, new = before.dancers[who].keyframes, after.dancers[who].keyframes
        for a, b in zip(old[1:4], new[1:4], strict=True):
            assert b.pose == a.pose + "_mirrored" and b.x == -a.x and b.facing == -a.facing
            for j, joint in enumerate(JOINTS):
                side = joint.replace("l_", "R").replace("r_", "l_").replace("R", "r_")
                assert b.angles[j] == pytest.approx(a.angles[JOINTS.index(side)])
        for a, b in ((old[0], new[0]), (old[4], new[4])):  # outside: where it was
            assert (a.pose, a.x, a.facing) == (b.pose, b.x, b.facing)
    hold = after.contacts[0]
    assert (hold.lead_part, hold.partner_part) == ("l_hand", "r_hand")
    assert "[breathe_in_mirrored]" in (folder / "poses.toml").read_text()


def test_mirror_twice_gives_the_phrase_back(folder: Path) -> None:
    before = load_choreography(folder)
    # both: mirrored alone he would let go of her hand (a hold out of reach is refused)
    argv = ["mirror", "both", "--from", "together", "--to", "together+2bar+3b", "--about", "0.5"]
    assert _run(folder, *argv) == 0
    assert _run(folder, *argv) == 0
    after = load_choreography(folder)
    for a, b in zip(before.dancers["lead"].keyframes, after.dancers["lead"].keyframes, strict=True):
        assert (a.t, a.pose, a.x, a.facing) == (b.t, b.pose, pytest.approx(b.x), b.facing)


def test_shift_text_adds_to_the_last_term_of_the_same_unit() -> None:
    from thereturn_viz.show.cues import Cue, CueSheet
    from thereturn_viz.show.tempo import TempoMap

    sheet = CueSheet((Cue("open", 0.0, ""), Cue("kneel", 30.0, "")), TempoMap(10.0, 60, 4))
    assert shift_text("kneel+1bar+2b", Amount(-2, "b"), sheet) == "kneel+1bar"
    assert shift_text("kneel - 2", Amount(2, "s"), sheet) == "kneel"
    assert shift_text("kneel+2b", Amount(1, "bar"), sheet) == "kneel+2b+1bar"
    assert shift_text("12.5", Amount(2, "b"), sheet) == 14.5
