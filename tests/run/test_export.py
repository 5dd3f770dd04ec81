"""Export: stills, PNG numbering, manifests, the trace, MP4 with sound, determinism."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pygame
import pytest

from thereturn_viz.cli import main

TRACE_DANCER_JOINTS = {"head", "pelvis", "l_hand", "r_hand", "l_foot", "r_foot"}


def _pixels(path: Path) -> np.ndarray:
    surf = pygame.image.load(str(path))
    return np.frombuffer(pygame.image.tobytes(surf, "RGB"), np.uint8).reshape(
        surf.get_height(), surf.get_width(), 3
    )


def test_still_has_the_requested_size_and_is_not_blank(tmp_path: Path) -> None:
    assert main(["export", str(tmp_path), "--at", "10", "--size", "320x180", "--quiet"]) == 0
    png = tmp_path / "frame_000300.png"
    img = _pixels(png)
    assert img.shape == (180, 320, 3)
    assert img.std() > 5.0  # a picture, not a flat fill
    assert img.mean() > 8.0  # not black at t = 10


def test_png_numbering_follows_t_times_fps(tmp_path: Path) -> None:
    assert (
        main(
            [
                "export",
                str(tmp_path),
                "--at",
                "1.5",
                "--at",
                "first_note+0.1",
                "--fps",
                "24",
                "--size",
                "64x36",
                "--quiet",
            ]
        )
        == 0
    )
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["frame_000036.png", f"frame_{round(14.1 * 24):06d}.png"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["fps"] == 24 and manifest["size"] == [64, 36]
    assert [f["file"] for f in manifest["frames"]] == names
    assert manifest["frames"][1]["cue"] == "first_note"


def test_span_export_writes_every_frame(tmp_path: Path) -> None:
    assert (
        main(
            [
                "export",
                str(tmp_path),
                "--start",
                "2",
                "--end",
                "2.5",
                "--fps",
                "10",
                "--size",
                "48x27",
                "--quiet",
            ]
        )
        == 0
    )
    frames = sorted(int(p.stem.split("_")[1]) for p in tmp_path.glob("frame_*.png"))
    assert frames == [20, 21, 22, 23, 24]


def test_the_same_still_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert (
            main(
                [
                    "export",
                    str(tmp_path / run),
                    "--at",
                    "partner_enters+6",
                    "--size",
                    "160x90",
                    "--quiet",
                ]
            )
            == 0
        )
    a = (tmp_path / "a" / "frame_001020.png").read_bytes()
    b = (tmp_path / "b" / "frame_001020.png").read_bytes()
    assert a == b


def test_trace_rows_have_every_key(tmp_path: Path) -> None:
    trace = tmp_path / "t.jsonl"
    assert (
        main(
            [
                "export",
                str(tmp_path / "f"),
                "--start",
                "partner_enters+3",
                "--end",
                "partner_enters+4",
                "--fps",
                "5",
                "--size",
                "32x18",
                "--trace",
                str(trace),
                "--quiet",
            ]
        )
        == 0
    )
    rows = [json.loads(line) for line in trace.read_text().splitlines()]
    assert len(rows) == 5
    for row in rows:
        assert {
            "t",
            "frame",
            "cue",
            "dancers",
            "contacts",
            "visible",
            "light",
            "presence",
            "camera",
            "audio",
        } <= set(row)
        for who in ("lead", "partner"):
            d = row["dancers"][who]
            assert set(d["joints"]) == TRACE_DANCER_JOINTS
            assert all(len(v) == 2 and all(np.isfinite(v)) for v in d["joints"].values())
            assert isinstance(d["tracking_error_deg"], float)
            assert d["resets"] == 0
            assert isinstance(row["visible"][who], bool)
            assert d["depth"] > 0.0 and -180.0 <= d["yaw"] < 180.0
            # balance: the centre of mass, the mass, the support on the floor, what is carried
            assert len(d["com"]) == 2 and all(np.isfinite(d["com"])) and 40 < d["mass"] < 100
            sup = d["support"]
            assert sup is None or (len(sup) == 2 and sup[0] <= sup[1])
            assert isinstance(d["carried_n"], float)
            # the renderer's own extent of the drawn figure, inside the 32x18 picture
            box = d["bbox"]
            assert box is None or (0 <= box[0] < box[2] <= 32 and 0 <= box[1] < box[3] <= 18)
        assert len(row["dancers"]["partner"]["hem"]) >= 3
        assert 0.0 <= row["light"]["mix"] <= 1.0
        assert 0.0 <= row["presence"] <= 1.0
        assert row["camera"]["zoom"] > 0
        assert isinstance(row["audio"]["rms_db"], float)
    assert rows[0]["frame"] == round(31 * 5)
    assert rows[-1]["visible"]["partner"] is True
    assert rows[-1]["dancers"]["partner"]["bbox"] is not None
    assert all(row["contacts"] == [] for row in rows)  # she has only just come in


def test_the_trace_names_the_lift_while_he_holds_her(tmp_path: Path) -> None:
    trace = tmp_path / "t.jsonl"
    args = ["export", str(tmp_path / "f"), "--at", "lift_apex", "--at", "end-1"]
    assert main([*args, "--size", "32x18", "--trace", str(trace), "--quiet"]) == 0
    apex, end = (json.loads(line) for line in trace.read_text().splitlines())
    assert "lift" in apex["contacts"]
    assert end["contacts"] == []


def _probe(path: Path) -> tuple[int, str]:
    """(video frame count, ffmpeg's stream listing) by decoding with the bundled ffmpeg."""
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    proc = subprocess.run(
        [exe, "-hide_banner", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    frames = re.findall(r"frame=\s*(\d+)", proc.stderr)
    return int(frames[-1]), proc.stderr


def test_two_second_mp4_has_every_frame_and_a_sound_stream(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    assert (
        main(
            [
                "export",
                str(out),
                "--start",
                "first_note-1",
                "--end",
                "first_note+1",
                "--size",
                "160x90",
                "--fps",
                "25",
                "--quiet",
            ]
        )
        == 0
    )
    frames, listing = _probe(out)
    assert frames == 50
    assert re.search(r"Stream #0:\d.*Video: h264.*yuv420p", listing)
    assert re.search(r"Stream #0:\d.*Audio: aac", listing)


def test_no_audio_leaves_the_sound_out(tmp_path: Path) -> None:
    out = tmp_path / "mute.mp4"
    assert (
        main(
            [
                "export",
                str(out),
                "--start",
                "3",
                "--end",
                "3.4",
                "--size",
                "64x36",
                "--fps",
                "10",
                "--no-audio",
                "--quiet",
            ]
        )
        == 0
    )
    frames, listing = _probe(out)
    assert frames == 4
    assert "Audio:" not in listing


def test_odd_video_size_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "export",
                str(tmp_path / "x.mp4"),
                "--start",
                "1",
                "--end",
                "2",
                "--size",
                "65x37",
                "--quiet",
            ]
        )
        == 2
    )
    assert "even" in capsys.readouterr().err


def test_a_disk_that_fills_mid_export_gets_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written: list[str] = []
    real_save = pygame.image.save

    def save(surface: pygame.Surface, path: str) -> None:
        if written:  # the first frame fits, the second does not
            raise pygame.error("No space left on device")
        written.append(path)
        real_save(surface, path)

    monkeypatch.setattr(pygame.image, "save", save)
    out = tmp_path / "frames"
    code = main(["export", str(out), "--at", "5", "--at", "6", "--size", "64x36", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "cannot write" in err and "frame_000180.png" in err and "No space left" in err
    assert sorted(p.name for p in out.iterdir()) == ["frame_000150.png"]  # no manifest, no part


def test_an_encoder_that_stops_midway_is_named_and_the_export_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An encoder that takes one frame and dies (a full disk, a crash) ends the export at once
    with exit 1 and its own last words, not a hang or a traceback."""
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        "#!/bin/sh\nhead -c 40000 > /dev/null\necho 'No space left on device' >&2\nexit 3\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: str(fake))
    out = tmp_path / "clip.mp4"
    code = main(["export", str(out), "--start", "0", "--end", "4", "--size", "64x36", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "stopped with code 3: No space left on device" in err
    assert "Traceback" not in err
