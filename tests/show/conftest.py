"""A fresh copy of the shipped choreography per test, and a way to break it in one precise place.

Edits address keys by path (``("keyframes", 5, "pose")``) rather than by text, so the tests keep
working while the choreography itself is being rewritten.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thereturn_viz.show.errors import ChoreographyError, Problem
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.reading import locate

KeyPath = tuple[str | int, ...]


def without_tempo_changes(text: str) -> str:
    r"""A cue sheet's text without its ``[[tempo.change]]`` tables (each header and every line up
    to the next table): a test that appends changes of its own starts from the base tempo,
    whatever changes the shipped sheet carries.

    >>> without_tempo_changes("[tempo]\nbpm = 64\n\n[[tempo.change]]\nat = 9\n\n[[cue]]\nt = 0")
    '[tempo]\nbpm = 64\n\n[[cue]]\nt = 0\n'
    """
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        head = line.strip()
        if head.startswith("["):
            inside = head.replace(" ", "") == "[[tempo.change]]"
        if not inside:
            out.append(line)
    return "\n".join(out) + "\n"


class Files:
    """The choreography files of one folder, edited line by line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self, name: str) -> str:
        return (self.folder / name).read_text()

    def write(self, name: str, text: str) -> None:
        (self.folder / name).write_text(text)

    def line_of(self, name: str, path: KeyPath) -> int:
        line = locate(self.read(name), path)
        assert line, f"{path} not found in {name}"
        return line

    def set(self, name: str, path: KeyPath, value: str) -> int:
        """Give the key at ``path`` the TOML ``value`` (adding the key if the table lacks it);
        returns the 1-based line now holding it."""
        lines = self.read(name).splitlines()
        where = locate("\n".join(lines), path)
        table_line = locate("\n".join(lines), path[:-1]) if len(path) > 1 else 0
        key = path[-1]
        if where and where != table_line:
            lines[where - 1] = f"{key} = {value}"
        else:
            assert table_line, f"no table for {path} in {name}"
            lines.insert(table_line, f"{key} = {value}")
            where = table_line + 1
        self.write(name, "\n".join(lines) + "\n")
        return where

    def get(self, name: str, path: KeyPath) -> str:
        line = self.read(name).splitlines()[self.line_of(name, path) - 1]
        return line.split("=", 1)[1].split("#")[0].strip()

    def delete(self, name: str, path: KeyPath) -> None:
        lines = self.read(name).splitlines()
        where = self.line_of(name, path)
        assert "=" in lines[where - 1], f"{path} is not a key line"
        del lines[where - 1]
        self.write(name, "\n".join(lines) + "\n")

    def append(self, name: str, text: str) -> None:
        self.write(name, self.read(name) + "\n" + text + "\n")

    def drop_tempo_changes(self) -> None:
        """Take the ``[[tempo.change]]`` tables out of ``cues.toml`` (see
        :func:`without_tempo_changes`), checking that the base tempo is still read."""
        self.write("cues.toml", without_tempo_changes(self.read("cues.toml")))
        assert "[[tempo.change]]" not in self.read("cues.toml")
        assert self.line_of("cues.toml", ("tempo", "bpm"))


@pytest.fixture
def files(folder: Path) -> Files:
    return Files(folder)


def problems(folder: Path) -> tuple[Problem, ...]:
    """Every problem the loader finds in ``folder`` (there must be some, and only clean ones)."""
    with pytest.raises(ChoreographyError) as exc:
        load_choreography(folder)
    found = exc.value.problems
    assert found
    for p in found:
        assert p.file and p.message and "Traceback" not in str(p)
    return found


def the(found: tuple[Problem, ...], file: str, key: str) -> Problem:
    """The one problem reported for ``key`` of ``file``."""
    hits = [p for p in found if Path(p.file).name == file and p.key == key]
    assert len(hits) == 1, f"{file} {key}: {[str(p) for p in found]}"
    return hits[0]


def key_of(stem: str, path: KeyPath) -> str:
    """The printed key path of ``path`` in the file ``stem``: ``partner.keyframes[1].x``."""
    out = stem
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
