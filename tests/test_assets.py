"""The kiosk's service file in assets/: it starts what the CLI accepts, lets systemd watch the
kiosk itself (the kiosk speaks its notify protocol, tests/run/test_kiosk.py), and restarts it
only when it fails, never after a deliberate stop."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from thereturn_viz.cli import build_parser
from thereturn_viz.paths import SOURCE_ROOT

KIOSK = SOURCE_ROOT / "assets" / "kiosk"


def _unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    unit.read_string(path.read_text())
    return unit


def test_the_service_starts_a_kiosk_the_cli_accepts() -> None:
    argv = shlex.split(_unit(KIOSK / "thereturn.service")["Service"]["ExecStart"])
    i = argv.index("thereturn_viz")
    assert argv[i - 1] == "-m"
    args = build_parser().parse_args(argv[i + 1 :])
    assert args.command == "kiosk"


def test_systemd_watches_the_kiosk_and_leaves_a_stopped_one_alone() -> None:
    service = _unit(KIOSK / "thereturn.service")["Service"]
    assert service["Type"] == "notify" and service["NotifyAccess"] == "main"
    assert 10 <= int(service["WatchdogSec"]) <= 120
    # on-failure: a crash, an error exit, the watchdog; not exit 0 (Ctrl+Q, SIGTERM, SIGHUP)
    assert service["Restart"] == "on-failure"


def test_no_hand_made_watchdog_is_left_in_assets() -> None:
    assert sorted(p.name for p in KIOSK.iterdir()) == ["thereturn.service"]
