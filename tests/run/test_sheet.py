"""The contact sheet: one labelled still per cue, from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pygame
import pytest

from thereturn_viz.cli import main
from thereturn_viz.run.sheet import cell, grid, stills
from thereturn_viz.show.choreography import Choreography

STILL = (64, 36)
COLUMNS = 5


def test_every_still_shows_its_own_cue_in_time_order(choreography: Choreography) -> None:
    sheet = choreography.sheet
    cells = stills(sheet)
    assert [c.cue for c in cells] == list(sheet.names)
    assert all(sheet.cue_at(c.t) == c.cue for c in cells)
    assert [c.t for c in cells] == sorted(c.t for c in cells)
    # a cue's instant is often black or unchanged: the stills are taken a little way in
    assert all(c.into > 0.0 for c in cells[:-1])
    assert cells[-1].t == sheet.duration  # `end`: the cut to black itself


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, pygame.Surface]:
    out = tmp_path_factory.mktemp("sheet") / "contact.png"
    argv = ["sheet", str(out), "--size", "x".join(map(str, STILL)), "--columns", str(COLUMNS)]
    code = main([*argv, "--quiet", "--no-film"])
    return code, str(out), pygame.image.load(str(out))


def _cell(paper: pygame.Surface, i: int) -> np.ndarray:
    return pygame.surfarray.array3d(paper.subsurface(cell(i, STILL, COLUMNS))).astype(np.float64)


def test_the_sheet_has_a_labelled_still_per_cue(
    drawn: tuple[int, str, pygame.Surface], choreography: Choreography
) -> None:
    code, _, paper = drawn
    assert code == 0
    n = len(choreography.sheet.cues)
    rows = -(-n // COLUMNS)
    assert COLUMNS * STILL[0] < paper.get_width() < (COLUMNS + 1) * STILL[0]
    assert rows * STILL[1] < paper.get_height() < rows * 2 * STILL[1]
    names = choreography.sheet.names
    cells = {name: _cell(paper, i) for i, name in enumerate(names)}
    assert cells["end"].max() == 0.0  # the cut to black
    assert cells["lift_apex"].mean() > 30.0
    assert cells["lift_apex"].mean() > cells["open"].mean()  # the light has turned
    # each still has its own picture, and a label under it (light ink on dark paper)
    assert not np.array_equal(cells["together"], cells["after"])
    first = cell(0, STILL, COLUMNS)
    band = pygame.Rect(first.x, first.bottom, first.w, grid(STILL)[1])
    under = pygame.surfarray.array3d(paper.subsurface(band))
    assert under.max() > 150  # the label's ink


def test_the_sheet_refuses_a_broken_choreography(
    tmp_path: Path, choreography: Choreography, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "choreography"
    shutil.copytree(choreography.folder, folder)
    (folder / "cues.toml").write_text("[[cue]]\nname = 3\n")
    out = tmp_path / "sheet.png"
    assert main(["sheet", str(out), "--choreography", str(folder), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "cues.toml" in err and "problem" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "needle"),
    [(["--size", "0x0"], "--size"), (["--columns", "0"], "--columns")],
)
def test_the_sheet_rejects_bad_options(
    tmp_path: Path, extra: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deeper" / "sheet.png"
    assert main(["sheet", str(out), *extra, "--quiet"]) == 2
    assert needle in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # not even the folder OUT would go in


def test_an_unwritable_sheet_is_refused_before_drawing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sheet", "/proc/forbidden/sheet.png", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "OUT /proc/forbidden/sheet.png: cannot write" in err and "Traceback" not in err


def test_the_sheet_must_be_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sheet", str(tmp_path / "sheet.jpg"), "--quiet"]) == 2
    assert ".png" in capsys.readouterr().err


def test_the_sheet_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sheet", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "python -m thereturn_viz sheet" in out
    for option in ("--size", "--columns", "--choreography", "--seed", "--no-film", "--quiet"):
        assert option in out
