"""Outputs written whole or not at all: the checks that catch a cut-short file, and the commands
on a disk that fills (a file size limit in a subprocess: writes past it fail as on a full disk)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from thereturn_viz.cli import main
from thereturn_viz.run.args import ExportFailed
from thereturn_viz.run.encode import mp4_problem
from thereturn_viz.run.outputs import png_problem, save_png, write_text


def _picture(w: int = 64, h: int = 36) -> pygame.Surface:
    surf = pygame.Surface((w, h))
    for x in range(w):
        pygame.draw.line(surf, (x * 4 % 256, 90, 255 - x * 3 % 256), (x, 0), (x, h - 1))
    return surf


def test_a_whole_png_passes_and_every_cut_short_one_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    pygame.image.save(_picture(), str(path))
    assert png_problem(path, (64, 36)) is None
    data = path.read_bytes()
    for cut in (0, 5, 8, 20, 33, len(data) // 2, len(data) - 12, len(data) - 1):
        path.write_bytes(data[:cut])
        assert png_problem(path, (64, 36)) is not None, cut
    path.write_bytes(data)
    assert png_problem(path, (32, 36)) == "its header says 64x36, expected 32x36"


def test_a_save_that_truncates_silently_leaves_no_file_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pygame.image.save returns without a word when the disk fills: the check catches it."""
    real = pygame.image.save

    def truncating(surface: pygame.Surface, name: str) -> None:
        real(surface, name)
        with open(name, "r+b") as f:
            f.truncate(100)

    monkeypatch.setattr(pygame.image, "save", truncating)
    target = tmp_path / "still.png"
    with pytest.raises(ExportFailed, match=r"cannot write .*still\.png: it is cut short"):
        save_png(_picture(), target)
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_an_old_file_stays_whole_when_its_replacement_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "still.png"
    save_png(_picture(), target)
    before = target.read_bytes()
    monkeypatch.setattr(pygame.image, "save", lambda surface, name: Path(name).write_bytes(b""))
    with pytest.raises(ExportFailed, match="it is empty"):
        save_png(_picture(32, 18), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["still.png"]


def test_a_text_file_is_checked_for_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_text(tmp_path / "m.json", "{}\n")
    assert (tmp_path / "m.json").read_text() == "{}\n"
    real_open = open

    def short_open(name: object, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        f = real_open(name, mode, *args, **kwargs)  # type: ignore[call-overload]
        if "w" in mode:
            real_write = f.write
            f.write = lambda data: real_write(data[:1])  # a write that stops short
        return f

    monkeypatch.setattr("builtins.open", short_open)
    with pytest.raises(ExportFailed, match=r"t\.jsonl: 1 of 9 bytes written"):
        write_text(tmp_path / "t.jsonl", "[1,2,3]\n\n")
    assert not (tmp_path / "t.jsonl").exists()


def test_a_cut_short_mp4_is_caught(tmp_path: Path) -> None:
    ok = b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00" + b"\x00\x00\x00\x08moov"
    ok += b"\x00\x00\x00\x0cmdat" + b"abcd"
    path = tmp_path / "a.mp4"
    path.write_bytes(ok)
    assert mp4_problem(path) is None
    for cut in (0, 10, 20, len(ok) - 1):
        path.write_bytes(ok[:cut])
        assert mp4_problem(path) is not None, cut


def _limited(args: list[str], cwd: Path, limit: int = 3000) -> subprocess.CompletedProcess[str]:
    """The command in a process that may write files of at most ``limit`` bytes: a write
    past it fails (EFBIG) as one on a full disk would (ENOSPC)."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the signal kills the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return subprocess.run(
        [sys.executable, "-m", "thereturn_viz", *args],
        preexec_fn=cap,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_stills_on_a_full_disk_exit_1_naming_the_file_and_leave_no_broken_png(
    tmp_path: Path,
) -> None:
    """Before: 'wrote 2 frames', exit 0, two PNGs cut at the limit and a manifest."""
    out = tmp_path / "st"
    args = ["export", str(out), "--at", "eyes_meet", "--at", "together", "--size", "320x180"]
    proc = _limited([*args, "--quiet", "--jobs", "1"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1
    assert f"cannot write {out / 'frame_001260.png'}" in proc.stderr
    assert list(out.iterdir()) == []


def test_a_contact_sheet_on_a_full_disk_exits_1_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: 'drew 19 cues', exit 0, a PNG cut short. (The sheet's drawing is stood in for:
    what is tested is its writing.)"""
    import thereturn_viz.run.sheet as sheet

    monkeypatch.setattr(sheet, "make_sheet", lambda choreography, job: _picture())
    real = pygame.image.save

    def full_disk(surface: pygame.Surface, name: str) -> None:
        real(surface, name)
        with open(name, "r+b") as f:
            f.truncate(0)

    out = tmp_path / "sheet.png"
    assert main(["sheet", str(out), "--quiet"]) == 0
    assert png_problem(out, (64, 36)) is None
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.png"]
    out.unlink()
    monkeypatch.setattr(pygame.image, "save", full_disk)
    assert main(["sheet", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {out}: it is empty" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
