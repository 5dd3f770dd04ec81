"""Readable exports: the time burnt into a corner, the target skeletons, a camera that follows
the dancers; the same marks on the contact sheet; a frame without them is unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from thereturn_viz.cli import main
from thereturn_viz.paths import default_choreography
from thereturn_viz.performance import Performance
from thereturn_viz.render.camera import View
from thereturn_viz.run.follow import Follow
from thereturn_viz.show.loader import load_choreography


def _pixels(path: Path) -> np.ndarray:
    surf = pygame.image.load(str(path))
    return (
        np.frombuffer(pygame.image.tobytes(surf, "RGB"), np.uint8)
        .reshape(surf.get_height(), surf.get_width(), 3)
        .astype(np.int16)
    )


def _export(folder: Path, *marks: str) -> np.ndarray:
    argv = ["export", str(folder), "--at", "together+3", "--size", "320x180", "--quiet"]
    assert main([*argv, "--jobs", "1", *marks]) == 0
    return _pixels(folder / "frame_003690.png")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    return _export(tmp_path_factory.mktemp("plain"))


def test_label_marks_only_the_bottom_left_corner(plain: np.ndarray, tmp_path: Path) -> None:
    labelled = _export(tmp_path, "--label")
    changed = np.argwhere(np.abs(labelled - plain).sum(axis=2) > 0)
    assert len(changed) > 200  # text was drawn
    assert changed[:, 0].min() > 180 * 0.8 and changed[:, 1].max() < 320 * 0.75


def test_targets_draw_the_skeletons_in_their_colour(plain: np.ndarray, tmp_path: Path) -> None:
    marked = _export(tmp_path, "--targets")
    cyan = (marked[..., 2] > 200) & (marked[..., 1] > 180) & (marked[..., 0] < 140)
    assert cyan.sum() > 100 and ((plain[..., 2] > 200) & (plain[..., 0] < 140)).sum() < 10


def test_follow_frames_the_dancers_larger_than_the_studio_view() -> None:
    chor = load_choreography(default_choreography())
    perf = Performance(chor, 0)
    t = chor.sheet.time_of("together") + 3
    perf.start_at(t - 0.1)
    perf.advance_to(t)
    fs = perf.frame_state(t, targets=False)
    framed = Follow(chor)(fs)
    assert framed.camera.zoom > fs.camera.zoom * 1.3
    view = View(1920, 1080, framed.camera)
    for d in framed.dancers:  # every point of both figures is in the picture
        for s in d.segments:
            x, y = view.to_screen(*s.a, 11.0 - d.depth)
            assert 0 < x < 1920 and 0 < y < 1080


def test_the_sheet_takes_the_same_marks(tmp_path: Path) -> None:
    argv = ["sheet", "--size", "96x54", "--columns", "5", "--quiet", "--no-film"]
    assert main([*argv, str(tmp_path / "plain.png")]) == 0
    assert main([*argv, "--label", "--follow", "--targets", str(tmp_path / "marked.png")]) == 0
    a, b = _pixels(tmp_path / "plain.png"), _pixels(tmp_path / "marked.png")
    assert a.shape == b.shape and np.abs(a - b).mean() > 1.0


def test_marks_with_bad_input_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "OUT"
    assert main(["export", str(out), "--at", "nowhere", "--label", "--follow"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and not out.exists()
