"""AudioClock against a fake mixer: pause, seek, loop, drift, jitter, offset."""

from __future__ import annotations

import math

import pytest

from thereturn_viz.sound.clock import AudioClock, WallClock

FRAME = 1.0 / 60.0


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class FakeMixer:
    """A sound device whose crystal runs ``rate`` times real time and reports in whole ms."""

    def __init__(self, time: FakeTime, rate: float = 1.0, report: bool = True) -> None:
        self.time = time
        self.rate = rate
        self.report = report
        self.plays: list[float] = []
        self.resumes = 0
        self._start = 0.0
        self._since = 0.0
        self._elapsed = 0.0  # device seconds played before the current run
        self.paused = False

    def play(self, t: float) -> None:
        self.plays.append(t)
        self._start, self._elapsed, self._since, self.paused = t, 0.0, self.time(), False

    def pause(self) -> None:
        self._elapsed += (self.time() - self._since) * self.rate
        self.paused = True

    def resume(self) -> None:
        self.resumes += 1
        self._since, self.paused = self.time(), False

    def true_position(self) -> float:
        run = 0.0 if self.paused else (self.time() - self._since) * self.rate
        return self._start + self._elapsed + run

    def position(self) -> float | None:
        if not self.report or self.paused:
            return None
        return self._start + math.floor((self.true_position() - self._start) * 1000) / 1000


def _run(clock: AudioClock, time: FakeTime, seconds: float) -> list[float]:
    out = []
    for _ in range(round(seconds / FRAME)):
        time.t += FRAME
        out.append(clock.now())
    return out


@pytest.mark.parametrize("rate", [1.0 - 3e-4, 1.0, 1.0 + 3e-4])
def test_the_picture_stays_within_a_frame_of_a_drifting_sound_for_the_whole_piece(
    rate: float,
) -> None:
    time = FakeTime()
    mixer = FakeMixer(time, rate)
    clock = AudioClock(mixer, 0.0, source=time)
    worst = 0.0
    last = -1.0
    for _ in range(round(399 / FRAME)):
        time.t += FRAME
        t = clock.now()
        assert t >= last  # never runs backward
        last = t
        worst = max(worst, abs(t - mixer.true_position()))
    assert worst < FRAME
    assert clock.snaps == 0  # steered smoothly, never jumped


def test_without_reports_the_clock_runs_on_its_anchor() -> None:
    time = FakeTime()
    clock = AudioClock(FakeMixer(time, report=False), 12.0, source=time)
    time.t += 2.5
    assert clock.now() == pytest.approx(14.5)


def test_pause_freezes_picture_and_sound_and_resume_continues() -> None:
    time = FakeTime()
    mixer = FakeMixer(time)
    clock = AudioClock(mixer, 5.0, source=time)
    _run(clock, time, 2.0)
    clock.pause()
    frozen = clock.now()
    time.t += 30.0
    assert clock.now() == frozen and mixer.paused
    clock.resume()
    assert mixer.resumes == 1 and mixer.plays == [5.0]  # resumed, not restarted
    times = _run(clock, time, 1.0)
    assert times[-1] - frozen == pytest.approx(1.0, abs=FRAME)
    assert abs(clock.now() - mixer.true_position()) < FRAME


def test_seek_restarts_the_sound_at_the_new_place() -> None:
    time = FakeTime()
    mixer = FakeMixer(time)
    clock = AudioClock(mixer, 0.0, source=time)
    _run(clock, time, 3.0)
    clock.seek(200.0)
    assert mixer.plays[-1] == 200.0
    assert clock.now() == pytest.approx(200.0)
    _run(clock, time, 1.0)
    assert abs(clock.now() - mixer.true_position()) < FRAME
    assert clock.now() == pytest.approx(201.0, abs=FRAME)


def test_seek_while_paused_waits_for_resume() -> None:
    time = FakeTime()
    mixer = FakeMixer(time)
    clock = AudioClock(mixer, 0.0, source=time)
    clock.pause()
    clock.seek(42.0)
    time.t += 5.0
    assert clock.now() == 42.0 and mixer.plays == [0.0]
    clock.resume()
    assert mixer.plays == [0.0, 42.0]
    _run(clock, time, 0.5)
    assert clock.now() == pytest.approx(42.5, abs=FRAME)


def test_loop_restarts_from_the_top() -> None:
    time = FakeTime()
    mixer = FakeMixer(time)
    clock = AudioClock(mixer, 390.0, source=time)
    _run(clock, time, 9.0)
    clock.restart()
    assert mixer.plays[-1] == 0.0 and clock.now() == pytest.approx(0.0)
    _run(clock, time, 2.0)
    assert abs(clock.now() - mixer.true_position()) < FRAME


def test_a_jump_in_the_sound_is_followed_at_once() -> None:
    time = FakeTime()
    mixer = FakeMixer(time)
    clock = AudioClock(mixer, 0.0, source=time)
    _run(clock, time, 1.0)
    mixer._start += 0.25  # the device skipped a quarter second (an underrun, a driver hiccup)
    time.t += FRAME
    assert abs(clock.now() - mixer.true_position()) < FRAME
    assert clock.snaps == 1


@pytest.mark.parametrize("offset_ms", [-40.0, 80.0])
def test_offset_shifts_the_picture_behind_the_sound(offset_ms: float) -> None:
    time = FakeTime()
    mixer = FakeMixer(time)
    offset = offset_ms / 1000.0
    clock = AudioClock(mixer, 30.0, offset=offset, source=time)
    _run(clock, time, 5.0)
    assert clock.now() == pytest.approx(mixer.true_position() - offset, abs=FRAME)
    clock.seek(100.0)  # the picture lands where asked; the sound leads it by the offset
    assert clock.now() == pytest.approx(100.0)
    assert mixer.plays[-1] == pytest.approx(100.0 + offset)


