"""Numbers, keys and times as every file checks them: each way of being wrong has its own words
and its own kind."""

from __future__ import annotations

import pytest

from thereturn_viz.show.cues import Cue, CueSheet
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.tempo import TempoMap
from thereturn_viz.show.validate.fields import check_time, number_fault, unknown_keys

from ..conftest import Files, key_of, problems, the


@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        (None, Kind.MISSING, "missing: expected m from 0 to 2"),
        ("2", Kind.TYPE, 'got "2" (not a number)'),
        (True, Kind.TYPE, "got true (not a number)"),
        (float("nan"), Kind.RANGE, "got nan (not a number)"),
        (float("-inf"), Kind.RANGE, "got -inf (infinite)"),
        (3, Kind.RANGE, "got 3"),
        (-1e9, Kind.RANGE, "got -1e+09 (absurdly large)"),
        (10**400, Kind.RANGE, "got a 401-digit number (absurdly large)"),
    ],
)
def test_each_wrong_number_has_its_kind_and_words(value: object, kind: Kind, words: str) -> None:
    fault = number_fault(value, 0, 2, "m")
    assert fault is not None and fault.kind is kind and fault.expected == "m from 0 to 2"
    assert fault.message.endswith(words)


@pytest.mark.parametrize("value", [0, 2, 0.5, 2.0, -0.0])
def test_numbers_in_range_including_the_ends_are_fine(value: float) -> None:
    assert number_fault(value, 0, 2, "m") is None


def test_unknown_keys_name_the_closest_known_one_or_list_them_all() -> None:
    chk = Checker(Source("lead.toml", "lead"))
    unknown_keys(chk, {"at": 1, "efort": 2, "zzz": 3}, ("keyframes", 0), ("at", "effort"))
    typo, junk = chk.problems
    assert (typo.key, typo.kind, typo.subject) == (
        "lead.keyframes[0].efort",
        Kind.UNKNOWN_KEY,
        "efort",
    )
    assert typo.suggestion == 'did you mean "effort"?'
    assert junk.suggestion == "expected one of: at, effort"


def test_check_time_reads_cues_and_refuses_times_outside_the_piece() -> None:
    sheet = CueSheet(
        (Cue("open", 0.0, ""), Cue("kneel", 40.0, ""), Cue("end", 50.0, "")), TempoMap()
    )
    chk = Checker(Source("lead.toml", "lead"))
    assert check_time(chk, ("at",), "kneel+2", sheet) == 42.0
    assert check_time(chk, ("at",), 50, sheet) == 50.0  # the end itself is in the piece
    assert chk.problems == []
    for value in ("end+0.5", -1, "knel", None, [1]):
        assert check_time(chk, ("at",), value, sheet) is None
    kinds = [p.kind for p in chk.problems]
    assert kinds == [Kind.TIME, Kind.TIME, Kind.UNKNOWN_CUE, Kind.MISSING, Kind.TYPE]
    assert chk.problems[2].suggestion == 'did you mean "kneel"?'


@pytest.mark.parametrize(
    ("value", "words"), [('"open-3"', "before the start"), ('"end+5"', 'after "end"')]
)
def test_time_outside_the_piece(files: Files, value: str, words: str) -> None:
    files.set("partner.toml", ("keyframes", 3, "at"), value)
    p = the(problems(files.folder), "partner.toml", "partner.keyframes[3].at")
    assert words in p.message and "0 to 399" in p.message


def test_unknown_cue_suggests_the_closest(files: Files) -> None:
    line = files.set("lead.toml", ("keyframes", 5, "at"), '"togther+2"')
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[5].at")
    assert p.message == 'unknown cue "togther"' and p.suggestion == 'did you mean "together"?'
    assert p.kind is Kind.UNKNOWN_CUE and p.subject == "togther"
    assert p.path == ("keyframes", 5, "at") and p.line == line
    assert str(p).endswith('unknown cue "togther" (did you mean "together"?)')


@pytest.mark.parametrize(
    ("file", "path"),
    [
        ("lead.toml", ("keyframes", 3, "at")),
        ("duet.toml", ("contacts", 2, "start")),
        ("cues.toml", ("cue", 4, "t")),
    ],
)
def test_missing_times(files: Files, file: str, path: tuple[str | int, ...]) -> None:
    files.delete(file, path)
    p = the(problems(files.folder), file, key_of(file.removesuffix(".toml"), path))
    assert "missing" in p.message and p.kind is Kind.MISSING
