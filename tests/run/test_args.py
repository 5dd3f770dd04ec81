"""Command-line values and outputs: every output is claimed before any is created."""

from __future__ import annotations

from pathlib import Path

import pytest

from thereturn_viz.run.args import Output, UsageError, claim_outputs


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_claiming_creates_the_folders_and_leaves_no_file(tmp_path: Path) -> None:
    claim_outputs([Output(tmp_path / "a" / "frames", "OUT", folder=True)])
    claim_outputs([Output(tmp_path / "b" / "c" / "t.jsonl", "--trace")])
    assert _tree(tmp_path) == ["a", "a/frames", "b", "b/c"]


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        (Output(Path("{tmp}/a_file/t.jsonl"), "--trace"), "a_file is a file, not a folder"),
        (Output(Path("{tmp}/a_file/x/t.jsonl"), "--trace"), "a_file is a file, not a folder"),
        (Output(Path("{tmp}"), "--trace"), "is a folder, expected a file"),
        (Output(Path("{tmp}/a_file"), "OUT", folder=True), "is a file, expected a folder"),
        (Output(Path("/proc/no/t.jsonl"), "--trace"), "cannot write"),
        (Output(Path("/proc/t.jsonl"), "--trace"), "cannot write"),
    ],
)
def test_a_refusal_names_the_option_and_leaves_the_disk_as_it_was(
    bad: Output, needle: str, tmp_path: Path
) -> None:
    (tmp_path / "a_file").write_text("kept")
    bad = Output(Path(str(bad.path).replace("{tmp}", str(tmp_path))), bad.option, bad.folder)
    good = Output(tmp_path / "out" / "deep" / "frames", "OUT", folder=True)
    with pytest.raises(UsageError) as exc:
        claim_outputs([good, bad])
    assert str(exc.value).startswith(f"{bad.option} {bad.path}: ") and needle in str(exc.value)
    assert _tree(tmp_path) == ["a_file"] and (tmp_path / "a_file").read_text() == "kept"


def test_an_existing_file_is_left_as_it_was(tmp_path: Path) -> None:
    old = tmp_path / "t.jsonl"
    old.write_text("yesterday's trace\n")
    claim_outputs([Output(old, "--trace")])
    assert old.read_text() == "yesterday's trace\n" and _tree(tmp_path) == ["t.jsonl"]


# -- values refused by the parser: one line, exit 2, whatever the command -----------------------


def _exit_code(argv: list[str]) -> int:
    from thereturn_viz.cli import main

    try:
        return main(argv)
    except SystemExit as exc:  # argparse's own refusals
        return int(exc.code or 0)


BAD_VALUES = [
    (["sheet", "{tmp}/s.png", "--seed", "-1"], "--seed"),
    (["export", "{tmp}/OUT", "--at", "1", "--seed", "-1"], "--seed"),
    (["play", "--seed", "-1"], "--seed"),
    (["kiosk", "--seed", "-1"], "--seed"),
    (["kiosk", "--seed", "4294967296"], "--seed"),
    (["kiosk", "--seed", "one"], "--seed"),
    (["kiosk", "--loops", "0"], "--loops"),
    (["kiosk", "--loops", "-3"], "--loops"),
    (["kiosk", "--av-offset", "nan"], "--av-offset"),
    (["kiosk", "--av-offset", "1e308"], "--av-offset"),
    (["play", "--av-offset", "-inf"], "--av-offset"),
    (["play", "--av-offset", "2001"], "--av-offset"),
    (["export", "{tmp}/OUT", "--size", "-5x10"], "--size -5x10"),
    (["sheet", "{tmp}/s.png", "--size", "-5x10"], "--size -5x10"),
    (["kiosk", "--size", "-5x10"], "--size -5x10"),
    (["kiosk", "--colour", "red"], "--colour"),
]


@pytest.mark.parametrize(("argv", "needle"), BAD_VALUES, ids=[" ".join(a) for a, _ in BAD_VALUES])
def test_a_bad_value_is_one_line_and_exit_2(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_code([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ") and needle in err[0], err
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("argv", "name", "value"),
    [
        (["kiosk", "--av-offset", "-40"], "av_offset", -40.0),
        (["kiosk", "--av-offset", "-1e3"], "av_offset", -1000.0),
        (["play", "--av-offset", "2000"], "av_offset", 2000.0),
        (["kiosk", "--seed", "4294967295"], "seed", 4294967295),
        (["kiosk", "--loops", "1"], "loops", 1),
    ],
)
def test_values_at_the_edges_are_taken(argv: list[str], name: str, value: object) -> None:
    from thereturn_viz.cli import build_parser

    assert getattr(build_parser().parse_args(argv), name) == value
