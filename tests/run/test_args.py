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
