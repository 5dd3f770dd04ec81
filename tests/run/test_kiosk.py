"""The kiosk's keys: visitors' presses do nothing; Ctrl+Q, or Esc held, stops it."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pygame
import pytest

from thereturn_viz.cli import main
from thereturn_viz.run import kiosk as kiosk_module
from thereturn_viz.run.hours import parse_hours
from thereturn_viz.run.kiosk import Kiosk, KioskOptions
from thereturn_viz.run.logs import single_instance
from thereturn_viz.run.loop import Letterbox
from thereturn_viz.run.notify import Notifier
from thereturn_viz.show.choreography import Choreography

#: Seconds of the piece per frame: a loop is 100 frames, however busy the machine.
STEP = 4.0


def _key(kind: int, key: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(kind, key=key, mod=mod)


class _Scripted(Kiosk):
    """Posts the events scripted for each look at the event queue, then reads them as usual."""

    def __init__(
        self,
        choreography: Choreography,
        script: dict[int, list[pygame.event.Event]],
        notifier: Notifier | None = None,
        options: KioskOptions | None = None,
    ):
        options = options or KioskOptions(loops=1, size=(64, 36), step=STEP)
        super().__init__(choreography, options, notifier)
        self.script = script
        self.looks = 0
        self.systemd: _Systemd | None = None  # read at each look, as systemd would

    def _events(self) -> None:
        if self.systemd is not None:
            self.systemd.drain()
        self.looks += 1
        for event in self.script.get(self.looks, []):
            pygame.event.post(event)
        super()._events()


def test_a_visitors_keys_and_a_short_esc_do_nothing(choreography: Choreography) -> None:
    script = {
        2: [_key(pygame.KEYDOWN, pygame.K_a), _key(pygame.KEYDOWN, pygame.K_SPACE)],
        3: [_key(pygame.KEYDOWN, pygame.K_q), _key(pygame.KEYDOWN, pygame.K_m)],  # no Ctrl
        4: [_key(pygame.KEYDOWN, pygame.K_ESCAPE)],
        5: [_key(pygame.KEYUP, pygame.K_ESCAPE)],  # a tap, not a hold
    }
    kiosk = _Scripted(choreography, script)
    assert kiosk.run() == 0
    assert kiosk.looks > 5 and not kiosk.quit
    assert kiosk.loops_done == 1  # played to the end of its one loop


def test_ctrl_q_stops_the_kiosk(choreography: Choreography) -> None:
    kiosk = _Scripted(choreography, {3: [_key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_LCTRL)]})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3


def test_esc_held_stops_the_kiosk(choreography: Choreography) -> None:
    kiosk = _Scripted(choreography, {2: [_key(pygame.KEYDOWN, pygame.K_ESCAPE)]})
    kiosk.monotonic = lambda: kiosk.looks * 0.1  # a tenth of a second a look
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0
    # held from the second look until ESC_HOLD had passed, and not a look longer
    assert kiosk.looks == 2 + round(kiosk_module.ESC_HOLD / 0.1)


def test_render_draws_at_a_set_size_scaled_to_the_screen(choreography: Choreography) -> None:
    # a 160x100 "screen" (16:10) showing a 16:9 picture drawn at 80x45: bars above and below
    options = KioskOptions(loops=1, size=(160, 100), render=(80, 45), step=STEP)
    shown: list[np.ndarray] = []

    class Watching(Kiosk):
        def _alive(self) -> None:
            surface = pygame.display.get_surface()
            last = self.scene.last if self.scene is not None else None
            if surface is not None and last is not None and last.fade > 0.9 and not shown:
                shown.append(pygame.surfarray.array3d(surface).copy())  # lit: past the fade in
            super()._alive()

    kiosk = Watching(choreography, options)
    assert kiosk.run() == 0
    assert kiosk.loops_done == 1 and kiosk.errors == 0
    assert kiosk.scene is not None and kiosk.scene.renderer.size == (80, 45)
    assert shown, "a frame past the fade in was shown"
    img = shown[0].astype(int)  # (x, y, rgb)
    assert img[:, :5].max() == 0 and img[:, -5:].max() == 0  # the bars: 5 rows of black
    assert img[:, 10:90].mean() > 10  # the picture fills the 160x90 between them


def test_letterbox_fits_centres_and_maps_a_hand_back() -> None:
    box = Letterbox((1920, 1080), (1280, 800))
    assert box.rect == pygame.Rect(0, 40, 1280, 720)
    assert Letterbox((1920, 1080), (3840, 2160)).rect == pygame.Rect(0, 0, 3840, 2160)
    moved = box.to_canvas(pygame.event.Event(pygame.MOUSEMOTION, pos=(640, 400)))
    assert moved.pos == (960, 540)  # the middle of the screen is the middle of the picture
    touched = box.to_canvas(pygame.event.Event(pygame.FINGERDOWN, x=0.0, y=0.05))
    assert touched.x == 0.0 and touched.y == pytest.approx(0.0)  # the picture's top left


def test_sigterm_stops_the_kiosk_cleanly(choreography: Choreography) -> None:
    # a service manager's stop: the kiosk finishes its frame, lets go of the screen, returns 0
    before = signal.getsignal(signal.SIGTERM)

    class Signalled(_Scripted):
        def _events(self) -> None:
            if self.looks == 2:
                os.kill(os.getpid(), signal.SIGTERM)
            super()._events()

    kiosk = Signalled(choreography, {})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back


def test_a_quit_from_the_system_stops_the_kiosk(choreography: Choreography) -> None:
    # SIGTERM from a service manager, or SIGINT, reaches SDL's queue as a QUIT event
    kiosk = _Scripted(choreography, {3: [pygame.event.Event(pygame.QUIT)]})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3


# -- systemd: ready, alive, stopping ------------------------------------------------------------


class _Systemd:
    """A stand-in for systemd's notify socket: a unix datagram socket in tmp_path, read as
    systemd would (its queue holds only a few datagrams)."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.setblocking(False)
        self.address: str = self.sock.getsockname()
        self.messages: list[str] = []

    def drain(self) -> list[str]:
        with contextlib.suppress(BlockingIOError):
            while True:
                self.messages.append(self.sock.recv(4096).decode())
        return self.messages


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[_Systemd]:
    fake = _Systemd(tmp_path / "notify")
    yield fake
    fake.sock.close()


