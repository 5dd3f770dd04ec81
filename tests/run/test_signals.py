"""A stop raised from a signal's handler is not lost inside pymunk's callbacks."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pymunk
import pytest

from thereturn_viz.run.signals import raise_outside_callbacks


class Stop(BaseException):
    pass


@contextmanager
def handler(raising: Callable[[FrameType | None], None]) -> Iterator[None]:
    old = signal.signal(signal.SIGTERM, lambda signum, frame: raising(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def signalled_in_a_callback(steps: int = 2000) -> int:
    """Step a space whose body's velocity function sends SIGTERM to this process once: the
    handler runs while the solver is calling back into Python. Returns the steps taken."""
    space = pymunk.Space()
    body = pymunk.Body(1.0, 1.0)
    space.add(body, pymunk.Circle(body, 0.1))
    sent = []

    def velocity(b: pymunk.Body, gravity: object, damping: float, dt: float) -> None:
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGTERM)
        pymunk.Body.update_velocity(b, gravity, damping, dt)  # type: ignore[arg-type]

    body.velocity_func = velocity
    for _ in range(steps):
        space.step(0.01)
    return steps


def test_a_stop_in_the_solvers_callback_is_raised_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    swallowed: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    with handler(lambda frame: raise_outside_callbacks(Stop(), frame)), pytest.raises(Stop):
        for _ in range(200):  # 2000 steps take far longer than the millisecond's retry
            signalled_in_a_callback()
    assert swallowed == []


def test_a_plain_raise_there_is_swallowed_which_is_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the above guards against, shown: raised inside the callback, the stop is lost."""

    def plain(frame: FrameType | None) -> None:
        raise Stop

    swallowed: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    with handler(plain):
        assert signalled_in_a_callback(steps=3) == 3
    assert [type(u.exc_value) for u in swallowed] == [Stop]
