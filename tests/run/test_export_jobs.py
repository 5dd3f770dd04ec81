"""Export in jobs (``--jobs``): the same frames however many jobs drew them, one job's failure
ending the export with its message and nothing under OUT's name, signals, colliding outputs."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio_ffmpeg
import pytest

from thereturn_viz.cli import main
from thereturn_viz.run import export

#: 6 s at 10 fps: frames 200-259, three chunks of 2 s (20 frames), one per job with --jobs 3
SPAN = ["--start", "20", "--end", "26", "--fps", "10", "--size", "96x54", "--quiet"]


def framemd5(path: Path) -> list[str]:
    """The decoded video frames' checksums (ffmpeg's framemd5 of the video stream)."""
    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v"]
        + ["-f", "framemd5", "-"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [line for line in proc.stdout.splitlines() if not line.startswith("#")]


def has_audio(path: Path) -> bool:
    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return "Audio: aac" in proc.stderr


def processes_naming(text: str) -> list[str]:
    """Command lines of the running processes that mention ``text`` (a test's folder)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmd:
            found.append(cmd)
    return found


def test_one_and_three_jobs_give_the_same_film_trace_and_sound(tmp_path: Path) -> None:
    films = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"j{jobs}.mp4"
        trace = tmp_path / f"j{jobs}.jsonl"
        assert main(["export", str(out), *SPAN, "--jobs", jobs, "--trace", str(trace)]) == 0
        films[jobs] = framemd5(out)
        assert has_audio(out)
    assert len(films["1"]) == 60
    assert films["1"] == films["3"]
    assert (tmp_path / "j1.jsonl").read_bytes() == (tmp_path / "j3.jsonl").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "j1.jsonl",
        "j1.mp4",
        "j3.jsonl",
        "j3.mp4",
    ]  # no partial file, no work folder


