"""The ``[tempo]`` table: its own words for each mistake, and changes that move forward."""

from __future__ import annotations

import pytest

from thereturn_viz.show.cues import Cue
from thereturn_viz.show.errors import ChoreographyError, Kind
from thereturn_viz.show.loader import load_cues
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.timing import parse_time
from thereturn_viz.show.validate.tempo import check_tempo

from ..conftest import Files, problems, the

CUES = [Cue("open", 0.0, ""), Cue("after", 100.0, ""), Cue("end", 200.0, "")]


@pytest.mark.parametrize(
    ("path", "value", "key", "words"),
    [
        (("tempo", "bpm"), "600", "cues.tempo.bpm", "from 20 to 240"),
        (("tempo", "meter"), '"three"', "cues.tempo.meter", 'like "3/4"'),
        (("tempo", "origin"), '"firstnote"', "cues.tempo.origin", 'did you mean "first_note"?'),
        (("tempo", "bmp"), "60", "cues.tempo.bmp", 'did you mean "bpm"?'),
        (("tempo", "origin"), '"bar 3"', "cues.tempo.origin", "bars count from the origin"),
    ],
)
def test_cue_sheet_and_tempo_problems(
    files: Files, path: tuple[str | int, ...], value: str, key: str, words: str
) -> None:
    files.set("cues.toml", path, value)
    p = the(problems(files.folder), "cues.toml", key)
    assert words in str(p)


def test_tempo_change_at_an_unknown_cue(files: Files) -> None:
    files.drop_tempo_changes()  # so that the misspelt one is the first, change[0]
    files.append("cues.toml", '[[tempo.change]]\nat = "aftr"\nbpm = 60')
    p = the(problems(files.folder), "cues.toml", "cues.tempo.change[0].at")
    assert p.message == 'unknown cue "aftr"' and p.suggestion == 'did you mean "after"?'
    assert p.kind is Kind.UNKNOWN_CUE


def test_absurd_integers_in_the_tempo(files: Files) -> None:
    files.set("cues.toml", ("tempo", "bpm"), "9" * 400)
    files.drop_tempo_changes()  # so that the absurd one is the first, change[0]
    files.append("cues.toml", "[[tempo.change]]\nat = " + "9" * 400 + "\nbpm = 60")
    found = problems(files.folder)
    assert "absurdly large" in the(found, "cues.toml", "cues.tempo.bpm").message
    assert "after the end" in the(found, "cues.toml", "cues.tempo.change[0].at").message


def test_tempo_changes_are_read_from_the_cue_sheet(files: Files) -> None:
    files.drop_tempo_changes()  # in place of the shipped ones
    files.append(
        "cues.toml",
        '[[tempo.change]]\nat = "bar 30"\nbpm = 68\n\n'
        '[[tempo.change]]\nat = "after"\nbpm = 60\nmeter = "4/4"',
    )
    sheet = load_cues(files.folder / "cues.toml")
    spans = sheet.tempo.spans
    assert [s.bar for s in spans][:2] == [1, 30] and spans[1].bpm == 68
    assert spans[2].t == sheet.time_of("after") and spans[2].beats_per_bar == 4
    assert parse_time("after", sheet) == sheet.tempo.time_of(spans[2].bar)


def test_tempo_changes_must_move_forward(files: Files) -> None:
    files.drop_tempo_changes()
    files.append("cues.toml", "[[tempo.change]]\nat = 30\nbpm = 68\n\n[[tempo.change]]\nat = 12")
    with pytest.raises(ChoreographyError) as exc:
        load_cues(files.folder / "cues.toml")
    (p,) = exc.value.problems
    assert p.key == "cues.tempo.change[1]" and p.kind is Kind.MISSING  # no bpm nor meter
    files.write("cues.toml", files.read("cues.toml").replace("at = 12", "at = 12\nbpm = 70"))
    with pytest.raises(ChoreographyError) as exc:
        load_cues(files.folder / "cues.toml")
    (p,) = exc.value.problems
    assert p.key == "cues.tempo.change[1].at" and p.kind is Kind.ORDER
    assert "not after the previous change (bar 30)" in p.message


def test_a_meter_and_beats_per_bar_must_agree() -> None:
    chk = Checker(Source("cues.toml", "cues"))
    tempo = check_tempo({"meter": "3/4", "beats_per_bar": 4}, CUES, chk)
    (p,) = chk.problems
    assert p.kind is Kind.CONFLICT and p.key == "cues.tempo.beats_per_bar"
    assert tempo.beats_per_bar == 3  # the meter's, the one read first
    chk = Checker(Source("cues.toml", "cues"))
    assert check_tempo({"beats_per_bar": 4, "bpm": 70}, CUES, chk).beats_per_bar == 4
    assert chk.problems == []


def test_a_change_at_a_time_must_fall_inside_the_piece() -> None:
    chk = Checker(Source("cues.toml", "cues"))
    base = {"origin": "open", "bpm": 60}
    tempo = check_tempo({**base, "change": [{"at": "after", "bpm": 90}]}, CUES, chk)
    assert chk.problems == [] and tempo.spans[-1].t == 100.0 and tempo.spans[-1].bpm == 90
    for at in ("end+1", "open", True, None):
        chk = Checker(Source("cues.toml", "cues"))
        tempo = check_tempo({**base, "change": [{"at": at, "bpm": 90}]}, CUES, chk)
        (p,) = chk.problems
        assert p.key == "cues.tempo.change[0].at" and len(tempo.spans) == 1, at


def test_a_tempo_that_is_not_a_table() -> None:
    chk = Checker(Source("cues.toml", "cues"))
    tempo = check_tempo("fast", CUES, chk)
    (p,) = chk.problems
    assert p.kind is Kind.TYPE and tempo.bpm == 64.0
