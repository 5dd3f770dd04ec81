"""``calibrate``: a flash and a click on every beat, brought together by eye and ear.

What the program can measure of its own path (the mixer's buffers, the time a frame takes to
reach the screen) the clock compensates already. What it cannot see is the room: a television
that shows each picture 40 to 120 ms after it is sent, speakers or an amplifier with delays of
their own. So, as rhythm games and AV receivers do, the installer closes the loop by eye and
ear: a white field flashes and a click sounds on each beat of a steady tempo, and the arrow
keys move the picture later or earlier until the two land together. The number found is the
``--av-offset`` of ``play`` and ``kiosk``, and it means exactly what it means there, because the
flashes are timed by the same clock (:class:`..sound.clock.AudioClock`) through the same mixer
path (:class:`.audio.MusicMixer`) as the piece.

The click track is one beat long, synthesized here and looped by the mixer: every click is a
whole number of samples from the last, with no scheduling from Python in between.
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pygame
from numpy.typing import NDArray

from ..sound.clock import AudioClock, WallClock
from ..sound.score import RATE
from .audio import BUFFER, MusicMixer, say_once

#: The tempo of the beats (per minute), the piece's first: a beat a little under a second
#: leaves time to judge each pair, and is not a whole number of 60 Hz frames, so the flashes do
#: not all fall at one phase of the screen's refresh (a flash, like anything in the piece, shows
#: on the first frame after its moment).
BPM = 64.0
#: How long the white field stays up on each beat (s), and the click (s).
FLASH, CLICK = 0.1, 0.008
#: The click's pitch (Hz): a short bright tick, easy to place in time.
CLICK_HZ = 2000.0
#: The nudges (ms): an arrow key, with Shift (fine), and Up/Down (coarse).
STEP_MS, FINE_MS, COARSE_MS = 5.0, 1.0, 20.0
#: The offsets the keys may reach (ms): past these, something other than latency is wrong.
LIMIT_MS = 500.0
WHITE, BLACK, INK = (255, 255, 255), (0, 0, 0), (200, 200, 200)


def beat_period(bpm: float = BPM, rate: int = RATE) -> int:
    """Samples from one beat to the next: a whole number, so the looped track keeps time.

    >>> beat_period(60.0), beat_period(64.0)
    (48000, 45000)
    """
    return round(rate * 60.0 / bpm)


def click_track(bpm: float = BPM, rate: int = RATE) -> NDArray[np.int16]:
    """One beat of sound, stereo: a click at its very start (a sine burst, sharp in, decaying
    out) and silence until the next. Looped, it clicks on every beat.

    >>> x = click_track(); x.shape, int(abs(x[:10]).max()) > 0, int(abs(x[2000:]).max())
    ((45000, 2), True, 0)
    """
    n = round(CLICK * rate)
    t = np.arange(n) / rate
    attack = np.minimum(1.0, np.arange(n) / 4.0)  # four samples up: no splat, still sharp
    tone = np.sin(2 * math.pi * CLICK_HZ * t) * attack * np.exp(-t / (CLICK / 4))
    beat = np.zeros((beat_period(bpm, rate), 2), dtype=np.int16)
    beat[:n] = (tone * 0.7 * 32767).astype(np.int16)[:, None]
    return beat


def wav_bytes(samples: NDArray[np.int16], rate: int = RATE) -> bytes:
    """A WAV file in memory (the mixer streams from it; nothing is written to disk)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return out.getvalue()


def flash_on(t: float, period: float, flash: float = FLASH) -> bool:
    """Is the white field up at picture time ``t``? For ``flash`` seconds from each beat.

    >>> [flash_on(t, 1.0) for t in (0.0, 0.05, 0.1, 0.5, 2.0, 2.099)]
    [True, True, False, False, True, True]
    """
    return t - math.floor(t / period) * period < flash


def nudge(offset_ms: float, key: int, mods: int) -> float:
    """The offset after a key: Right shows the picture later, Left earlier, by STEP_MS (FINE_MS
    with Shift); Up and Down by COARSE_MS. Kept within +-LIMIT_MS.

    >>> nudge(0.0, pygame.K_RIGHT, 0), nudge(0.0, pygame.K_LEFT, pygame.KMOD_LSHIFT)
    (5.0, -1.0)
    >>> nudge(490.0, pygame.K_UP, 0), nudge(7.0, pygame.K_a, 0)
    (500.0, 7.0)
    """
    shift = bool(mods & pygame.KMOD_SHIFT)
    step = {
        pygame.K_RIGHT: FINE_MS if shift else STEP_MS,
        pygame.K_LEFT: -(FINE_MS if shift else STEP_MS),
        pygame.K_UP: COARSE_MS,
        pygame.K_DOWN: -COARSE_MS,
    }.get(key, 0.0)
    return min(max(offset_ms + step, -LIMIT_MS), LIMIT_MS)


def describe(offset_ms: float) -> str:
    """The offset in words, as the screen shows it while the keys move it.

    >>> describe(-45.0)
    'the picture 45 ms before the sound'
    >>> describe(0.0), describe(12.5)
    ('the picture with the sound', 'the picture 12.5 ms after the sound')
    """
    if offset_ms == 0:
        return "the picture with the sound"
    side = "after" if offset_ms > 0 else "before"
    return f"the picture {abs(offset_ms):g} ms {side} the sound"