def test_png_folders_split_the_same_way(tmp_path: Path) -> None:
    for jobs in ("1", "3"):
        span = ["--start", "3", "--end", "3.5", "--fps", "10", "--size", "48x27", "--quiet"]
        assert main(["export", str(tmp_path / jobs), *span, "--jobs", jobs]) == 0
    one, three = (sorted((tmp_path / j).iterdir()) for j in ("1", "3"))
    assert [p.name for p in one] == [p.name for p in three]
    assert [p.name for p in one][-1] == "manifest.json" and len(one) == 6
    for a, b in zip(one, three, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    manifest = json.loads((tmp_path / "3" / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert [f["frame"] for f in manifest["frames"]] == [30, 31, 32, 33, 34]


def _failing_ffmpeg(tmp_path: Path, segment: str) -> Path:
    """An ffmpeg that fails, with a full disk's words, when asked to write ``segment``."""
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    real = imageio_ffmpeg.get_ffmpeg_exe()
    fake.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in\n'
        f"  *{segment}) head -c 20000 >/dev/null; echo 'No space left on device' >&2; exit 1;;\n"
        "esac; done\n"
        f'exec "{real}" "$@"\n'
    )
    fake.chmod(0o755)
    return fake


def test_a_failing_job_ends_the_export_with_its_message_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = _failing_ffmpeg(tmp_path, "segment_000011.mp4")
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(fake))  # the jobs' processes inherit it
    out = tmp_path / "out" / "clip.mp4"
    trace = tmp_path / "out" / "t.jsonl"
    code = main(["export", str(out), *SPAN, "--jobs", "3", "--trace", str(trace)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "job 2 of 3 (frames 220-239) failed" in err
    assert "stopped with code 1: No space left on device" in err
    assert list((tmp_path / "out").iterdir()) == []  # no OUT, no OUT.partial, no work, no trace
    assert multiprocessing.active_children() == []
    assert processes_naming(str(tmp_path)) == []


def test_an_encoder_that_dies_leaves_no_partial_file_and_no_score_in_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    fake = _failing_ffmpeg(tmp_path, ".mp4.partial")  # the join fails: every chunk was made
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(fake))
    out = tmp_path / "clip.mp4"
    assert main(["export", str(out), *SPAN, "--jobs", "1"]) == 1
    assert "joining the video (ffmpeg) stopped with code 1" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "tmp"]
    assert list(temp.iterdir()) == []


def _export_in_background(tmp_path: Path, jobs: str) -> tuple[subprocess.Popen[str], Path]:
    """A long export in a process of its own, returned once it is encoding (a chunk exists)."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "piece.mp4"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", TMPDIR=str(temp))
    proc = subprocess.Popen(
        [sys.executable, "-m", "thereturn_viz", "export", str(out), "--start", "10"]
        + ["--size", "32x18", "--fps", "10", "--jobs", jobs, "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".piece.mp4.*.work/segment_*.mp4")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the export did not start encoding"
        time.sleep(0.05)
    return proc, out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code", "jobs"), [(signal.SIGTERM, 143, "2"), (signal.SIGINT, 130, "1")]
)
def test_a_signal_stops_the_export_and_removes_everything_it_began(
    tmp_path: Path, sig: signal.Signals, code: int, jobs: str
) -> None:
    """Before: SIGTERM exited at once while ffmpeg went on to finish a playable, incomplete
    file under OUT's name; SIGINT exited 130 without a word; the score's WAV stayed in the
    temp folder."""
    proc, out = _export_in_background(tmp_path, jobs)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert stderr == f"export interrupted: nothing written to {out}\n"
    assert stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    assert list((tmp_path / "tmp").iterdir()) == []
    assert processes_naming(str(tmp_path)) == []


@pytest.mark.parametrize(
    "args",
    [
        ["same.mp4", "--trace", "same.mp4"],
        ["same.mp4", "--trace", "./same.mp4.partial"],
        ["DIR", "--at", "5", "--trace", "DIR/manifest.json"],
        ["DIR", "--at", "5", "--trace", "DIR/frame_000001.png"],
        [""],
        ["DIR", "--at", "5", "--trace", ""],
        ["DIR", "--at", "5", "--jobs", "0"],
        ["DIR", "--at", "5", "--memory", "0"],
        ["DIR", "--at", "5", "--memory", "nan"],
        ["DIR", "--at", "5", "--scheduler", "tcp://127.0.0.1:1"],
    ],
)
def test_colliding_or_empty_outputs_are_refused_before_anything_is_made(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    """Before: the trace overwrote the video, the manifest or a frame (exit 0), and
    ``export ""`` wrote into the current folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["export", *args, "--size", "32x18", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_old_manifest_goes_before_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a failed or interrupted export left the old manifest beside the new frames."""
    out = tmp_path / "frames"
    out.mkdir()
    (out / "manifest.json").write_text('{"frames": []}\n')
    import pygame

    def full(surface: pygame.Surface, name: str) -> None:
        raise pygame.error("No space left on device")

    monkeypatch.setattr(pygame.image, "save", full)
    assert main(["export", str(out), "--at", "2", "--size", "32x18", "--quiet"]) == 1
    assert list(out.iterdir()) == []


def test_the_default_jobs_fit_in_the_memory_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default one job per core, but no more than --memory holds: a 4K job peaks at about
    1.1 GB (benchmarks/export_4k.py), so two would pass the 1.5 GB a 4K master may take."""
    monkeypatch.setattr(export, "cores", lambda: 8)
    frames = list(range(12000))

    def jobs(size: tuple[int, int], **kw: object) -> int:
        job = export.ExportJob(Path("o.mp4"), size, 30.0, None, 0.0, 400.0, **kw)  # type: ignore[arg-type]
        return export.local_jobs(job, frames, 200)

    assert jobs((3840, 2160)) == 1
    assert jobs((1920, 1080)) == 2
    assert jobs((3840, 2160), memory=4.0) == 3
    assert jobs((480, 270)) == 4  # 0.31 GB a job
    assert jobs((3840, 2160), jobs=3) == 3  # asked for: as asked
    monkeypatch.setattr(export, "cores", lambda: 1)
    assert jobs((480, 270)) == 1
