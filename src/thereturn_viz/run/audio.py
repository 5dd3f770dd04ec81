"""The sound side of play and kiosk: pygame's mixer streaming the score, and the clock it drives.

The score WAV comes from the cache (:func:`..sound.score.score_file`); ``pygame.mixer.music``
streams it from any position, and its position report (samples the device has taken, plus the
milliseconds since) steers :class:`..sound.clock.AudioClock`. Without a sound device, or muted
from the command line, the wall clock drives the piece and the program says so once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pygame
from numpy.typing import NDArray

from ..show.choreography import Choreography
from ..show.cues import CueSheet
from ..sound.clock import AudioClock, WallClock
from ..sound.composition import RATE
from ..sound.levels import loudness_curve
from ..sound.score import score_file

BUFFER = 1024
#: What pygame counts as played is the sound it has handed SDL, so the sound heard is behind the
#: count by the buffer just mixed and what the device still holds from before it, which depends
#: on how SDL opens each kind of device: ALSA with two periods of one buffer each (one still
#: queued when the next is mixed), PulseAudio and PipeWire with a target of one buffer (the next
#: is asked for when the last has nearly played). In buffers, by SDL's driver name; another
#: driver is taken as ALSA is. Measured through PulseAudio here (benchmarks/av_sync.py): the
#: sound heard 29 to 32 ms behind the count, one 21.3 ms buffer and 8 to 10 ms besides (the
#: sink's 2.5 to 4.7 ms, the audio thread's wake-ups), which are left to --av-offset.
BUFFERS_HELD = {"pulseaudio": 1, "pipewire": 1, "alsa": 2}
BUFFERS_HELD_ELSE = 2
_said: set[str] = set()


def say_once(message: str, out: Callable[[str], None] | None = None) -> None:
    """Tell the user something about the sound once per run, however often it is asked."""
    if message in _said:
        return
    _said.add(message)
    (out or (lambda m: print(m, file=sys.stderr)))(message)


def forget_notices() -> None:
    """Let every notice be said again (a new session of the program, or a test)."""
    _said.clear()


def latency_for(driver: str, rate: int, buffer: int = BUFFER) -> float:
    """Seconds from pygame's count of the sound handed over to the sound heard, for a device of
    SDL's ``driver`` opened at ``rate`` with ``buffer`` samples.

    >>> [round(latency_for(d, 48_000) * 1000, 1) for d in ("pulseaudio", "alsa")]
    [21.3, 42.7]
    """
    return BUFFERS_HELD.get(driver, BUFFERS_HELD_ELSE) * buffer / rate


def output_latency() -> float:
    """:func:`latency_for` the open device, as SDL opened it (0 with none)."""
    spec = pygame.mixer.get_init()
    if spec is None:
        return 0.0
    return latency_for(pygame.mixer.get_driver(), spec[0])


class MusicMixer:
    """:class:`..sound.clock.Mixer` over ``pygame.mixer.music`` playing one WAV file (a path,
    or a file-like object holding one)."""

    def __init__(self, path: Path | BinaryIO, duration: float) -> None:
        if isinstance(path, Path):
            pygame.mixer.music.load(str(path))
        else:
            pygame.mixer.music.load(path, "wav")
        self.duration = duration
        self.latency = output_latency()
        self.muted = False
        self._start = 0.0
        self._playing = False
        self._paused = False

    def play(self, t: float) -> None:
        self._paused = False
        if t >= self.duration:
            pygame.mixer.music.stop()
            self._playing = False
            return
        pygame.mixer.music.play(start=t)
        self._start = t
        self._playing = True

    def pause(self) -> None:
        self._paused = True
        pygame.mixer.music.pause()

    def resume(self) -> None:
        self._paused = False
        pygame.mixer.music.unpause()

    def position(self) -> float | None:
        if not self._playing or self._paused:
            return None
        ms = pygame.mixer.music.get_pos()
        if ms < 0 or not pygame.mixer.music.get_busy():
            self._playing = False  # the score has ended: the monotonic clock carries on
            return None
        # pygame counts what it has handed the device, ahead of what is being heard
        return self._start + max(0.0, ms / 1000.0 - self.latency)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        pygame.mixer.music.set_volume(0.0 if muted else 1.0)

    def toggle_mute(self) -> bool:
        self.set_muted(not self.muted)
        return self.muted

    def close(self) -> None:
        pygame.mixer.music.stop()
        pygame.mixer.quit()


@dataclass
class Sound:
    """What play and kiosk hold: the clock, and the mixer when there is sound."""

    clock: AudioClock | WallClock
    mixer: MusicMixer | None

    def toggle_mute(self) -> None:
        if self.mixer is not None:
            self.mixer.toggle_mute()

    def close(self) -> None:
        if self.mixer is not None:
            self.mixer.close()
            self.mixer = None


def open_mixer(
    choreography: Choreography, mute: bool = False, say: Callable[[str], None] | None = None
) -> MusicMixer | None:
    """The mixer loaded with the score, or None (and a word, once) when there is no sound."""
    if mute:
        say_once("sound: muted (--mute); the wall clock drives the piece", say)
        return None
    try:
        path = score_file(choreography)
        pygame.mixer.init(RATE, -16, 2, BUFFER, allowedchanges=0)
        return MusicMixer(path, choreography.sheet.duration)
    except (pygame.error, OSError) as exc:
        say_once(f"sound: no audio device ({exc}); the wall clock drives the piece", say)
        return None


def open_sound(
    choreography: Choreography,
    start: float = 0.0,
    mute: bool = False,
    av_offset_ms: float = 0.0,
    say: Callable[[str], None] | None = None,
) -> Sound:
    """The score playing from ``start`` with its clock, or the wall clock when there is no sound."""
    mixer = open_mixer(choreography, mute, say)
    if mixer is None:
        return Sound(WallClock(start), None)
    return Sound(AudioClock(mixer, start, offset=av_offset_ms / 1000.0), mixer)


# -- the loudness plot (docs/score.png) ---------------------------------------------------------

INK = (232, 222, 200)
DIM = (120, 112, 100)
CURVE = (230, 170, 90)
PAPER = (18, 17, 20)


def draw_loudness(
    samples: NDArray[np.int16], rate: int, sheet: CueSheet, size: tuple[int, int] = (1600, 520)
) -> pygame.Surface:
    """Loudness over time (RMS dBFS per half second) with every cue marked by name."""
    pygame.font.init()
    w, h = size
    left, right, top, bottom = 56, 16, 16, 150
    floor, ceil = -60.0, 0.0
    surf = pygame.Surface(size)
    surf.fill(PAPER)
    font = pygame.font.Font(None, 20)
    plot_w, plot_h = w - left - right, h - top - bottom
    duration = max(sheet.duration, 1e-9)

    def x_of(t: float) -> int:
        return left + round(t / duration * plot_w)

    def y_of(db: float) -> int:
        return top + round((ceil - min(max(db, floor), ceil)) / (ceil - floor) * plot_h)

    for db in range(int(floor), int(ceil) + 1, 10):
        y = y_of(db)
        pygame.draw.line(surf, (40, 38, 44), (left, y), (w - right, y))
        surf.blit(font.render(f"{db} dB", True, DIM), (6, y - 7))
    times, levels = loudness_curve(samples, rate, 0.5)
    points = [(x_of(float(t)), y_of(float(d))) for t, d in zip(times, levels, strict=True)]
    if len(points) > 1:
        base = y_of(floor)
        pygame.draw.polygon(
            surf, (70, 50, 30), [(points[0][0], base), *points, (points[-1][0], base)]
        )
        pygame.draw.lines(surf, CURVE, False, points, 2)
    for i, cue in enumerate(sheet.cues):
        x = x_of(cue.t)
        pygame.draw.line(surf, DIM, (x, top), (x, h - bottom + 6))
        label = pygame.transform.rotate(font.render(f"{cue.name} {cue.t:g}s", True, INK), 90)
        surf.blit(label, (x - label.get_width() // 2 - (6 if i % 2 else -6) // 2, h - bottom + 10))
    pygame.draw.rect(surf, DIM, (left, top, plot_w, plot_h), 1)
    surf.blit(
        font.render("The Return: the score, RMS dBFS over time", True, INK), (left + 8, top + 6)
    )
    return surf
