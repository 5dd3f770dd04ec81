"""Whether the figures arrive on the music: measured from the figures, not from their targets.

A dancer arrives where the movement comes to rest: the local minima of the joints' mean angular
speed. Moving every such moment earlier or later by one shift against the beats of the tempo map,
the shift that lands them closest to beats says how late the figures arrive (a third of a beat
late before the arrivals were written in counts and the planner led its targets). The same walk
through the piece measures how long the figures take to follow a target (the lag the planner
leads by) and how closely they track it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..show.choreography import Choreography
from ..show.tempo import TempoMap
from .planner import DT
from .stage import Stage

Arr = NDArray[np.float64]

#: Steps between samples of the walk (30 a second).
EVERY = 4
#: A rest is the slowest moment within this many seconds either side (a beat is about 0.94 s).
REST_WINDOW = 0.3
#: Shifts tried, seconds (rests moved earlier by the shift): half a beat either way.
SHIFTS = np.round(np.arange(-0.47, 0.4701, 0.01), 2)


@dataclass(frozen=True)
class Walk:
    """The piece stepped once, sampled every :data:`EVERY` steps: per dancer the figure's and the
    target's relative joint angles (radians; the first is the pelvis's world angle) and the
    tracking error as the trace gives it (the mean over every angle, degrees)."""

    t: Arr
    actual: dict[str, Arr]  # (n, joints)
    target: dict[str, Arr]
    error: dict[str, Arr]  # (n,)


def walk(choreography: Choreography, start: float = 0.0, end: float | None = None) -> Walk:
    """Step both dancers from 0 to ``end`` (the whole piece), sampling from ``start``."""
    stage = Stage(choreography)
    stop = choreography.sheet.duration if end is None else end
    steps = math.ceil(stop / DT - 1e-9)
    t: list[float] = []
    actual: dict[str, list[Arr]] = {n: [] for n in stage.dancers}
    target: dict[str, list[Arr]] = {n: [] for n in stage.dancers}
    for i in range(steps):
        stage.step()
        if (i + 1) % EVERY or stage.t < start:
            continue
        t.append(stage.t)
        blocks, k = stage._last  # noqa: SLF001 - the targets the step just followed
        for name, d in stage.dancers.items():
            actual[name].append(d.angles())
            target[name].append(blocks[name].rel[k])
    act = {n: np.array(v) for n, v in actual.items()}
    tgt = {n: np.array(v) for n, v in target.items()}
    err = {
        n: np.degrees(np.abs((act[n] - tgt[n] + math.pi) % (2 * math.pi) - math.pi)).mean(axis=1)
        for n in act
    }
    return Walk(np.array(t), act, tgt, err)


def mean_speed(t: Arr, angles: list[Arr]) -> Arr:
    """(n,) the joints' mean angular speed (rad/s) over every figure, at each sample.

    >>> t = np.arange(5.0)
    >>> mean_speed(t, [np.stack([t, 2 * t], axis=1)]).tolist()
    [1.5, 1.5, 1.5, 1.5, 1.5]
    """
    speeds = [np.abs(np.gradient(a, t, axis=0)).mean(axis=1) for a in angles]
    return np.asarray(np.mean(speeds, axis=0))


def rest_moments(t: Arr, speed: Arr, window: float = REST_WINDOW) -> Arr:
    """Times where ``speed`` is lowest within ``window`` seconds either side (a plateau counts
    once, at its start).

    >>> t = np.arange(0.0, 4.0, 0.1)
    >>> rest_moments(t, np.abs(np.sin(np.pi * t)), 0.3).round(2).tolist()
    [1.0, 2.0, 3.0]
    """
    half = max(1, round(window / float(np.median(np.diff(t)))))
    out = []
    for i in range(half, len(t) - half):
        around = speed[i - half : i + half + 1]
        if speed[i] <= around.min() and speed[i] < speed[i - 1]:
            out.append(t[i])
    return np.array(out)


def beat_phase(tempo: TempoMap, t: Arr) -> Arr:
    """Where each time falls in its beat, 0 (on it) to 1, through the tempo map.

    >>> beat_phase(TempoMap(1.0, 60, 3), np.array([1.0, 2.25, 0.5])).tolist()
    [0.0, 0.25, 0.5]
    """
    out = np.empty(len(t))
    for i, x in enumerate(t.tolist()):
        span = tempo.span_at(x)
        out[i] = ((x - span.t) / span.beat_seconds) % 1.0
    return out


def shift_scores(tempo: TempoMap, rests: Arr, shifts: Arr = SHIFTS) -> Arr:
    """For each shift, how well the rests moved earlier by it land on beats: the mean cosine of
    their beat phase (1: every one on a beat, -1: every one half way between)."""
    return np.array([np.cos(2 * math.pi * beat_phase(tempo, rests - s)).mean() for s in shifts])


def best_shift(tempo: TempoMap, rests: Arr, shifts: Arr = SHIFTS) -> float:
    """The shift (s) that lands the rests closest to beats: how late the figures arrive.

    >>> tempo = TempoMap(0.0, 60, 3)
    >>> best_shift(tempo, np.arange(10.0) + 0.35)
    0.35
    """
    return float(shifts[int(np.argmax(shift_scores(tempo, rests, shifts)))])


def lag(t: Arr, actual: Arr, target: Arr, most: float = 0.6) -> float:
    """The delay (s, up to ``most``) by which the figure's joint velocities best match its
    targets': how long a figure takes to follow.

    >>> t = np.arange(0.0, 20.0, 1 / 30)
    >>> target = np.sin(t)[:, None]
    >>> round(lag(t, np.sin(t - 0.2)[:, None], target), 2)
    0.2
    """
    dt = float(np.median(np.diff(t)))
    va, vt = np.gradient(actual, dt, axis=0), np.gradient(target, dt, axis=0)
    best, at = -math.inf, 0.0
    for d in range(round(most / dt) + 1):
        n = len(t) - d
        x, y = va[d:], vt[:n]
        score = float((x * y).sum() / math.sqrt((x * x).sum() * (y * y).sum() + 1e-12))
        if score > best:
            best, at = score, d * dt
    return round(at, 3)


@dataclass(frozen=True)
class Rhythm:
    """What :func:`measure` found: how late the figures' rests fall against the beats (s), each
    figure's lag behind its targets (s), the tracking error's mean and p95 (degrees)."""

    rest_shift: float
    rests: int
    lag: dict[str, float]
    error_mean: float
    error_p95: float


def measure(choreography: Choreography, done: Walk | None = None) -> Rhythm:
    """The rests of the figures against the beats, between the first note and the music's end
    (the held silence of the lift left out), and their lag and tracking."""
    sheet = choreography.sheet
    w = done if done is not None else walk(choreography)
    # the joints' own speed: the pelvis's world angle turns with the whole body
    speed = mean_speed(w.t, [a[:, 1:] for a in w.actual.values()])
    rests = rest_moments(w.t, speed)
    a, b = sheet.time_of("first_note"), sheet.duration
    if "music_end" in sheet:
        b = sheet.time_of("music_end")
    keep = (rests >= a) & (rests <= b)
    if "lift_apex" in sheet and "music_resumes" in sheet:
        keep &= (rests < sheet.time_of("lift_apex")) | (rests > sheet.time_of("music_resumes"))
    rests = rests[keep]
    errors = np.concatenate(list(w.error.values()))
    return Rhythm(
        rest_shift=best_shift(sheet.tempo, rests),
        rests=len(rests),
        lag={n: lag(w.t, w.actual[n], w.target[n]) for n in w.actual},
        error_mean=float(errors.mean()),
        error_p95=float(np.percentile(errors, 95)),
    )
