"""Reading a file: every way it can fail is one problem naming the file (and the line, where one
can be found), never a crash, a hang or an endless read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thereturn_viz.show.errors import ChoreographyError, Kind
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.reading import Checker, Source, locate, read_source

from .conftest import Files, problems, the


def test_toml_syntax_error_names_line_and_column(files: Files) -> None:
    line = files.set("duet.toml", ("contacts", 1, "end"), '"together+7.4')  # unclosed string
    (p,) = problems(files.folder)
    assert Path(p.file).name == "duet.toml" and p.kind is Kind.SYNTAX
    assert p.line == line and p.column > 0
    assert p.message.startswith("TOML syntax error: ") and "(at line" not in p.message
    assert str(p).startswith(f"{p.file}:{line}:{p.column}: ")


def test_an_integer_too_long_to_read_names_its_line(files: Files) -> None:
    line = files.set("partner.toml", ("keyframes", 6, "x"), "7" * 5000)
    (p,) = problems(files.folder)
    assert Path(p.file).name == "partner.toml" and p.line == line and p.kind is Kind.RANGE
    assert "absurd number" in p.message and "5000 digits" in p.message


def test_a_byte_order_mark_is_not_an_error(files: Files) -> None:
    """Some editors start UTF-8 files with a BOM, which TOML itself rejects."""
    (files.folder / "lead.toml").write_bytes(b"\xef\xbb\xbf" + files.read("lead.toml").encode())
    files.set("lead.toml", ("keyframes", 3, "pose"), '"stnd"')
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[3].pose")
    assert p.line == files.line_of("lead.toml", ("keyframes", 3, "pose"))
    files.set("lead.toml", ("keyframes", 3, "pose"), '"stand"')  # the mark stays in the file
    assert (files.folder / "lead.toml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_choreography(files.folder).dancers["lead"].keyframes[3].pose == "stand"


def test_empty_file(files: Files) -> None:
    files.write("poses.toml", "  \n\n")
    (p,) = [p for p in problems(files.folder) if Path(p.file).name == "poses.toml"]
    assert p.message == "the file is empty" and p.kind is Kind.FILE and p.key == ""


def test_binary_file(folder: Path) -> None:
    (folder / "lead.toml").write_bytes(bytes(range(256)) * 4)
    (p,) = problems(folder)
    assert Path(p.file).name == "lead.toml" and "binary" in p.message


def test_not_utf8(folder: Path) -> None:
    (folder / "duet.toml").write_bytes(b"# caf\xe9\n[[contacts]]\n")
    (p,) = problems(folder)
    assert Path(p.file).name == "duet.toml" and "not UTF-8" in p.message and p.line == 1


def test_unreadable_file(folder: Path) -> None:
    (folder / "partner.toml").unlink()
    os.symlink("partner.toml", folder / "partner.toml")  # a link to itself: no one can read it
    (p,) = problems(folder)
    assert Path(p.file).name == "partner.toml" and "cannot read" in p.message


def test_a_folder_where_a_file_should_be(folder: Path) -> None:
    (folder / "partner.toml").unlink()
    (folder / "partner.toml").mkdir()
    (p,) = problems(folder)
    assert "is a folder" in p.message


def test_missing_file_suggests_a_misnamed_one(folder: Path) -> None:
    (folder / "lead.toml").rename(folder / "lead.tml")
    (p,) = problems(folder)
    assert Path(p.file).name == "lead.toml" and p.message == "file not found"
    assert p.suggestion == 'did you mean "lead.tml"?'


def test_a_missing_file_is_not_mistaken_for_another_it_needs(folder: Path) -> None:
    (folder / "duet.toml").unlink()
    (p,) = problems(folder)
    assert Path(p.file).name == "duet.toml" and p.message == "file not found"
    assert "cues.toml" not in p.suggestion and "duet.toml" in p.suggestion


def test_a_pipe_or_a_device_is_refused_not_read(folder: Path) -> None:
    (folder / "poses.toml").unlink()
    os.mkfifo(folder / "poses.toml")  # reading it would wait for a writer forever
    (folder / "duet.toml").unlink()
    os.symlink("/dev/zero", folder / "duet.toml")  # reading it would never end
    found = problems(folder)
    for name in ("poses.toml", "duet.toml"):
        p = [p for p in found if Path(p.file).name == name]
        assert len(p) == 1 and "not a regular file" in p[0].message


def test_a_huge_file_is_refused_not_read(folder: Path) -> None:
    with open(folder / "lead.toml", "a") as f:
        f.write("#" * 9_000_000)
    p = the(problems(folder), "lead.toml", "")
    assert "too large" in p.message


def test_read_source_keeps_the_text_for_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "lead.toml"
    path.write_text("[dancer]\nheight = 1.8\n\n[[keyframes]]\nat = 0\n")
    data, src = read_source(path)
    assert data["dancer"] == {"height": 1.8} and src.stem == "lead" and src.file == str(path)
    found: list = []
    Checker(src, found).add(("keyframes", 0, "at"), Kind.TIME, "too early", "later")
    (p,) = found
    assert (p.key, p.line, p.path, p.kind) == (
        "lead.keyframes[0].at",
        5,
        ("keyframes", 0, "at"),
        Kind.TIME,
    )
    assert str(p) == f"{path}:5: lead.keyframes[0].at: too early (later)"


def test_a_checker_counts_what_it_found() -> None:
    chk = Checker(Source("cues.toml", "cues"))
    assert chk.count == 0
    chk.add(("tempo", "bpm"), Kind.RANGE, "too fast", expected="20 to 240")
    (p,) = chk.problems
    assert chk.count == 1 and p.line == 0 and p.expected == "20 to 240"  # no text: no line


def test_locate_finds_keys_of_nested_and_repeated_tables() -> None:
    text = '[tempo]\norigin = "x"\n\n[[tempo.change]]\nat = 1\n\n[[tempo.change]]\nat = 2\n'
    assert locate(text, ("tempo", "origin")) == 2
    assert locate(text, ("tempo", "change", 1, "at")) == 8
    assert locate(text, ("tempo", "change", 1)) == 7
    assert locate(text, ("tempo", "nowhere")) == 1  # the table, where the key is missing


def test_a_missing_file_read_alone_is_a_choreography_error(tmp_path: Path) -> None:
    with pytest.raises(ChoreographyError) as exc:
        read_source(tmp_path / "cues.toml")
    (p,) = exc.value.problems
    assert p.kind is Kind.FILE and p.message == "file not found"