class _Pinged(Notifier):
    """Notes the thread and the look each message was sent from."""

    def __init__(self, address: str, watchdog: float | None, kiosk: list[_Scripted]) -> None:
        super().__init__(address, watchdog)
        self.kiosk = kiosk
        self.sent: list[tuple[str, int, int]] = []

    def send(self, *lines: str) -> bool:
        looks = self.kiosk[0].looks if self.kiosk else 0
        self.sent.append((lines[0], threading.get_ident(), looks))
        return super().send(*lines)


def test_the_kiosk_tells_systemd_ready_alive_and_stopping(
    choreography: Choreography, systemd: _Systemd
) -> None:
    holder: list[_Scripted] = []
    # systemd's WatchdogSec=8: a ping every 2 s of the kiosk's clock, a look being 0.25 s
    notifier = _Pinged(systemd.address, 8.0, holder)
    kiosk = _Scripted(choreography, {}, notifier)
    kiosk.systemd = systemd
    holder.append(kiosk)
    kiosk.monotonic = lambda: kiosk.looks * 0.25
    threads = threading.active_count()
    assert kiosk.run() == 0 and kiosk.loops_done == 1
    messages = systemd.drain()
    assert messages[0].startswith("READY=1\n") and f"MAINPID={os.getpid()}" in messages[0]
    assert messages[-1].startswith("STOPPING=1\n")
    pings = [m for m in messages if m == "WATCHDOG=1"]
    # a loop is 100 frames, each after a look at the events: 25 s of the kiosk's clock, a ping
    # every 2 s
    assert 12 <= len(pings) <= 14, len(pings)
    assert len(messages) == len(notifier.sent)  # none dropped
    # from the drawing loop itself: the main thread, no thread of their own, never two pings
    # for the same frame (a loop that stops drawing stops the pings)
    assert {thread for _, thread, _ in notifier.sent} == {threading.get_ident()}
    assert threading.active_count() == threads, [t.name for t in threading.enumerate()]
    ping_looks = [look for first, _, look in notifier.sent if first == "WATCHDOG=1"]
    assert len(set(ping_looks)) == len(ping_looks)
    assert "STATUS=1 loops played, 0 errors" in messages


