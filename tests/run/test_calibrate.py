"""calibrate: the keys move the offset, and flash and click fall on the beats plus the offset."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pygame
import pytest

from thereturn_viz.cli import main
from thereturn_viz.run import audio, calibrate
from thereturn_viz.run.calibrate import CalibrateOptions, Calibration
from thereturn_viz.sound.clock import LEAD_MAX, AudioClock
from thereturn_viz.sound.score import RATE

#: one frame = 1 ms of the clock: flash onsets are found to the millisecond
STEP = 0.001


def key(k: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)


class Scripted(Calibration):
    """A calibration whose keys arrive at given frames, as an installer's would."""

    def __init__(self, options: CalibrateOptions, script: dict[int, list[pygame.event.Event]]):
        super().__init__(options)
        self.script = script

    def events(self) -> list[pygame.event.Event]:
        return [*super().events(), *self.script.get(self.frames, [])]


def onsets(cal: Calibration) -> list[tuple[float, float]]:
    """(sound time, offset ms) at each frame where the flash comes on."""
    out = []
    for before, now in zip(cal.shown, cal.shown[1:], strict=False):
        if now.flash and not before.flash:
            out.append((now.sound, now.offset_ms))
    return out


def test_the_keys_nudge_the_offset_and_the_flash_follows() -> None:
    period = calibrate.beat_period() / RATE
    # 3 beats at the start offset (20 ms), then Right x3, Shift+Left x2, Up: 20+15-2+20 = 53
    script = {
        3000: [key(pygame.K_RIGHT)] * 3 + [key(pygame.K_LEFT, pygame.KMOD_LSHIFT)] * 2,
        3001: [key(pygame.K_UP)],
        6000: [key(pygame.K_RETURN)],
    }
    cal = Scripted(CalibrateOptions(size=(64, 36), offset_ms=20.0, step=STEP), script)
    assert cal.run() == pytest.approx(53.0)
    assert cal.frames == 6001  # Enter ended it on the frame it came
    found = onsets(cal)
    assert len(found) == math.floor(6.0 / period)  # every beat flashed, once
    for sound, offset_ms in found:
        # the flash comes on offset ms after the beat's click (the frame of 1 ms after it)
        after_beat = sound - round(sound / period) * period
        assert after_beat * 1000 == pytest.approx(offset_ms, abs=1.0 + 1e-6)
    assert {o for _, o in found} == {20.0, 53.0}
    # and it stays up FLASH seconds
    lit = sum(1 for s in cal.shown if s.flash and s.sound > 3.5)
    beats_after = len([s for s, o in found if s > 3.5])
    assert lit == pytest.approx(beats_after * calibrate.FLASH / STEP, abs=beats_after)


def test_negative_offsets_show_the_picture_first() -> None:
    script = {0: [key(pygame.K_LEFT)] * 4 + [key(pygame.K_DOWN)], 2500: [key(pygame.K_ESCAPE)]}
    cal = Scripted(CalibrateOptions(size=(64, 36), step=STEP), script)
    assert cal.run() == -40.0
    period = calibrate.beat_period() / RATE
    for sound, _ in onsets(cal):
        assert (sound - round(sound / period) * period) * 1000 == pytest.approx(-40.0, abs=1.0)


def test_the_click_is_on_the_beat_and_nowhere_else() -> None:
    for bpm in (60.0, 64.0):
        track = calibrate.click_track(bpm)
        assert len(track) == round(RATE * 60 / bpm)
        loud = np.nonzero(np.abs(track[:, 0]) > 0)[0]
        assert loud[0] < 4 and loud[-1] < calibrate.CLICK * RATE  # it starts the beat
        assert np.array_equal(track[:, 0], track[:, 1])
    looped = np.concatenate([calibrate.click_track()] * 3)[:, 0]
    sounding = looped != 0
    # a click starts where the sound comes after a silence of 200 samples (or at the start)
    starts = [int(i) for i in np.nonzero(sounding)[0] if not sounding[max(0, i - 200) : i].any()]
    assert np.diff(starts).tolist() == [calibrate.beat_period()] * 2


def test_the_click_track_plays_through_the_mixer(capsys: pytest.CaptureFixture[str]) -> None:
    # the real path under the dummy audio driver: the looped track keeps the clock moving
    pygame.mixer.quit()
    pygame.mixer.init(RATE, -16, 2, 1024, allowedchanges=0)
    mixer = calibrate.ClickMixer(calibrate.BPM)
    try:
        mixer.play(0.0)
        assert pygame.mixer.music.get_busy()
        heard = mixer.position()
        assert heard is None or heard >= 0.0
    finally:
        mixer.close()


def test_the_command_prints_the_offset_and_the_service_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["calibrate", "--size", "64x36", "--av-offset", "35", "--step", "0.01"]
    assert main([*argv, "--max-frames", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "--av-offset 35"
    assert out[-1].startswith("ExecStart=") and out[-1].endswith("kiosk --av-offset 35")


def test_calibrate_without_a_screen_says_so_in_one_line() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "thereturn_viz", "calibrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no screen" in lines[0] and "calibrate" in lines[0]


# -- what the clock compensates by itself (calibrate finds only what is left: the room) ------


class _Fake:
    """Monotonic time moved by hand, and a sound device that is exactly where it should be."""

    def __init__(self) -> None:
        self.t = 100.0
        self.start = 0.0

    def __call__(self) -> float:
        return self.t

    def play(self, t: float) -> None:
        self.start, self.since = t, self.t

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def position(self) -> float | None:
        return self.start + (self.t - self.since)


def _frames(clock: AudioClock, fake: _Fake, draw: list[float], period: float = 1 / 60) -> float:
    """Frames as a loop runs them: read the clock, draw for ``draw[i]`` s, flip, wait."""
    for took in draw:
        clock.now()
        fake.t += took
        clock.shown()
        fake.t += period - took
    return clock.lead


def test_the_clock_reads_ahead_by_the_time_a_frame_takes_to_reach_the_screen() -> None:
    fake = _Fake()
    clock = AudioClock(fake, 10.0, source=fake)
    assert clock.now() == pytest.approx(10.0)  # nothing measured yet: no lead
    assert _frames(clock, fake, [0.012] * 40) == pytest.approx(0.012)
    heard = fake.position()
    assert heard is not None
    # the frame read now is drawn for the moment it will be on the screen
    assert clock.now() == pytest.approx(heard + 0.012)
    # one long frame does not move it (a median); a stall does not throw it far ahead
    assert _frames(clock, fake, [0.012] * 10 + [0.2] + [0.012] * 5) == pytest.approx(0.012)
    assert _frames(clock, fake, [0.5] * 40) == pytest.approx(LEAD_MAX)
    clock.offset = 0.05  # --av-offset still comes on top: the picture 50 ms later
    heard = fake.position()
    assert heard is not None and clock.now() == pytest.approx(heard + LEAD_MAX - 0.05)


def test_the_mixers_count_is_taken_back_by_the_buffers_between_it_and_the_ear() -> None:
    pygame.mixer.quit()
    pygame.mixer.init(RATE, -16, 2, audio.BUFFER, allowedchanges=0)
    try:
        mixer = calibrate.ClickMixer(calibrate.BPM)
        held = audio.BUFFERS_HELD.get(pygame.mixer.get_driver(), audio.BUFFERS_HELD_ELSE)
        assert mixer.latency > 0.0 and mixer.latency == pytest.approx(held * audio.BUFFER / RATE)
        assert audio.output_latency() == mixer.latency
    finally:
        pygame.mixer.quit()
    assert audio.output_latency() == 0.0
