"""The command line: help everywhere, the cue sheet, bad arguments, no display."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from thereturn_viz.cli import build_parser, main
from thereturn_viz.run.kiosk import Kiosk, KioskOptions
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.cues import STORY_CUES

COMMANDS = [
    "play",
    "kiosk",
    "calibrate",
    "export",
    "check",
    "shift",
    "copy",
    "mirror",
    "cues",
    "at",
    "score",
    "bench",
    "sheet",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert f"python -m thereturn_viz {command}" in out
    assert "--" in out  # lists its options


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out


def test_cues_json_has_every_story_cue_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cues", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [c["name"] for c in data["cues"]]
    assert names == list(STORY_CUES)
    times = [c["t"] for c in data["cues"]]
    assert times == sorted(times)
    assert data["duration"] == times[-1]
    assert all(isinstance(c["about"], str) and c["about"] for c in data["cues"])


def test_cues_table_names_each_cue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cues"]) == 0
    out = capsys.readouterr().out
    for name in STORY_CUES:
        assert f"\n{name} " in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["export", "{tmp}/OUT", "--at", "nowhere"], "nowhere"),
        (["export", "{tmp}/OUT", "--size", "0x0"], "--size 0x0"),
        (["export", "{tmp}/OUT", "--size", "big"], "--size big"),
        (["export", "{tmp}/OUT", "--at", "9999"], "outside the piece"),
        (["export", "{tmp}/OUT", "--fps", "0"], "--fps"),
        (["export", "{tmp}/OUT", "--start", "kneel", "--end", "collapse"], "--end"),
        (["export", "{tmp}/OUT.mp4", "--at", "kneel"], "--at"),
        (["export", "/proc/forbidden/out", "--at", "1"], "cannot write"),
        (["export", "{tmp}/OUT", "--at", "1", "--start", "2"], "leave out --start"),
        (["export", "{tmp}/OUT", "--start", "end"], "the end of the piece"),
        (["export", "{tmp}/OUT", "--at", "1", "--trace", "/proc/forbidden.jsonl"], "--trace"),
        (["export", "{tmp}", "--at", "1", "--trace", "{tmp}"], "is a folder"),
        (["export", "{tmp}/a_folder.mp4", "--end", "1"], "is a folder"),
        (["score", "/proc/forbidden.wav"], "OUT /proc/forbidden.wav"),
        (["score", "{tmp}/score.mp3"], ".wav"),
        (["bench", "--frames", "0"], "--frames 0"),
    ],
)
def test_bad_export_arguments_exit_2_naming_them(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_folder.mp4").mkdir()
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert needle in err
    assert "Traceback" not in err
    assert not (tmp_path / "OUT").exists() and not (tmp_path / "OUT.mp4").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "{tmp}/OUT", "--at", "1", "--trace", "/proc/forbidden.jsonl"],
        ["export", "{tmp}/OUT", "--at", "1", "--trace", "{tmp}/a_file/trace.jsonl"],
        ["export", "{tmp}/OUT/deeper", "--at", "1", "--trace", "{tmp}"],
        ["export", "{tmp}/OUT/clip.mp4", "--end", "1", "--trace", "{tmp}/a_file/t.jsonl"],
        ["score", "{tmp}/OUT/score.wav", "--plot", "{tmp}/a_file/plot.png"],
        ["score", "{tmp}/OUT/score.wav", "--plot", "/proc/forbidden.png"],
    ],
)
def test_a_refused_output_leaves_the_others_uncreated(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every output is checked before any is created: a bad --trace or --plot is refused
    without an empty OUT folder left behind."""
    (tmp_path / "a_file").write_text("not a folder")
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ("--trace" in err or "--plot" in err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_unknown_option_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["export", "OUT", "--colour", "red"])
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("command", "display"),
    [
        ([], None),
        (["play"], None),
        (["--start", "lift_apex", "--mute"], None),  # play's options without its name
        (["kiosk"], None),
        (["kiosk", "--mute"], ":97"),
    ],
)
def test_no_display_gives_one_clear_line(command: list[str], display: str | None) -> None:
    # no DISPLAY at all, or one that names a screen nobody answers at (where SDL would
    # otherwise fall back to drawing off screen, and a kiosk run unseen)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    if display is not None:
        env["DISPLAY"] = display
    proc = subprocess.run(
        [sys.executable, "-m", "thereturn_viz", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "no screen" in lines[0] and "export" in lines[0]
    assert "Traceback" not in proc.stderr


def test_play_runs_headless_with_dummy_driver() -> None:
    assert (
        main(["play", "--size", "160x90", "--start", "together", "--max-frames", "5", "--mute"])
        == 0
    )


def test_play_is_the_default_with_its_options_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--size", "160x90", "--start", "together", "--max-frames", "2", "--mute"]) == 0
    assert main(["--start", "nowhere", "--mute"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "invalid choice" not in err


def test_kiosk_loops_and_stops_after_n(tmp_path: Path) -> None:
    beat = tmp_path / "state" / "heartbeat.txt"
    log = tmp_path / "kiosk.log"
    # --step 4: each frame moves the piece 4 s on, so a loop is 100 frames
    argv = ["kiosk", "--size", "96x54", "--loops", "2", "--step", "4"]
    argv += ["--heartbeat", str(beat), "--log", str(log), "--mute"]
    assert main(argv) == 0
    assert not beat.exists()  # written while it ran (tests/run/test_kiosk.py), gone on a clean stop
    text = log.read_text()
    assert "kiosk started" in text
    assert "stopped after 2 loops, 0 errors (played the 2 loops asked for)" in text
    assert text.rstrip().endswith("kiosk process ends (exit 0)")


class _FailingOnce(Kiosk):
    """A kiosk whose first performance breaks, as a bad frame or a driver hiccup would."""

    failed = False

    def _play_once(self, window: pygame.Surface) -> bool:
        if not self.failed:
            self.failed = True
            raise RuntimeError("a frame went wrong")
        return super()._play_once(window)


def test_kiosk_recovers_from_an_error_by_restarting_the_piece(
    choreography: Choreography, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk = _FailingOnce(choreography, KioskOptions(loops=1, size=(64, 36), step=4.0))
    with caplog.at_level(logging.ERROR, logger="thereturn.kiosk"):
        assert kiosk.run() == 0
    assert kiosk.errors == 1 and kiosk.loops_done == 1
    assert "restarting" in caplog.text and "a frame went wrong" in caplog.text


def test_an_internal_fault_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from thereturn_viz.commands import cues
    from thereturn_viz.run import logs

    def broken(_args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cues, "run", broken)
    monkeypatch.setattr(logs, "default_log_file", lambda: tmp_path / "log" / "thereturn.log")
    assert main(["cues"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error" in err[0] and "a bug" in err[0]
    assert str(tmp_path / "log" / "thereturn.log") in err[0]
    assert "Traceback" in (tmp_path / "log" / "thereturn.log").read_text()


def test_each_command_module_declares_its_parser_and_the_shared_options_read_alike() -> None:
    """build_parser is a loop over the command modules, in --help's order, play first; an
    option of commands/common.py reads the same in every command that takes it (--size aside,
    whose default and wording are each command's own; --start and --json mean different
    things in different commands)."""
    import argparse

    from thereturn_viz.commands import ALL

    assert [c.NAME for c in ALL] == COMMANDS
    helps: dict[str, set[str]] = {}
    for command in ALL:
        parser = argparse.ArgumentParser()
        command.add_arguments(parser)
        for action in parser._actions:
            for option in action.option_strings:
                helps.setdefault(option, set()).add(str(action.help))
    shared = ("--choreography", "--seed", "--no-film", "--mute", "--quiet", "--av-offset")
    assert {o: len(helps[o]) for o in shared} == dict.fromkeys(shared, 1), helps


def test_the_command_line_starts_without_the_heavy_modules() -> None:
    """--help and a mistyped option answer at once: the command modules import pygame, the
    physics, the renderer and the synthesis only when they run."""
    code = (
        "import sys\n"
        "from thereturn_viz.cli import build_parser\n"
        "build_parser()\n"
        "heavy = ('pygame', 'pymunk', 'scipy', 'thereturn_viz.render', 'thereturn_viz.sound',"
        " 'thereturn_viz.physics', 'thereturn_viz.performance')\n"
        "print([m for m in sys.modules if m.startswith(heavy)])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.strip() == "[]", proc.stdout
