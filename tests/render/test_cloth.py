"""The gown as cloth, read from the trace as outside checks read it: her hem (``hem``, metres)
beside her pelvis while she enters, walking in steps and stopping, and stands (the shipped
piece, ``partner_enters`` to ``eyes_meet``), and as she crosses briskly and stops (a tiny piece of
our own)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.paths import default_choreography
from thereturn_viz.performance import Performance
from thereturn_viz.render.gown import skirt_chain
from thereturn_viz.run.trace import trace_row
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.reading import FILES

Arr = NDArray[np.float64]
FPS = 30
#: Her pelvis moving this fast (m/s, across) is travelling; this slow, standing.
TRAVEL, STILL = 0.2, 0.05
#: Stopped from a glide, her pelvis moves no faster than this (m/s): her legs stop her, not her
#: hip guide (physics/dancer.py, ``STAND_SLACK``), and she settles over her feet, her pelvis
#: running on at up to 9 cm/s for a few tenths of a second (held by the guide: 4 cm/s); since
#: her toes are pinned where their targets set them down (physics/footing.py), 10 cm/s.
SETTLE = 0.12


@dataclass(frozen=True)
class Entrance:
    t: Arr  # (frames,)
    pelvis: Arr  # (frames, 2)
    hem: list[Arr]  # per frame (points, 2)
    speed: Arr  # (frames,) her pelvis's velocity across (m/s), smoothed over 0.2 s

    def centre(self) -> Arr:
        """(frames,) the x of the hem's middle, by length along it (the outline's points are
        not evenly spaced)."""
        out = []
        for h in self.hem:
            seg = np.hypot(*np.diff(h, axis=0).T)
            mid = (h[1:, 0] + h[:-1, 0]) / 2
            out.append(float((seg * mid).sum() / seg.sum()) if seg.sum() > 0 else h[:, 0].mean())
        return np.array(out)


def _record(choreography: Choreography, start: float, end: float) -> Entrance:
    """Her pelvis and the trace's ``hem`` at 30 fps from ``start`` to ``end`` (s)."""
    perf = Performance(choreography)
    times = np.arange(round(start * FPS), round(end * FPS) + 1) / FPS
    pelvis, hem = [], []
    for i, t in enumerate(times.tolist()):
        perf.advance_to(t)
        row = trace_row(perf.frame_state(t), i, -120.0)["dancers"]["partner"]
        pelvis.append(row["joints"]["pelvis"])
        hem.append(np.array(row["hem"], np.float64))
    p = np.array(pelvis)
    k = FPS // 5
    speed = np.convolve(np.gradient(p[:, 0], times), np.ones(k) / k, "same")
    return Entrance(times, p, hem, speed)


@pytest.fixture(scope="module")
def entrance(choreography: Choreography) -> Entrance:
    sheet = choreography.sheet
    return _record(choreography, sheet.time_of("partner_enters"), sheet.time_of("eyes_meet") + 4)


def _keyframe(at: str, pose: str, x: float, ease: str = "in_out_quad") -> str:
    return (
        f'[[keyframes]]\nat = "{at}"\npose = "{pose}"\nx = {x}\ndepth = 1.0\n'
        f'facing = "left"\nease = "{ease}"\n\n'
    )


@pytest.fixture(scope="module")
def crossing(tmp_path_factory: pytest.TempPathFactory) -> Entrance:
    """She stands 2 s, crosses 1.4 m to the left in 1.5 s (up to about 1.4 m/s), stops and
    stands 5 s: the shipped piece's lead, no holds."""
    out: Path = tmp_path_factory.mktemp("crossing")
    for name in FILES:
        shutil.copyfile(default_choreography() / name, out / name)
    (out / "duet.toml").write_text("# no holds\n")
    (out / "partner.toml").write_text(
        '[dancer]\nheight = 1.65\nenters = "partner_enters"\n\n'
        + _keyframe("partner_enters", "stand", 3.0)
        + _keyframe("partner_enters+2", "stand", 3.0)
        + _keyframe("partner_enters+3", "glide_a", 2.2)
        + _keyframe("partner_enters+3.6", "stand", 1.6, "out_sine")
        + _keyframe("partner_enters+9", "stand", 1.6)
    )
    choreography = load_choreography(out)
    start = choreography.sheet.time_of("partner_enters")
    return _record(choreography, start + 1.0, start + 8.5)