def test_ready_waits_for_the_first_frame_on_the_screen(
    choreography: Choreography, systemd: _Systemd
) -> None:
    holder: list[_Scripted] = []
    notifier = _Pinged(systemd.address, None, holder)  # no WatchdogSec
    sent_before_each_frame: list[int] = []

    class Counting(_Scripted):
        def _alive(self) -> None:
            sent_before_each_frame.append(len(notifier.sent))
            super()._alive()

    kiosk = Counting(choreography, {2: [_key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_CTRL)]})
    kiosk.notifier = notifier
    holder.append(kiosk)
    assert kiosk.run() == 0
    assert sent_before_each_frame == [0, 1]  # nothing before the first frame was flipped
    said = [first for first, _, _ in notifier.sent]
    assert said == ["READY=1", "STOPPING=1"]  # and no pings: systemd watches nothing
    assert [m.split("\n")[0] for m in systemd.drain()] == said


def test_an_abstract_notify_socket_is_reached() -> None:
    name = f"thereturn-test-{os.getpid()}-{id(object())}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(b"\0" + name.encode())
    try:
        assert Notifier(f"@{name}").ping()
        assert sock.recv(64) == b"WATCHDOG=1"
    finally:
        sock.close()


def test_a_notify_socket_that_is_gone_is_logged_once_and_the_kiosk_plays_on(
    choreography: Choreography, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk = _Scripted(choreography, {20: [_key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_CTRL)]})
    kiosk.notifier = Notifier(str(tmp_path / "nobody-listens"), 1.0)  # a ping every look
    kiosk.monotonic = lambda: kiosk.looks * 0.5
    with caplog.at_level(logging.WARNING, logger="thereturn.kiosk"):
        assert kiosk.run() == 0
    assert kiosk.looks == 20 and kiosk.errors == 0
    assert caplog.text.count("cannot notify systemd") == 1


def test_the_heartbeat_is_written_while_it_plays_and_removed_on_a_clean_stop(
    choreography: Choreography, tmp_path: Path
) -> None:
    beat = tmp_path / "state" / "kiosk.heartbeat"
    seen: list[str] = []

    class Beating(_Scripted):
        def _alive(self) -> None:
            super()._alive()
            if beat.exists():
                seen.append(beat.read_text())

    options = KioskOptions(size=(64, 36), step=STEP, heartbeat=beat)
    kiosk = Beating(choreography, _ctrl_q(), options=options)
    assert kiosk.run() == 0 and kiosk.quit
    assert seen and seen[0].split()[0].isdigit() and seen[0].endswith(" loops=0 errors=0\n")
    assert not beat.exists() and list(beat.parent.iterdir()) == []


# -- every way it ends is logged ----------------------------------------------------------------


def _ctrl_q() -> dict[int, list[pygame.event.Event]]:
    return {3: [_key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_LCTRL)]}


@pytest.mark.parametrize(
    ("script", "signum", "why"),
    [
        (_ctrl_q(), None, "Ctrl+Q"),
        ({3: [pygame.event.Event(pygame.QUIT)]}, None, "asked to stop (a quit from the system"),
        ({}, signal.SIGTERM, "asked to stop (SIGTERM)"),
        ({}, signal.SIGINT, "asked to stop (SIGINT)"),
        ({}, signal.SIGHUP, "asked to stop (SIGHUP)"),
    ],
    ids=["ctrl-q", "quit-event", "sigterm", "sigint", "sighup"],
)
def test_each_stop_ends_cleanly_and_says_why(
    choreography: Choreography,
    caplog: pytest.LogCaptureFixture,
    script: dict[int, list[pygame.event.Event]],
    signum: int | None,
    why: str,
) -> None:
    before = signal.getsignal(signal.SIGHUP)

    class Signalled(_Scripted):
        def _events(self) -> None:
            if signum is not None and self.looks == 2:
                os.kill(os.getpid(), signum)
            super()._events()

    kiosk = Signalled(choreography, script)
    with caplog.at_level(logging.INFO, logger="thereturn.kiosk"):
        assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3
    assert f"stopping: {why}" in caplog.text
    assert "kiosk stopped after 0 loops, 0 errors" in caplog.text
    assert signal.getsignal(signal.SIGHUP) is before


