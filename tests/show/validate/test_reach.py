"""A lift the carrier cannot reach is reported in duet.toml, with what would work."""

from __future__ import annotations

from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.validate.duet import overhead_reach

from ..conftest import Files, problems, the


def _lift_row(files: Files) -> int:
    piece = load_choreography(files.folder)
    return next(i for i, c in enumerate(piece.contacts) if c.kind == "lift")


def test_a_lift_out_of_his_reach_is_reported_with_the_height_that_works(files: Files) -> None:
    row = _lift_row(files)
    files.set("duet.toml", ("contacts", row, "height"), "2.4")
    p = the(problems(files.folder), "duet.toml", f"duet.contacts[{row}].height")
    assert "out of the lead's reach" in p.message and "2.40" in p.message
    assert "height = 2.00 or lower" in p.suggestion


def test_the_shipped_lift_is_within_reach(files: Files) -> None:
    piece = load_choreography(files.folder)
    lift = piece.contacts[_lift_row(files)]
    assert lift.height <= overhead_reach(piece.dancers["lead"].height)


def test_a_taller_carrier_reaches_higher() -> None:
    assert overhead_reach(1.9) > overhead_reach(1.8) > 1.9
