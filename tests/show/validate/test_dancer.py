"""A dancer's file: height, entrance, and keyframes each later than the one before."""

from __future__ import annotations

from thereturn_viz.show.cues import Cue, CueSheet
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.tempo import TempoMap
from thereturn_viz.show.validate.dancer import check_dancer
from thereturn_viz.show.validate.keyframe import Known

from ..conftest import Files, problems, the

SHEET = CueSheet((Cue("open", 0.0, ""), Cue("enter", 4.0, ""), Cue("end", 10.0, "")), TempoMap())
KNOWN = Known(SHEET, {"neutral": (0.0,) * 16}, {"neutral"})


def test_keyframes_out_of_order(files: Files) -> None:
    first = files.get("lead.toml", ("keyframes", 0, "at"))
    files.set("lead.toml", ("keyframes", 6, "at"), first)
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[6].at")
    assert "not after keyframes[5]" in p.message and "time order" in p.suggestion
    assert p.kind is Kind.ORDER


def test_an_order_error_names_the_time_as_written(files: Files) -> None:
    """ "140.80 s" cannot be found in a file that says together+20.8: both are named."""
    files.set("lead.toml", ("keyframes", 6, "at"), '"open+0.5"')
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[6].at")
    assert p.message.startswith("open+0.5 (0.50 s) is not after keyframes[5] (")
    written = files.get("lead.toml", ("keyframes", 5, "at")).strip('"')
    assert f"({written} (" in p.message


def test_height_and_entrance_of_the_dancer(files: Files) -> None:
    files.set("partner.toml", ("dancer", "height"), '"tall"')
    files.set("partner.toml", ("dancer", "enters"), '"partner_enter"')
    found = problems(files.folder)
    assert "not a number" in the(found, "partner.toml", "partner.dancer.height").message
    p = the(found, "partner.toml", "partner.dancer.enters")
    assert p.suggestion == 'did you mean "partner_enters"?'


def test_a_script_from_a_sound_file() -> None:
    chk = Checker(Source("partner.toml", "partner"))
    data = {
        "dancer": {"enters": "enter"},
        "keyframes": [{"at": 4, "pose": "neutral"}, {"at": "end", "pose": "neutral", "x": 1}],
    }
    script = check_dancer("partner", data, KNOWN, chk)
    assert chk.problems == [] and script is not None
    assert script.name == "partner" and script.height == 1.65 and script.enters == 4.0
    assert [k.t for k in script.keyframes] == [4.0, 10.0]
    lead = check_dancer("lead", {"keyframes": data["keyframes"]}, KNOWN, chk)
    assert lead is not None and lead.height == 1.8 and lead.enters == 0.0


def test_no_script_while_anything_is_wrong() -> None:
    chk = Checker(Source("lead.toml", "lead"))
    data = {"dancer": {"height": 3.0}, "keyframes": [{"at": 1, "pose": "neutral"}]}
    assert check_dancer("lead", data, KNOWN, chk) is None
    (p,) = chk.problems
    assert p.key == "lead.dancer.height" and p.kind is Kind.RANGE
    for keyframes, kind in (([], Kind.TYPE), (None, Kind.MISSING)):
        chk = Checker(Source("lead.toml", "lead"))
        table = {} if keyframes is None else {"keyframes": keyframes}
        assert check_dancer("lead", table, KNOWN, chk) is None
        (p,) = chk.problems
        assert p.key == "lead.keyframes" and p.kind is kind
