"""``cues.toml``'s cues: every cue of docs/story.md, once each, in time order, ``end`` last."""

from __future__ import annotations

from thereturn_viz.show.cues import MAX_SECONDS, STORY_CUES
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.validate.cues import check_cues, stand_in_sheet

from ..conftest import Files, problems, the


def _cues(*entries: tuple[str, float]) -> dict[str, object]:
    return {"cue": [{"name": n, "t": t} for n, t in entries]}


def _story(**times: float) -> dict[str, object]:
    """The cues of docs/story.md a second apart, some at other times."""
    return _cues(*((n, times.get(n, float(i))) for i, n in enumerate(STORY_CUES)))


def test_a_sheet_of_the_story_is_read() -> None:
    chk = Checker(Source("cues.toml", "cues"))
    sheet = check_cues(_story(), chk)
    assert chk.problems == [] and sheet is not None
    assert sheet.names == STORY_CUES and sheet.duration == len(STORY_CUES) - 1


def test_a_renamed_story_cue_is_missing_by_its_own_name(files: Files) -> None:
    """The rename is pointed at where it is written, and the name asked for is the story's:
    "did you mean" would offer the renamed cue back as if it were the answer."""
    files.set("cues.toml", ("cue", 13, "name"), '"knel"')
    found = problems(files.folder)
    (p,) = [p for p in found if p.subject == "kneel"]
    assert p.message.startswith("missing `kneel`") and p.kind is Kind.MISSING
    assert 'knel"' not in p.suggestion and "did you mean" not in p.suggestion
    assert p.suggestion.endswith('call this cue "kneel" again') and p.key == "cues.cue[13].name"


def test_cues_out_of_order(files: Files) -> None:
    files.set("cues.toml", ("cue", 5, "t"), "30.0")
    p = the(problems(files.folder), "cues.toml", "cues.cue[5].t")
    assert "comes before" in p.message and p.kind is Kind.ORDER


def test_a_cue_given_twice() -> None:
    data = _story()
    data["cue"].insert(3, {"name": "open", "t": 2.5})  # type: ignore[attr-defined]
    chk = Checker(Source("cues.toml", "cues"))
    assert check_cues(data, chk) is None
    kinds = {(p.key, p.kind) for p in chk.problems}
    assert ("cues.cue[3].name", Kind.DUPLICATE) in kinds


def test_the_last_cue_must_be_end_and_later_than_0() -> None:
    data = _story()
    data["cue"].append({"name": "encore", "t": 30.0})  # type: ignore[attr-defined]
    chk = Checker(Source("cues.toml", "cues"))
    assert check_cues(data, chk) is None
    (p,) = chk.problems
    assert (
        p.message == 'the last cue must be "end"' and p.key == f"cues.cue[{len(STORY_CUES)}].name"
    )
    chk = Checker(Source("cues.toml", "cues"))
    assert check_cues(_cues(*((n, 0.0) for n in STORY_CUES)), chk) is None
    (p,) = chk.problems
    assert p.message == "the piece must last more than 0 s"


def test_a_cue_that_is_not_a_name_or_not_a_number(files: Files) -> None:
    files.set("cues.toml", ("cue", 3, "t"), '"soon"')
    files.set("cues.toml", ("cue", 6, "name"), '"two words"')
    found = problems(files.folder)
    assert the(found, "cues.toml", "cues.cue[3].t").kind is Kind.TYPE
    assert "expected a cue name" in the(found, "cues.toml", "cues.cue[6].name").message


def test_no_cues_at_all() -> None:
    chk = Checker(Source("cues.toml", "cues"))
    assert check_cues({"tempo": {}}, chk) is None
    (p,) = chk.problems
    assert p.key == "cues.cue" and p.kind is Kind.MISSING


def test_the_stand_in_sheet_keeps_what_could_be_read() -> None:
    data = _story(collapse=float("nan"))
    data["cue"].append({"name": "open", "t": 99.0})  # type: ignore[attr-defined]
    sheet = stand_in_sheet(data)
    assert sheet is not None
    assert "collapse" not in sheet and sheet.time_of("open") == 0.0  # the first "open" kept
    assert sheet.names[-1] == "end"
    lost_end = {"cue": [{"name": "open", "t": 0.0}, {"name": "kneel", "t": 9.0}]}
    sheet = stand_in_sheet(lost_end)
    assert sheet is not None and sheet.duration == MAX_SECONDS  # nothing reported after it
    assert stand_in_sheet({"cue": "nope"}) is None and stand_in_sheet({"cue": [{}]}) is None