def test_esc_held_and_the_loops_asked_for_say_so(
    choreography: Choreography, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="thereturn.kiosk"):
        kiosk = _Scripted(choreography, {2: [_key(pygame.KEYDOWN, pygame.K_ESCAPE)]})
        kiosk.monotonic = lambda: kiosk.looks * 0.5
        assert kiosk.run() == 0
        assert "stopping: Esc held for 3 s" in caplog.text
        caplog.clear()
        assert _Scripted(choreography, {}).run() == 0
    assert "loop 1 played" in caplog.text
    assert "stopping: played the 1 loop asked for" in caplog.text


# -- the gallery's hours, on a fake clock -------------------------------------------------------

MONDAY = datetime(2026, 11, 30)  # a Monday


class _Mixer:
    """Notes what the kiosk asks of the sound."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def pause(self) -> None:
        self.calls.append("pause")

    def toggle_mute(self) -> bool:
        return False

    def close(self) -> None:
        self.calls.append("close")


def test_outside_hours_it_is_dark_and_silent_and_the_piece_starts_from_the_top(
    choreography: Choreography, caplog: pytest.LogCaptureFixture
) -> None:
    # the wall clock moves 2 s a look from Monday 09:59:40; the doors are open 10:00-10:01 and
    # 10:02-10:03: closed until look 10, open to look 40, closed to look 70, open to look 100
    hours = parse_hours("Mo 10:00-10:01, 10:02-10:03")
    shown: list[tuple[int, float | None]] = []

    class Gallery(_Scripted):
        seen: object = None

        def _alive(self) -> None:
            last = self.scene.last if self.scene is not None else None
            drawn = last is not None and last is not self.seen
            shown.append((self.looks, last.t if drawn and last is not None else None))
            self.seen = last
            super()._alive()

    script = {110: [_key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_CTRL)]}
    options = KioskOptions(size=(64, 36), step=STEP, hours=hours)
    kiosk = Gallery(choreography, script, options=options)
    kiosk.now = lambda: MONDAY + timedelta(hours=9, minutes=59, seconds=40 + 2 * kiosk.looks)
    mixer = _Mixer()
    kiosk.mixer = mixer  # type: ignore[assignment]
    with caplog.at_level(logging.INFO, logger="thereturn.kiosk"):
        assert kiosk.run() == 0
    piece = {look: t for look, t in shown if t is not None}
    # the doors open at look 10; the piece's first frame is the next look's, from the top
    assert min(piece) == 11 and piece[11] == 0.0
    assert piece[39] == 28 * STEP  # the last frame before the doors close at look 40
    assert all(look not in piece for look in range(40, 71))  # dark while closed
    assert piece[71] == 0.0 and max(piece) == 99  # from the top again, and dark at 10:03
    assert kiosk.loops_done == 0  # cut short each time: no loop played to its end
    assert mixer.calls == ["pause", "pause", "pause", "close"]  # closed, closing twice, end
    text = caplog.text
    assert "closed: black and silent until Mo 10:00 (hours: Mo 10:00-10:01, 10:02-10:03)" in text
    assert text.count("opening: the piece starts from the top") == 2
    assert "closing: black and silent until Mo 10:02" in text
    assert "closing: black and silent until Mo 10:00" in text  # next week's


def test_when_the_hours_never_close_the_kiosk_plays_on(
    choreography: Choreography, caplog: pytest.LogCaptureFixture
) -> None:
    options = KioskOptions(loops=1, size=(64, 36), step=STEP, hours=parse_hours("00:00-24:00"))
    kiosk = _Scripted(choreography, {}, options=options)
    kiosk.now = lambda: MONDAY
    with caplog.at_level(logging.INFO, logger="thereturn.kiosk"):
        assert kiosk.run() == 0
    assert kiosk.loops_done == 1
    assert "open (hours: 00:00-24:00)" in caplog.text


# -- the command line: one kiosk at a time, its log, its refusals --------------------------------


def _kiosk_argv(tmp_path: Path) -> list[str]:
    return ["kiosk", "--size", "64x36", "--step", "4", "--mute", "--log", str(tmp_path / "k.log")]


def test_a_second_kiosk_is_refused_naming_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with single_instance():  # this process is "the first kiosk"
        assert main([*_kiosk_argv(tmp_path), "--loops", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: another kiosk is already running")
    assert f"process {os.getpid()}" in err[0]
    log_text = (tmp_path / "k.log").read_text()
    assert "not started: another kiosk" in log_text and "(exit 2)" in log_text


def test_the_command_tells_systemd_from_its_environment(
    tmp_path: Path, systemd: _Systemd, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", systemd.address)
    monkeypatch.setenv("WATCHDOG_USEC", "1")  # a ping every frame
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    systemd.sock.setblocking(True)

    def read() -> None:  # as systemd does, all the time
        while not systemd.messages or not systemd.messages[-1].startswith("STOPPING=1"):
            systemd.messages.append(systemd.sock.recv(4096).decode())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert main([*_kiosk_argv(tmp_path), "--loops", "1"]) == 0
    reader.join(timeout=60)
    assert not reader.is_alive()
    messages = systemd.messages
    assert messages[0].startswith("READY=1") and messages[-1].startswith("STOPPING=1")
    assert messages.count("WATCHDOG=1") > 50


def test_an_internal_error_goes_to_the_log_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Kiosk) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(Kiosk, "run", broken)
    assert main(_kiosk_argv(tmp_path)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: kiosk: an internal error: ZeroDivisionError('a bug')")
    assert str(tmp_path / "k.log") in err[-1]
    assert "Traceback" not in "\n".join(err)  # stderr: one line; the story is in the log
    text = (tmp_path / "k.log").read_text()
    assert "Traceback" in text and "ZeroDivisionError: a bug" in text
    assert text.rstrip().endswith("kiosk process ends (exit 1)")


def test_no_screen_is_written_to_the_log_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from thereturn_viz.run import headless

    monkeypatch.setattr(headless, "no_display_message", lambda: "no screen found (a test)")
    assert main(_kiosk_argv(tmp_path)) == 2
    assert capsys.readouterr().err.strip() == "error: no screen found (a test)"
    assert "not started: no screen found (a test)" in (tmp_path / "k.log").read_text()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--hours", "Tu-Su 10-18"], "'10-18': expected a time span HH:MM-HH:MM"),
        (["--hours", "Tu-Sx 10:00-18:00"], "expected days Mo Tu We Th Fr Sa Su"),
        (["--hours", "gallery-hours.txt"], "no such file, and not opening hours"),
        (["--hours", "{tmp}/hours.txt"], "hours.txt: line 2: '9:00-25:00': expected times"),
        (["--heartbeat", "/proc/no/beat"], "--heartbeat /proc/no/beat: cannot write"),
        (["--render", "4kx2k"], "--render 4kx2k: expected WIDTHxHEIGHT"),
    ],
)
def test_a_bad_kiosk_value_is_one_line_before_anything_starts(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hours.txt").write_text("# the gallery\nSa,Su 9:00-25:00\n")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main([*_kiosk_argv(tmp_path), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and needle in err[0], err
    assert not (tmp_path / "k.log").exists()  # refused before the log was opened


def test_hours_from_a_file(tmp_path: Path) -> None:
    from thereturn_viz.cli import build_parser
    from thereturn_viz.commands.kiosk import options

    path = tmp_path / "hours.txt"
    path.write_text("# the gallery\nTu-Sa 10:00-18:00   # weekdays\nSu 12:00-17:00\n")
    hours = options(build_parser().parse_args(["kiosk", "--hours", str(path)])).hours
    assert hours is not None and hours.text == "Tu-Sa 10:00-18:00; Su 12:00-17:00"
    assert hours.is_open(MONDAY + timedelta(days=6, hours=12))  # Sunday noon
    assert not hours.is_open(MONDAY + timedelta(hours=12))  # Monday noon


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb, an X server to lose")
def test_a_lost_display_is_the_logs_last_word(tmp_path: Path, systemd: _Systemd) -> None:
    """The X server dies under a running kiosk: the X library ends the process (exit 1) from
    inside SDL, and the kiosk's log says so first."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "320x200x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as chosen:
        display = chosen.readline().strip()  # written once the server is ready
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "WAYLAND_DISPLAY")}
    env |= {"DISPLAY": f":{display}", "NOTIFY_SOCKET": systemd.address}
    log = tmp_path / "k.log"
    argv = [sys.executable, "-m", "thereturn_viz", *_kiosk_argv(tmp_path)]
    kiosk = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True)
    try:
        systemd.sock.settimeout(120)
        assert systemd.sock.recv(4096).decode().startswith("READY=1")  # on the X screen
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
    _, err = kiosk.communicate(timeout=120)
    assert kiosk.returncode == 1, err
    last = log.read_text().strip().splitlines()[-1]
    assert "CRITICAL" in last and f"lost the display (the X server at DISPLAY=:{display}" in last
