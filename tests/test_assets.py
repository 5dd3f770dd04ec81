"""The kiosk's service files and watchdog in assets/: they start what the CLI accepts, and the
watchdog restarts the kiosk exactly when its heartbeat has gone stale."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest

from thereturn_viz.cli import build_parser
from thereturn_viz.paths import SOURCE_ROOT
from thereturn_viz.run.logs import default_heartbeat_file

KIOSK = SOURCE_ROOT / "assets" / "kiosk"


def _exec_start(unit: Path) -> list[str]:
    lines = [ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart=")]
    assert len(lines) == 1
    return shlex.split(lines[0].removeprefix("ExecStart="))


def test_the_service_starts_a_kiosk_the_cli_accepts() -> None:
    argv = _exec_start(KIOSK / "thereturn.service")
    i = argv.index("thereturn_viz")
    assert argv[i - 1] == "-m"
    args = build_parser().parse_args(argv[i + 1 :])
    assert args.command == "kiosk"


def test_the_timer_runs_the_watchdog_service() -> None:
    timer = (KIOSK / "thereturn-watchdog.timer").read_text()
    assert "OnUnitActiveSec=" in timer and "[Install]" in timer
    assert _exec_start(KIOSK / "thereturn-watchdog.service")[-1].endswith("watchdog.sh")


@pytest.fixture
def watchdog(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The watchdog with a stand-in ``systemctl`` that notes what it was asked to do."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    fake = bin_dir / "systemctl"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n')
    fake.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return calls, env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    script = KIOSK / "watchdog.sh"
    return subprocess.run(
        ["/bin/sh", str(script), *args], env=env, capture_output=True, text=True, timeout=30
    )


def test_a_stale_heartbeat_restarts_the_kiosk(
    watchdog: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    calls, env = watchdog
    beat = tmp_path / "kiosk.heartbeat"
    beat.write_text("0 loops=0 errors=0\n")
    old = time.time() - 120
    os.utime(beat, (old, old))
    proc = _run(env, str(beat))
    assert proc.returncode == 0, proc.stderr
    assert calls.read_text().split() == ["--user", "restart", "thereturn.service"]


def test_a_fresh_or_missing_heartbeat_is_left_alone(
    watchdog: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    calls, env = watchdog
    beat = tmp_path / "kiosk.heartbeat"
    assert _run(env, str(beat)).returncode == 0  # not written yet
    beat.write_text("0 loops=0 errors=0\n")
    assert _run(env, str(beat)).returncode == 0  # just written
    assert not calls.exists()


def test_the_watchdog_reads_the_kiosks_own_heartbeat_file(
    watchdog: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, env = watchdog
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"])
    beat = default_heartbeat_file()  # where the kiosk writes it by default
    beat.parent.mkdir(parents=True)
    beat.write_text("0 loops=0 errors=0\n")
    old = time.time() - 120
    os.utime(beat, (old, old))
    assert _run(env).returncode == 0
    assert "restart" in calls.read_text()
