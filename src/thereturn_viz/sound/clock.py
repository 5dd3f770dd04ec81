"""Clocks: where the piece time ``t`` comes from.

``FrameClock`` is exact (export, tests): ``t = frame / fps``. ``WallClock`` follows a monotonic
clock and can pause and seek; it is the fallback when there is no audio device. ``AudioClock``
makes the sound the master: a monotonic clock anchored when the mixer starts playing, re-anchored
on pause, seek and loop, and steered gently toward the mixer's own position when it reports one
(pygame's position alone is too coarse to draw from, but it does not drift from the sound).
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...


class FrameClock:
    """t = frame / fps, exactly; no wall time involved.

    >>> c = FrameClock(30); c.frame = 45; c.now()
    1.5
    """

    def __init__(self, fps: float, start_frame: int = 0) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        self.fps = fps
        self.frame = start_frame

    def now(self) -> float:
        return self.frame / self.fps

    def tick(self) -> float:
        self.frame += 1
        return self.now()


class WallClock:
    """Piece time from a monotonic clock, anchored at start, pause and seek.

    >>> fake = iter([0.0, 0.0, 2.0, 2.0, 5.0]).__next__
    >>> c = WallClock(10.0, source=fake); c.now()
    10.0
    >>> c.pause(); c.now()
    12.0
    >>> c.resume(); c.now()
    15.0
    """

    def __init__(self, start: float = 0.0, source: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._anchor_wall = source()
        self._anchor_t = start
        self.paused = False

    def now(self) -> float:
        if self.paused:
            return self._anchor_t
        return self._anchor_t + (self._source() - self._anchor_wall)

    def seek(self, t: float) -> None:
        self._anchor_t = t
        self._anchor_wall = self._source()

    def pause(self) -> None:
        if not self.paused:
            self._anchor_t = self.now()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self._anchor_wall = self._source()


class Mixer(Protocol):
    """The sound as the clock sees it; ``run/audio.py`` wraps pygame's mixer in this shape."""

    def play(self, t: float) -> None:
        """Start the score at piece time ``t`` (restarting it if it is playing)."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def position(self) -> float | None:
        """The piece time the sound has reached, or None when it cannot tell."""


#: Off by more than this many frames: jump to the sound's time instead of steering toward it.
SNAP_FRAMES = 1.5
#: The fraction of a small error taken out at each reading (a gentle, jitter-proof steer).
SLEW = 0.08
#: Just after the sound (re)starts, its reports settle by a buffer: follow them faster then.
SLEW_SETTLING, SETTLING_READINGS = 0.3, 20
#: The frames whose time from reading the clock to reaching the screen set the lead (a median),
#: and the most the lead may be (s): a stall is not a reason to draw the piece far ahead.
LEAD_FRAMES, LEAD_MAX = 31, 0.1


class AudioClock:
    """Piece time slaved to the sound; the picture runs ``offset`` seconds behind the sound.

    ``offset`` (``--av-offset``) is the room's latency: with speakers that sound 80 ms late, an
    offset of 0.08 shows each picture 80 ms later so it meets its sound.

    A frame reaches the screen some time after the clock is read for it (it is drawn, then
    flipped). A loop that calls :meth:`shown` after each flip lets the clock measure that time
    (the median of the last frames) and read it ahead by as much, so each picture is drawn for
    the moment it will be seen.

    >>> class Silent:
    ...     def play(self, t): print(f"play {t:g}")
    ...     def pause(self): print("pause")
    ...     def resume(self): print("resume")
    ...     def position(self): return None
    >>> fake = iter([0.0, 1.0, 2.0, 2.0, 3.0, 3.5]).__next__
    >>> c = AudioClock(Silent(), 10.0, source=fake)
    play 10
    >>> c.now()
    11.0
    >>> c.pause(); c.now()
    pause
    12.0
    >>> c.seek(30.0); c.resume(); c.now()
    play 30
    30.5
    """

    def __init__(
        self,
        mixer: Mixer,
        start: float = 0.0,
        offset: float = 0.0,
        source: Callable[[], float] = time.monotonic,
        frame: float = 1.0 / 60.0,
    ) -> None:
        self.mixer = mixer
        self.offset = offset
        self.frame = frame
        self.paused = False
        self.snaps = 0
        self._source = source
        self._pending = False  # a seek while paused: the sound restarts on resume
        self._settling = SETTLING_READINGS
        self._anchor_t = max(0.0, start + offset)
        self.mixer.play(self._anchor_t)
        self._anchor_wall = source()
        #: seconds from reading the clock for a frame to the frame on the screen (measured)
        self.lead = 0.0
        self._leads: deque[float] = deque(maxlen=LEAD_FRAMES)
        self._read_at: float | None = None

    def sound_time(self) -> float:
        """Where the sound is now (the picture's ``t`` plus the offset, less the lead)."""
        if self.paused:
            return self._anchor_t
        wall = self._read_at = self._source()
        t = self._anchor_t + (wall - self._anchor_wall)
        heard = self.mixer.position()
        if heard is None:
            return t
        error = heard - t
        if abs(error) > SNAP_FRAMES * self.frame:
            self.snaps += 1
            self._anchor_t += error
            return heard
        slew = SLEW
        if self._settling > 0:
            self._settling -= 1
            slew = SLEW_SETTLING
        self._anchor_t += slew * error
        return t + slew * error

    def now(self) -> float:
        """The piece time to draw: what the sound will be playing when the frame is seen."""
        return max(0.0, self.sound_time() + self.lead - self.offset)

    def shown(self) -> None:
        """The frame drawn for the last :meth:`now` is on the screen (the loop has flipped).

        >>> class Still:
        ...     def play(self, t): pass
        ...     def position(self): return None
        >>> fake = iter([0.0, 1.0, 1.012, 2.0, 2.014]).__next__
        >>> c = AudioClock(Still(), source=fake)
        >>> c.now(); c.shown(); c.now(); c.shown(); round(c.lead, 3)
        1.0
        2.012
        0.013
        """
        if self._read_at is None:
            return
        self._leads.append(min(max(self._source() - self._read_at, 0.0), LEAD_MAX))
        self._read_at = None
        self.lead = statistics.median(self._leads)

    def seek(self, t: float) -> None:
        """Jump the picture to ``t``; the sound restarts there (or on resume when paused)."""
        self._anchor_t = max(0.0, t + self.offset)
        self._anchor_wall = self._source()
        if self.paused:
            self._pending = True
        else:
            self.mixer.play(self._anchor_t)
            self._anchor_wall = self._source()
            self._settling = SETTLING_READINGS

    def restart(self) -> None:
        """The loop: back to the start, playing."""
        self.paused = False
        self._pending = False
        self.seek(0.0)

    def pause(self) -> None:
        if not self.paused:
            self._anchor_t = self.sound_time()
            self.paused = True
            self.mixer.pause()

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            if self._pending:
                self._pending = False
                self.mixer.play(self._anchor_t)
            else:
                self.mixer.resume()
            self._anchor_wall = self._source()
            self._settling = SETTLING_READINGS