def result_lines(offset_ms: float) -> list[str]:
    """What calibrate prints at the end: the option, and the service's line with it.

    >>> result_lines(35.0)[0]
    '--av-offset 35'
    """
    ms = f"{offset_ms:g}"
    return [
        f"--av-offset {ms}",
        "for the gallery's service (assets/kiosk/thereturn.service, docs/kiosk.md):",
        f"ExecStart=%h/thereturn/bin/python -m thereturn_viz kiosk --av-offset {ms}",
    ]


class ClickMixer(MusicMixer):
    """The click track looping in ``pygame.mixer.music``: the piece's mixer, another sound."""

    def __init__(self, bpm: float) -> None:
        self.period = beat_period(bpm) / RATE
        super().__init__(io.BytesIO(wav_bytes(click_track(bpm))), math.inf)

    def play(self, t: float) -> None:
        self._paused = False
        pygame.mixer.music.play(loops=-1, start=t % self.period)
        self._start = t
        self._playing = True


@dataclass(frozen=True)
class CalibrateOptions:
    size: tuple[int, int] = (1280, 720)
    fullscreen: bool = False
    offset_ms: float = 0.0  # where the nudging starts (--av-offset)
    bpm: float = BPM
    #: for tests: each frame moves the clock on this many seconds, the sound a silent fake
    step: float | None = None
    max_frames: int | None = None  # for tests: stop after this many frames


@dataclass(frozen=True)
class Shown:
    """One frame as the calibration drew it (kept in step mode, for tests)."""

    sound: float  # where the clicks were (s from the first click)
    picture: float  # the picture's time: sound less the offset
    offset_ms: float
    flash: bool


class _SteppedSound:
    """The silent sound of step mode: it is wherever the frame count puts it."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def play(self, t: float) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def position(self) -> float | None:
        return self._now()


@dataclass
class Calibration:
    options: CalibrateOptions
    offset_ms: float = 0.0
    frames: int = 0
    running: bool = True
    shown: list[Shown] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.offset_ms = self.options.offset_ms
        self.period = beat_period(self.options.bpm) / RATE

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE):
                self.running = False
            else:
                self.offset_ms = nudge(self.offset_ms, event.key, event.mod)

    def events(self) -> list[pygame.event.Event]:
        """This frame's events (a test scripts an installer's keys here)."""
        return pygame.event.get()

    def _clock(self) -> tuple[AudioClock | WallClock, MusicMixer | None]:
        o = self.options
        if o.step is not None:
            step = o.step
            seconds = lambda: self.frames * step  # noqa: E731
            return AudioClock(_SteppedSound(seconds), 0.0, source=seconds), None
        try:
            pygame.mixer.init(RATE, -16, 2, BUFFER, allowedchanges=0)
            mixer = ClickMixer(o.bpm)
        except pygame.error as exc:
            say_once(f"calibrate: no audio device ({exc}): the flashes alone, no clicks")
            return WallClock(0.0), None
        return AudioClock(mixer, 0.0), mixer

    def run(self) -> float:
        """Flash and click until Enter or Esc; returns the offset found (ms)."""
        o = self.options
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("The Return: calibrate picture and sound")
        if o.fullscreen:
            window = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            window = pygame.display.set_mode(o.size)
        font = pygame.font.Font(None, max(18, window.get_height() // 24))
        clock, mixer = self._clock()
        ticker = pygame.time.Clock()
        try:
            while self.running:
                for event in self.events():
                    self.handle(event)
                if isinstance(clock, AudioClock):  # exactly as play reads it for a frame
                    clock.offset = self.offset_ms / 1000.0
                    picture = clock.now()
                    sound = picture + clock.offset - clock.lead
                else:
                    sound = clock.now()
                    picture = sound - self.offset_ms / 1000.0
                flash = flash_on(picture, self.period)
                self.draw(window, font, flash)
                pygame.display.flip()
                if isinstance(clock, AudioClock):
                    clock.shown()
                if o.step is not None:
                    self.shown.append(Shown(sound, picture, self.offset_ms, flash))
                else:
                    ticker.tick(60)  # play's pace: a flash comes late by what a frame of it does
                self.frames += 1
                if o.max_frames is not None and self.frames >= o.max_frames:
                    break
        finally:
            if mixer is not None:
                mixer.close()
            pygame.display.quit()
        return self.offset_ms

    def draw(self, window: pygame.Surface, font: pygame.font.Font, flash: bool) -> None:
        window.fill(WHITE if flash else BLACK)
        ink = BLACK if flash else INK
        w, h = window.get_size()
        lines = [
            f"--av-offset {self.offset_ms:g}: {describe(self.offset_ms)}",
            "Right / Left: picture later / earlier by 5 ms (Shift: 1 ms; Up / Down: 20 ms)",
            "until flash and click land together.  Enter or Esc: done",
        ]
        for i, line in enumerate(lines):
            text = font.render(line, True, ink)
            y = h - (len(lines) - i) * font.get_linesize() - 12
            window.blit(text, ((w - text.get_width()) // 2, y))