def test_standing_her_hem_lies_on_the_floor_behind_her_feet(entrance: Entrance) -> None:
    standing = np.abs(entrance.speed) < STILL
    assert standing.sum() > 2 * FPS
    low = np.array([h[:, 1].min() for h in entrance.hem])
    assert (low[standing] < 0.01).mean() > 0.95
    on_floor = [h[h[:, 1] < 0.01] for h in entrance.hem]
    # a stretch of it, not a point: the train lies along the floor
    spread = np.array([np.ptp(f[:, 0]) if len(f) else 0.0 for f in on_floor])
    assert np.median(spread[standing]) > 0.1


def test_travelling_her_hem_lags_behind_her(entrance: Entrance) -> None:
    moving = np.abs(entrance.speed) > TRAVEL
    assert moving.sum() > FPS
    lag = (entrance.pelvis[:, 0] - entrance.centre()) * np.sign(entrance.speed)
    assert np.median(lag[moving]) > 0.2
    assert (lag[moving] > 0.0).mean() > 0.8


def _turns(x: Arr, least: float) -> int:
    """How many times ``x`` turns back after moving at least ``least`` one way.

    >>> _turns(np.array([0.0, 1.0, 0.0, 1.0]), 0.5), _turns(np.array([0.0, 0.1, 0.0]), 0.5)
    (2, 0)
    """
    turns, low, high, way = 0, x[0], x[0], 0
    for v in x[1:].tolist():
        low, high = min(low, v), max(high, v)
        if way >= 0 and high - v >= least:
            turns, way, low = turns + (way > 0), -1, v
        elif way <= 0 and v - low >= least:
            turns, way, high = turns + (way < 0), 1, v
    return turns


def test_after_she_stops_her_hem_sways_and_settles(crossing: Entrance) -> None:
    """Once she has stopped: the hem's x from her pelvis swings on past her and back over the
    next second or two, and comes to rest: not a snap, not for ever."""
    moving = np.abs(crossing.speed) > TRAVEL
    stop = int(np.flatnonzero(moving)[-1]) + FPS // 10
    assert (np.abs(crossing.speed[stop:]) < SETTLE).all(), "she stands from here"
    rel = crossing.centre() - crossing.pelvis[:, 0]
    after = rel[stop : stop + 2 * FPS]
    assert np.ptp(after) > 0.3, "a swing you can see"
    assert _turns(after, 0.1) >= 1, "one way, then back"
    late = rel[stop + 4 * FPS : stop + 5 * FPS]
    assert np.ptp(late) < 0.25 * np.ptp(after), "dying down"
    assert np.ptp(rel[-FPS // 2 :]) < 0.01, "at rest"


def test_turning_her_train_sweeps_round_not_across(choreography: Choreography) -> None:
    """The shipped half-turn from left to right at conversation+18 .. +20: the drawn train comes
    round from behind one side to behind the other through her facing the camera, not in a
    jump across her in one frame (the physics mirrors the chain as she faces the camera)."""
    perf = Performance(choreography)
    start = choreography.sheet.time_of("conversation") + 17.5
    reach, facing = [], []
    for i in range(2 * FPS):
        t = start + i / FPS
        perf.advance_to(t)
        d = next(d for d in perf.frame_state(t).dancers if d.name == "partner")
        chain = skirt_chain(d)
        reach.append(chain[-1][0] - chain[0][0])
        facing.append(d.facing)
    r, f = np.array(reach), np.array(facing)
    assert f[0] == -1.0 and f[-1] == 1.0, "a half-turn from left to right"
    assert r[0] > 0.3 and r[-1] < -0.3, "behind her, on one side then the other"
    assert np.abs(np.diff(r)).max() < 0.2
