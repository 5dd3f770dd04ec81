"""Clocks: where the piece time ``t`` comes from.

``FrameClock`` is exact (export, tests): ``t = frame / fps``. ``WallClock`` follows a monotonic
clock and can pause and seek; it is the fallback when there is no audio device.
"""

from __future__ import annotations

import time
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
