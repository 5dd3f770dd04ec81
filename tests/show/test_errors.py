"""Problems as data: printed the way editors link them, with fields a program can read."""

from __future__ import annotations

from thereturn_viz.show.errors import (
    ChoreographyError,
    Fault,
    FaultError,
    Kind,
    Problem,
    closest,
    describe,
    did_you_mean,
)


def test_a_problem_prints_file_line_column_key_message_and_suggestion() -> None:
    p = Problem("a/lead.toml", "lead.keyframes[2].x", "too far", "move it", 12, 5)
    assert str(p) == "a/lead.toml:12:5: lead.keyframes[2].x: too far (move it)"
    assert p.text("lead.toml:12") == "lead.toml:12: lead.keyframes[2].x: too far (move it)"
    assert str(Problem("a/lead.toml", "", "the file is empty")) == "a/lead.toml: the file is empty"
    assert Problem("f", "k", "m", line=3).where == "f:3"  # a column only with a line


def test_an_error_carries_every_problem_in_order() -> None:
    first, second = Problem("a", "", "one"), Problem("b", "k", "two", "hint")
    exc = ChoreographyError([first, second])
    assert exc.problems == (first, second) and str(exc) == "a: one\nb: k: two (hint)"


def test_a_fault_error_says_its_fault() -> None:
    fault = Fault(Kind.UNKNOWN_NAME, 'unknown pose "x"', "a pose", 'did you mean "y"?', "x")
    exc = FaultError(fault)
    assert exc.fault is fault and isinstance(exc, ValueError)
    assert str(exc) == 'unknown pose "x" (did you mean "y"?)'
    assert str(Fault(Kind.RANGE, "too big")) == "too big"


def test_closest_names_only_a_near_match() -> None:
    assert closest("togther", ["together", "touch"]) == "together"
    assert closest("xyz", ["together"]) is None and did_you_mean("xyz", ["together"]) == ""
    assert did_you_mean("lft", ["left", "right"]) == 'did you mean "left"?'


def test_describe_never_prints_a_screenful() -> None:
    assert describe({"a": 1}) == "a table" and describe([1, 2]) == "a list of 2"
    assert describe(10**100).endswith("...") and len(describe(10**100)) == 43
    assert describe(False) == "false" and describe(1.5) == "1.5"
