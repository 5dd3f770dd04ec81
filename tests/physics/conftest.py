"""The whole piece stepped once per session at 10 fps, and what the physics tests read from it.

It goes through :class:`Performance` (the same path the player and the exporter use); the frame
states give every segment of both figures and of their targets, and the stage itself, read after
each frame's last step, gives what no picture shows: how hard the floor pushes on each figure and
how hard the hip guides pull.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pymunk
import pytest
from numpy.typing import NDArray

from thereturn_viz.performance import Performance
from thereturn_viz.physics.dancer import Dancer
from thereturn_viz.physics.skeleton import bones
from thereturn_viz.physics.stage import DT, Stage
from thereturn_viz.show.anatomy import SEGMENT_NAMES, SEGMENTS
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import DancerState, FrameState

FPS = 10
NAMES = ("lead", "partner")
JOINTS = ("head", "pelvis", "l_hand", "r_hand", "l_foot", "r_foot")
FEET = (SEGMENT_NAMES.index("l_foot"), SEGMENT_NAMES.index("r_foot"))
_PARENT = np.array([SEGMENT_NAMES.index(s.parent) if s.parent else 0 for s in SEGMENTS])

Arr = NDArray[np.float64]


@dataclass(frozen=True)
class Trace:
    t: Arr  # (frames,)
    joints: dict[str, Arr]  # dancer -> (frames, joints, 2) in JOINTS order
    error: dict[str, Arr]  # dancer -> (frames,)
    resets: dict[str, Arr]  # dancer -> (frames,)
    gown: Arr  # (frames, points, 2)
    waist: Arr  # (frames, 2) her pelvis top, where the gown hangs from
    #: dancer -> (frames, segments, 4): a and b of every segment, and of the target pose
    segments: dict[str, Arr]
    targets: dict[str, Arr]
    facing: dict[str, Arr]  # dancer -> (frames,) the facing shown by the targets
    floor: dict[str, Arr]  # dancer -> (frames,) the floor's push on the figure (N)
    feet: dict[str, Arr]  # dancer -> (frames, 2) the floor's push on each foot (N)
    guide: Arr  # (frames,) her hip guide's pull (N), across and up or down together
    #: (frames,) the same, its mean over every step of the frame: the guide catches her in single
    #: steps (up to 900 N, none in the steps around), so a frame's last step alone is a lottery
    guide_mean: Arr
    guide_up: Arr  # (frames,) the upward part of it (N; negative pressing down)
    #: dancer -> (frames,) the size of the pull across (N) of the figure's hip guide on its hip
    guide_x: dict[str, Arr]
    weight: dict[str, float]  # N
    heights: dict[str, float]  # m
    #: the balance fields of the trace, per dancer: (frames, 2) m, (frames,) kg,
    #: (frames, 2) m with NaN while nothing bears on the floor, (frames,) N
    com: dict[str, Arr]
    mass: dict[str, Arr]
    support: dict[str, Arr]
    carried: dict[str, Arr]

    def at(self, t: float) -> int:
        return int(np.argmin(np.abs(self.t - t)))

    def span(self, a: float, b: float) -> NDArray[np.bool_]:
        return (self.t >= a) & (self.t < b)

    def y(self, name: str, joint: str) -> Arr:
        return self.joints[name][:, JOINTS.index(joint), 1]

    def point(self, name: str, joint: str) -> Arr:
        return self.joints[name][:, JOINTS.index(joint)]

    def sole(self, name: str) -> Arr:
        """(frames,) the lowest point of either foot's collision capsule: 0 standing on it."""
        feet = self.segments[name][:, list(FEET)]
        radius = bones(self.heights[name])[FEET[0]].radius
        return np.asarray(np.minimum(feet[..., 1], feet[..., 3]).min(axis=1) - radius)

    def relative(self, name: str, target: bool = False) -> Arr:
        """(frames, joints) each segment's angle from its parent's (the pelvis: from the x axis),
        radians in [-pi, pi): the joint angles the physics steers, read back from the segments."""
        s = self.targets[name] if target else self.segments[name]
        world = np.arctan2(s[..., 3] - s[..., 1], s[..., 2] - s[..., 0])
        rel = world - np.where(np.arange(world.shape[1]) == 0, 0.0, world[:, _PARENT])
        return np.asarray((rel + math.pi) % (2 * math.pi) - math.pi)


def _segments(d: DancerState, target: bool) -> Arr:
    return np.array([[*s.a, *s.b] for s in (d.target if target else d.segments)])


