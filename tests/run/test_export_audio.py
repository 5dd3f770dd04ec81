"""The exported MP4's sound: as long as its picture, and aligned with t."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.cli import main
from thereturn_viz.show.cues import CueSheet
from thereturn_viz.sound.levels import rms_db

Rendered = tuple[int, NDArray[np.int16]]


def _decode_audio(path: Path, rate: int) -> NDArray[np.int16]:
    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:a:0"]
        + ["-f", "s16le", "-ac", "2", "-ar", str(rate), "-"],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return np.frombuffer(proc.stdout, "<i2").reshape(-1, 2)


def _video_seconds(path: Path) -> float:
    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)]
        + ["-map", "0:v:0", "-f", "null", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    times = re.findall(r"time=(\d+):(\d+):(\d+\.\d+)", proc.stderr)
    h, m, s = times[-1]
    frames = int(re.findall(r"frame=\s*(\d+)", proc.stderr)[-1])
    assert abs(int(h) * 3600 + int(m) * 60 + float(s) - frames / 25) < 0.05
    return frames / 25


def test_mp4_sound_lasts_as_long_as_the_picture_and_meets_t(
    tmp_path: Path, rendered: Rendered, sheet: CueSheet
) -> None:
    rate, score = rendered
    out, trace = tmp_path / "clip.mp4", tmp_path / "trace.jsonl"
    argv = ["export", str(out), "--start", "first_note-0.6", "--end", "first_note+1.4"]
    argv += ["--trace", str(trace)]
    assert main([*argv, "--size", "64x36", "--fps", "25", "--quiet"]) == 0
    video = _video_seconds(out)
    audio = _decode_audio(out, rate)
    assert abs(len(audio) / rate - video) <= 1 / 25
    # the first note falls 0.6 s into the clip, as it does at first_note in the score
    start = sheet.time_of("first_note") - 0.6
    env = np.abs(audio.astype(np.int32)).max(axis=1)
    heard = np.argmax(env > 300) / rate
    expected = np.argmax(np.abs(score[round(start * rate) :].astype(np.int32)).max(axis=1) > 300)
    assert abs(heard - expected / rate) <= 0.005
    # sample-exact: the decoded sound lines up with the score's samples at lag 0
    a0 = round(start * rate)
    ref = score[a0 : a0 + len(audio), 0].astype(np.float64)
    got = audio[: len(ref), 0].astype(np.float64)
    lags = range(-64, 65)
    match = [float(np.dot(ref[64:-64], got[64 + k : len(got) - 64 + k])) for k in lags]
    assert list(lags)[int(np.argmax(match))] == 0
    # the trace reports the score's level frame by frame: silence, then the note
    rows = [json.loads(line) for line in trace.read_text().splitlines()]
    assert len(rows) == 50
    levels = {round(r["t"], 2): r["audio"]["rms_db"] for r in rows}
    first = sheet.time_of("first_note")
    assert levels[round(first - 0.4, 2)] < -90.0
    assert levels[round(first + 0.2, 2)] > -40.0
    for r in rows[::7]:
        assert r["audio"]["rms_db"] == pytest.approx(rms_db(score, rate, r["t"], 0.05), abs=0.01)
