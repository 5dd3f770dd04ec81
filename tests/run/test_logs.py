"""The kiosk's lock: one kiosk at a time, the second told the first one's process ID, and the
lock let go by the kernel however its holder ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from thereturn_viz.run.logs import AlreadyRunning, lock_file, single_instance, state_dir


def test_a_second_lock_names_the_first_holder(tmp_path: Path) -> None:
    path = tmp_path / "state" / "kiosk.lock"
    with single_instance(path):
        assert path.read_text() == f"{os.getpid()}\n"
        with pytest.raises(AlreadyRunning) as exc, single_instance(path):
            pass
        assert exc.value.pid == os.getpid() and f"process {os.getpid()}" in str(exc.value)
    assert path.read_text() == ""  # a clean end leaves no process ID behind
    with single_instance(path):  # and the lock is free again
        pass


def test_the_lock_goes_with_a_killed_process(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.lock"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from thereturn_viz.run.logs import single_instance\n"
        f"with single_instance(Path({str(path)!r})):\n"
        "    print('locked', flush=True)\n"
        "    sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning) as exc, single_instance(path):
            pass
        assert exc.value.pid == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)  # no clean end: the file keeps its process ID
        proc.wait(timeout=30)
    assert path.read_text().strip() == str(proc.pid)
    with single_instance(path):  # yet the kernel let go of the lock
        assert path.read_text().strip() == str(os.getpid())


def test_the_state_folder_can_be_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THERETURN_STATE_DIR", str(tmp_path / "elsewhere"))
    assert state_dir() == tmp_path / "elsewhere"
    assert lock_file() == tmp_path / "elsewhere" / "kiosk.lock"