def _pushes(stage: Stage) -> tuple[dict[str, float], dict[str, list[float]], float]:
    """The floor's push (N) on each figure and on each of its feet over the last step, and her
    guide's pull (N)."""
    owner = {id(b): n for n, d in stage.dancers.items() for b in d.bodies}
    foot = {id(d.bodies[f]): (n, k) for n, d in stage.dancers.items() for k, f in enumerate(d.feet)}
    push = dict.fromkeys(stage.dancers, 0.0)
    feet = {n: [0.0, 0.0] for n in stage.dancers}

    def add(arbiter: object) -> None:
        for shape in arbiter.shapes:  # type: ignore[attr-defined]
            name = owner.get(id(shape.body))
            if name is not None:
                up = abs(arbiter.total_impulse.y) / DT  # type: ignore[attr-defined]
                push[name] += up
                on = foot.get(id(shape.body))  # type: ignore[attr-defined]
                if on is not None:
                    feet[on[0]][on[1]] += up

    stage.space.static_body.each_arbiter(add)
    her = stage.dancers["partner"]
    return push, feet, (her.steer_x.impulse + her.steer_y.impulse) / DT


def across(dancer: Dancer) -> float:
    """The size of the pull (N) across the floor of a figure's hip guide on its hip over the last
    step: every constraint between its guide body and its pelvis but the trunk's gear and the
    rope it hangs from, summed by size (the groove, upright, steers only across; a rope or a
    damper across lies level to a thousandth)."""
    pelvis = dancer.bodies[0]
    return sum(
        abs(c.impulse) / DT
        for c in dancer.constraints
        if c.a is dancer.guide
        and c.b is pelvis
        and c is not dancer.steer_y
        and not isinstance(c, pymunk.GearJoint)
    )


def record(choreography: Choreography, start: float, end: float, fps: float) -> Trace:
    perf = Performance(choreography)
    times = np.arange(round(start * fps), round(end * fps) + 1) / fps
    rows: list[FrameState] = []
    floor: dict[str, list[float]] = {n: [] for n in NAMES}
    feet: dict[str, list[list[float]]] = {n: [] for n in NAMES}
    guide: list[float] = []
    guide_mean: list[float] = []
    guide_up: list[float] = []
    # her guide's pull summed over every step (the stage steps itself: counted as it does)
    stage, stepped = perf.stage, [0.0, 0]
    one_step = stage.step

    def step() -> None:
        one_step()
        her = stage.dancers["partner"]
        stepped[0] += (her.steer_x.impulse + her.steer_y.impulse) / DT
        stepped[1] += 1

    stage.step = step  # type: ignore[method-assign]
    guide_x: dict[str, list[float]] = {n: [] for n in NAMES}
    for t in times.tolist():
        perf.advance_to(t)
        rows.append(perf.frame_state(t))
        push, on_feet, pull = _pushes(perf.stage)
        for n in NAMES:
            floor[n].append(push[n])
            feet[n].append(on_feet[n])
        guide.append(pull)
        # the stage stepped through this hook (the first frame, at 0 s, takes no step)
        assert stepped[1] > 0 or t == times[0], f"no step counted at {t} s"
        guide_mean.append(stepped[0] / max(stepped[1], 1))
        stepped[:] = [0.0, 0]
        guide_up.append(perf.stage.dancers["partner"].guide_push_y(DT))
        for n in NAMES:
            guide_x[n].append(across(perf.stage.dancers[n]))
    dancers = {n: [fs.dancer(n) for fs in rows] for n in NAMES}
    return Trace(
        t=times,
        joints={
            n: np.array([[d.joints[j] for j in JOINTS] for d in ds]) for n, ds in dancers.items()
        },
        error={n: np.array([d.tracking_error_deg for d in ds]) for n, ds in dancers.items()},
        resets={n: np.array([d.resets for d in ds]) for n, ds in dancers.items()},
        gown=np.array([d.gown for d in dancers["partner"]]),
        waist=np.array([d.segment("pelvis").b for d in dancers["partner"]]),
        segments={n: np.array([_segments(d, False) for d in ds]) for n, ds in dancers.items()},
        targets={n: np.array([_segments(d, True) for d in ds]) for n, ds in dancers.items()},
        facing={n: np.array([d.facing for d in ds]) for n, ds in dancers.items()},
        floor={n: np.array(v) for n, v in floor.items()},
        feet={n: np.array(v) for n, v in feet.items()},
        guide=np.array(guide),
        guide_mean=np.array(guide_mean),
        guide_up=np.array(guide_up),
        guide_x={n: np.array(v) for n, v in guide_x.items()},
        weight={n: 9.81 * perf.stage.dancers[n].mass for n in NAMES},
        heights={n: choreography.dancers[n].height for n in NAMES},
        com={n: np.array([d.com for d in ds]) for n, ds in dancers.items()},
        mass={n: np.array([d.mass for d in ds]) for n, ds in dancers.items()},
        support={
            n: np.array([d.support if d.support is not None else (math.nan,) * 2 for d in ds])
            for n, ds in dancers.items()
        },
        carried={n: np.array([d.carried_n for d in ds]) for n, ds in dancers.items()},
    )


@pytest.fixture(scope="session")
def trace(choreography: Choreography) -> Trace:
    """The whole piece at 10 fps, stepped once for every physics test that reads it."""
    return record(choreography, 0.0, choreography.sheet.duration, FPS)
