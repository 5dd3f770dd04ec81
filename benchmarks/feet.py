"""Do the feet stay put while they carry the body? Skating and chatter of the standing feet.

A foot that carries weight should not move across the floor: a dancer transfers weight onto a
foot, stands on it, and lifts it again; a foot that glides or buzzes while the body stands on it
reads as ice or as a machine. Measured from the figures (the physics' own bodies, not the
targets), at 30 samples a second over the whole piece:

- *bearing*: the floor pushes that foot with at least 30 % of the body's weight, in this sample
  and the one before (a foot touching the floor again reports, for one step, an impulse it never
  pushed: two samples in a row leave that out);
- *sliding*: both ends of the foot move faster than 0.15 m/s (a foot rolling onto its toes or
  its heel keeps one end still: that is not a slide);
- *chatter*: how far the middle of the foot stands from its own average over 7 samples (0.23 s):
  what shakes faster than the dance moves; the share of steadily bearing samples (7 in a row)
  where it passes 1 cm.

A brushed step (a tendu, a glissade) slides a foot that carries little weight; it is left out by
the bearing threshold. The cues where the sliding happens are listed, most first.

Run: ``python benchmarks/feet.py [--start S] [--end S] [--json]``
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Callable

import numpy as np
import pymunk
from numpy.typing import NDArray

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.physics.stage import DT, Stage  # noqa: E402
from thereturn_viz.show.choreography import Choreography  # noqa: E402

Arr = NDArray[np.float64]
FPS = 30
BEARS = 0.3  # of the body's weight
SLIDE = 0.15  # m/s
CHATTER = 0.01  # m
WINDOW = 7  # samples


def record(choreography: Choreography, start: float, end: float) -> dict[str, dict[str, Arr]]:
    """Per dancer: the sample times, each foot's ends (samples, 2, 4) and floor push (samples, 2)
    in newtons, and the body's weight."""
    stage = Stage(choreography)
    times = np.arange(math.ceil(start * FPS), math.floor(end * FPS) + 1) / FPS
    out: dict[str, dict[str, Arr]] = {}
    for name, dancer in stage.dancers.items():
        out[name] = {
            "t": times,
            "ends": np.zeros((len(times), 2, 4)),
            "push": np.zeros((len(times), 2)),
            "weight": np.array(9.81 * dancer.mass),
        }
    for i, t in enumerate(times.tolist()):
        while stage.t < t - 1e-9:
            stage.step()
        # every foot of both figures, by its body (a reset would make new bodies: looked up anew)
        feet = {
            id(d.bodies[f]): (out[name]["push"], k)
            for name, d in stage.dancers.items()
            for k, f in enumerate(d.feet)
        }

        def add(
            arbiter: pymunk.Arbiter, feet: dict[int, tuple[Arr, int]] = feet, i: int = i
        ) -> None:
            for shape in arbiter.shapes:
                foot = feet.get(id(shape.body))
                if foot is not None:
                    foot[0][i, foot[1]] += abs(arbiter.total_impulse.y) / DT

        stage.space.static_body.each_arbiter(add)
        for name, dancer in stage.dancers.items():
            snap = dancer.snapshot()
            for k, f in enumerate(dancer.feet):
                out[name]["ends"][i, k] = snap[f]
    return out


def measure(data: dict[str, Arr], cue_at: Callable[[float], str]) -> dict[str, object]:
    """One dancer's feet: what bears, slides and chatters (see the module's words)."""
    t, ends, push, weight = data["t"], data["ends"], data["push"], float(data["weight"])
    result: dict[str, object] = {}
    for k, side in enumerate(("left", "right")):
        e = ends[:, k]
        speed_a = np.zeros(len(t))
        speed_b = np.zeros(len(t))
        speed_a[1:] = np.hypot(*np.diff(e[:, 0:2], axis=0).T) * FPS
        speed_b[1:] = np.hypot(*np.diff(e[:, 2:4], axis=0).T) * FPS
        speed = np.minimum(speed_a, speed_b)
        bears = push[:, k] >= BEARS * weight
        bearing = bears.copy()
        bearing[1:] &= bears[:-1]
        sliding = bearing & (speed > SLIDE)
        middle = (e[:, 0] + e[:, 2]) / 2
        shake = np.abs(middle - np.convolve(middle, np.ones(WINDOW) / WINDOW, mode="same"))
        steady = np.convolve(bears.astype(float), np.ones(WINDOW), mode="same") >= WINDOW
        rms = float(np.sqrt((shake[steady] ** 2).mean()) * 100) if steady.any() else 0.0
        shaking = steady & (shake > CHATTER)
        where = Counter(cue_at(float(x)) for x in t[sliding])
        result[side] = {
            "bearing_samples": int(bearing.sum()),
            "sliding_share": float(sliding.sum() / max(bearing.sum(), 1)),
            "slid_m": float(speed[bearing].sum() / FPS),
            "chatter_rms_cm": rms,
            "chatter_share": float(shaking.sum() / max(steady.sum(), 1)),
            "where": dict(where.most_common(5)),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=float, default=0.0, help="seconds into the piece")
    parser.add_argument("--end", type=float, default=None, help="seconds (default: the end)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    choreography = load(None)
    sheet = choreography.sheet
    end = sheet.duration if args.end is None else args.end
    recorded = record(choreography, args.start, end)
    report = {name: measure(d, sheet.cue_at) for name, d in recorded.items()}
    if args.json:
        print(json.dumps(report))
        return
    print(f"the feet from {args.start:.1f} to {end:.1f} s, {FPS} samples a second")
    for name, feet in report.items():
        for side, r in feet.items():
            assert isinstance(r, dict)
            print(
                f"{name} {side} foot: bearing in {r['bearing_samples']} samples, sliding in "
                f"{r['sliding_share']:.1%} of them ({r['slid_m']:.1f} m in all); chatter "
                f"{r['chatter_rms_cm']:.2f} cm RMS, over 1 cm in {r['chatter_share']:.1%} of "
                f"steady samples; slides at {r['where']}"
            )


if __name__ == "__main__":
    main()
