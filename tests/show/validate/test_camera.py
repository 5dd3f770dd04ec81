"""``[[camera]]`` in cues.toml: the camera's moves, each problem with its key path."""

from __future__ import annotations

import tomllib

import pytest

from thereturn_viz.show import looks
from thereturn_viz.show.loader import load_choreography

from ..conftest import Files, problems, the


def test_the_shipped_moves_are_read_in_time_order(files: Files) -> None:
    sheet = load_choreography(files.folder).sheet
    moves = sheet.camera
    assert len(moves) >= 5
    assert all(a.t < b.t for a, b in zip(moves, moves[1:], strict=False))
    # a pull back and a push in, eased: between two keys the zoom passes between them
    assert any(b.zoom < a.zoom for a, b in zip(moves, moves[1:], strict=False))
    assert any(b.zoom > a.zoom for a, b in zip(moves, moves[1:], strict=False))
    a, b = next((a, b) for a, b in zip(moves, moves[1:], strict=False) if a.zoom != b.zoom)
    mid = looks.camera((a.t + b.t) / 2, sheet)
    assert min(a.zoom, b.zoom) < mid < max(a.zoom, b.zoom)
    assert looks.camera(0.0, sheet) == moves[0].zoom
    assert looks.camera(sheet.duration, sheet) == moves[-1].zoom


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("zoom", "9.0", "zoom"),
        ("zoom", '"close"', "not a number"),
        ("at", '"nowhere"', "nowhere"),
        ("ease", '"in_out_sin"', 'did you mean "in_out_sine"?'),
    ],
)
def test_a_bad_move_is_reported_with_its_key(
    files: Files, key: str, value: str, words: str
) -> None:
    files.set("cues.toml", ("camera", 2, key), value)
    p = the(problems(files.folder), "cues.toml", f"cues.camera[2].{key}")
    assert words in p.message + p.suggestion


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        ("", "at", "not after the move before it"),
        ("pan = 2.0", "pan", 'unknown key "pan"'),
    ],
)
def test_moves_out_of_order_and_unknown_keys(
    files: Files, extra: str, key: str, words: str
) -> None:
    files.append("cues.toml", f'[[camera]]\nat = "open"\nzoom = 1.0\n{extra}')
    n = len(tomllib.loads(files.read("cues.toml"))["camera"]) - 1
    assert words in the(problems(files.folder), "cues.toml", f"cues.camera[{n}].{key}").message