def test_wall_clock_is_the_fallback_with_the_same_controls() -> None:
    time = FakeTime()
    clock = WallClock(3.0, source=time)
    time.t += 1.0
    clock.pause()
    time.t += 10.0
    clock.seek(50.0)
    clock.resume()
    time.t += 0.5
    assert clock.now() == pytest.approx(50.5)


class CoarseMixer(FakeMixer):
    """A device that only reports whole 1024-sample buffers (the coarsest a driver would)."""

    def position(self) -> float | None:
        if not self.report or self.paused:
            return None
        q = 1024 / 48_000
        return self._start + math.floor((self.true_position() - self._start) / q) * q


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("offset_ms", [0.0, 80.0, -40.0])
def test_within_a_frame_over_the_whole_piece_through_pauses_seeks_and_a_loop(
    coarse: bool, offset_ms: float
) -> None:
    """A whole play at 60 fps on a slightly fast crystal, with the things a visitor does."""
    time = FakeTime()
    mixer = (CoarseMixer if coarse else FakeMixer)(time, 1.0 + 3e-4)
    offset = offset_ms / 1000.0
    clock = AudioClock(mixer, 0.0, offset=offset, source=time)
    actions = {
        6_000: lambda: (clock.pause(), setattr(time, "t", time.t + 3.7), clock.resume()),
        9_000: lambda: clock.seek(clock.now() + 10.0),
        12_000: lambda: clock.seek(clock.now() - 25.0),
        15_000: lambda: (clock.pause(), clock.seek(300.0), clock.resume()),
        20_000: clock.restart,
    }
    worst, frames = 0.0, 0
    while frames < 32_000:
        time.t += FRAME
        frames += 1
        if frames in actions:
            actions[frames]()
        worst = max(worst, abs(clock.now() - (mixer.true_position() - offset)))
    assert worst < FRAME
    assert mixer.plays[-1] == pytest.approx(max(0.0, offset))  # the loop restarted the sound
    assert clock.snaps == 0


class LaggingMixer(FakeMixer):
    """A device that takes ``lag`` seconds to start after ``play()``: its position stays where
    it was started for that long, then runs. It reports exactly (no rounding), so what is left
    between the picture and the sound is the clock's own doing."""

    def __init__(self, time: FakeTime, lag: float = 0.02) -> None:
        super().__init__(time)
        self.lag = lag
        self._wait = 0.0  # how long the device still stands before it runs

    def play(self, t: float) -> None:
        super().play(t)
        self._wait = self.lag

    def pause(self) -> None:
        self._elapsed = self.true_position() - self._start
        self.paused = True

    def resume(self) -> None:
        super().resume()
        self._wait = 0.0

    def true_position(self) -> float:
        if self.paused:
            return self._start + self._elapsed
        return self._start + self._elapsed + max(0.0, self.time() - self._since - self._wait)

    def position(self) -> float | None:
        return None if self.paused else self.true_position()


#: Half a second after the sound (re)starts, the picture is this close to it (a twentieth of a
#: frame). Settling takes out a 20 ms start-up lag within its first readings; the ordinary
#: gentle steer alone would leave 1.5 ms of it (a tenth of a frame) after half a second.
SETTLED = FRAME / 20


def _error_after(clock: AudioClock, mixer: FakeMixer, time: FakeTime, seconds: float) -> float:
    _run(clock, time, seconds)
    return abs(clock.now() - mixer.true_position())


def test_after_play_the_clock_settles_onto_a_lagging_sound() -> None:
    """The sound starts 20 ms late: the picture waits for it at once (settling), not over
    seconds, and is never snapped (the lag is under the snap threshold)."""
    time = FakeTime()
    mixer = LaggingMixer(time)
    clock = AudioClock(mixer, 30.0, source=time)
    assert _error_after(clock, mixer, time, 0.5) < SETTLED
    assert clock.snaps == 0


def test_after_a_seek_the_clock_settles_again() -> None:
    """Settling is armed again by each seek: long after the first start, a seek's lag is taken
    out as fast as the first one was."""
    time = FakeTime()
    mixer = LaggingMixer(time)
    clock = AudioClock(mixer, 0.0, source=time)
    _run(clock, time, 3.0)
    clock.seek(200.0)
    assert mixer.plays == [0.0, 200.0]
    assert _error_after(clock, mixer, time, 0.5) < SETTLED
    assert clock.snaps == 0


def test_a_resume_after_a_paused_seek_restarts_there_and_settles() -> None:
    """A seek while paused restarts the sound on resume (play, which lags), and settles onto it."""
    time = FakeTime()
    mixer = LaggingMixer(time)
    clock = AudioClock(mixer, 0.0, source=time)
    _run(clock, time, 3.0)
    clock.pause()
    clock.seek(120.0)
    clock.resume()
    assert mixer.plays == [0.0, 120.0] and mixer.resumes == 0
    assert _error_after(clock, mixer, time, 0.5) < SETTLED


def test_after_a_paused_seek_a_later_pause_resumes_instead_of_restarting() -> None:
    """Once the paused seek has been played, the next pause and resume is an ordinary one: the
    device resumes where it stopped; restarting it would cost a start-up lag and a jump."""
    time = FakeTime()
    mixer = LaggingMixer(time)
    clock = AudioClock(mixer, 0.0, source=time)
    clock.pause()
    clock.seek(60.0)
    clock.resume()
    _run(clock, time, 2.0)
    clock.pause()
    time.t += 4.0
    clock.resume()
    assert mixer.plays == [0.0, 60.0] and mixer.resumes == 1
    assert _error_after(clock, mixer, time, 0.5) < SETTLED
