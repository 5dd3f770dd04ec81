"""How hard each figure's hip guide pulls across while it stands on its own feet, and what
the pull is spent against (issue 14 item 1: balance is physics, not hands).

Steps the whole piece (the stage alone) and reads, every ``--every`` steps (4: 30 a second), the
frames in which a figure stands alone: held by no one, no lift, entered, not in a designed fall,
its weight on its feet only (every other segment 3 cm or more above the floor) and a foot
planted. For those it prints the horizontal force of the hip guide on the pelvis (median, p95,
in newtons and in body weights) and the other horizontal forces from outside the figure that
it is balanced against: the planted feet's pins, the floor's friction (the gown's too, for the
one who wears it) and the holds (none, by the choice of frames); what is left is the figure's
own acceleration (m a, from its momentum a step apart). Then what the pull goes with:

- ``feet_off``: how far (m) the planted feet are held from where the targets put them (the pin's
  x less the target ankle's x, the mean of the planted feet, signed along x): the hip's path and
  where the feet stand disagree by this, so the legs' servos, reaching for their target angles,
  push the hip against its guide;
- ``hip_off``: the pelvis's x less the guide's (m);
- ``com_off``: the centre of mass outside the support (m).

The pulls are signed along x; the guide's, the pins' and the holds' directions are read from
their constraints' accumulated impulses in Chipmunk's structs (pymunk gives only their size):
the offsets are checked against pymunk's size on every reading.

Run: ``python benchmarks/hip_guide.py [--every N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import numpy as np
import pymunk
from scipy.signal import butter, sosfiltfilt

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.physics.planner import DT, STEP_HZ  # noqa: E402
from thereturn_viz.physics.stage import Stage  # noqa: E402
from thereturn_viz.show.kinematics import segment_points  # noqa: E402

#: Where Chipmunk 7 keeps a constraint's accumulated impulse (cpVect jAcc), in doubles from the
#: start of its struct (64-bit builds): a groove joint's and a pivot joint's.
GROOVE_JACC, PIVOT_JACC, GEAR_JACC = 32, 25, 18
FEET = ("l_foot", "r_foot")
SHINS = ("l_shin", "r_shin")
LEGS = ("l_thigh", "r_thigh", *SHINS, *FEET)


def _jacc(constraint: pymunk.Constraint) -> tuple[float, float]:
    """The impulse (N s) the constraint put on its second body in the last step, as a vector."""
    from pymunk._chipmunk_cffi import ffi  # noqa: PLC0415

    at = GROOVE_JACC if isinstance(constraint, pymunk.GrooveJoint) else PIVOT_JACC
    raw: Any = ffi.cast("double *", constraint._constraint)
    jx, jy = float(raw[at]), float(raw[at + 1])
    assert math.isclose(math.hypot(jx, jy), constraint.impulse, rel_tol=1e-9, abs_tol=1e-12), (
        "Chipmunk's struct is laid out otherwise: fix GROOVE_JACC / PIVOT_JACC"
    )
    return jx, jy


def _guide_x(d: Any) -> float:
    """The horizontal force (N) of figure ``d``'s hip guide on its pelvis over the last step."""
    out = 0.0
    for c in d.constraints:
        if c.a is not d.guide or c.b is not d.bodies[0] or isinstance(c, pymunk.GearJoint):
            continue
        if isinstance(c, pymunk.GrooveJoint):
            out += _jacc(c)[0] / DT
        elif isinstance(c, pymunk.SlideJoint):
            if abs(c.anchor_a[0]) > 1.0:  # the rope across (the other hangs from above)
                out += d._rope_push(c, DT)[0]
        elif isinstance(c, pymunk.DampedSpring):
            a = d.guide.local_to_world(c.anchor_a)
            b = d.bodies[0].local_to_world(c.anchor_b)
            out += c.impulse / DT * (b - a).normalized().x
    return out


def _hip(d: Any) -> pymunk.Vec2d:
    """Where the guide holds the pelvis: its hip end."""
    return d.bodies[0].local_to_world((-d.bones[0].length / 2, 0.0))


def _trunk(d: Any) -> float:
    """The torque (N m) the trunk's gear (the guide holding the pelvis's tilt) put on the
    pelvis over the last step: a gear joint's accumulated impulse is a signed number."""
    from pymunk._chipmunk_cffi import ffi  # noqa: PLC0415

    gear = d.servos[0]
    j = float(ffi.cast("double *", gear._constraint)[GEAR_JACC])
    assert math.isclose(abs(j), gear.impulse, rel_tol=1e-9, abs_tol=1e-12)
    return j / DT


def _wrap(a: float) -> float:
    return (a + math.pi) % (2 * math.pi) - math.pi


def _foot_tilt(d: Any, angles: Any, facing: float) -> float:
    """Degrees: the planted feet's world angle less their targets' (mean of the planted)."""
    ax, ay, bx, by = segment_points(angles[None, :], d.height, np.array([facing]))
    out = []
    for f, pin in zip(d.feet, d.pins, strict=True):
        if pin is None:
            continue
        want = math.atan2(float(by[f, 0] - ay[f, 0]), float(bx[f, 0] - ax[f, 0]))
        out.append(math.degrees(_wrap(d.bodies[f].angle - want)))
    return float(np.mean(out)) if out else math.nan


def _leg_error(d: Any, stage: Stage) -> float:
    """Degrees: the largest error of a leg's joint (hip, knee, ankle) from its target."""
    blocks, k = stage._last
    err = [
        abs(math.degrees(_wrap(a - b)))
        for a, b, bone in zip(d.angles(), blocks[d.name].rel[k], d.bones, strict=True)
        if bone.spec.name in LEGS
    ]
    return max(err)


def _floor_x(space: pymunk.Space, owner: dict[int, str]) -> dict[str, float]:
    """Per figure, the floor's horizontal push (N) on it over the last step: the floor pushes
    up on what stands on it, so the sign of an arbiter's vertical impulse tells whose it is."""
    out: dict[str, float] = {}

    def add(arbiter: pymunk.Arbiter) -> None:
        for shape in arbiter.shapes:
            name = owner.get(id(shape.body))
            if name is None:
                continue
            j = arbiter.total_impulse
            sign = 1.0 if j.y >= 0.0 else -1.0
            out[name] = out.get(name, 0.0) + sign * j.x / DT

    space.static_body.each_arbiter(add)
    return out


def _low(name: str, shape: pymunk.Segment) -> float:
    """How high (m) a segment's capsule is above the floor: a foot never counts (inf), a shin
    by its knee end only (its ankle end lies beside the foot's), as the balance test reads it."""
    if name in FEET:
        return math.inf
    body = shape.body
    assert body is not None
    ends = [shape.a] if name in SHINS else [shape.a, shape.b]
    return min(body.local_to_world(e).y for e in ends) - shape.radius


def _momentum_x(bodies: list[pymunk.Body]) -> float:
    return sum(b.mass * b.velocity.x for b in bodies)


def measure(every: int, save: str | None = None) -> dict[str, dict[str, float]]:
    choreography = load(None)
    stage = Stage(choreography)
    names = stage.names
    steps = math.ceil(choreography.sheet.duration / DT - 1e-9)
    rows: dict[str, list[list[float]]] = {n: [] for n in names}
    before: dict[str, float] = {}
    for i in range(steps):
        stage.step()
        last = (i + 1) % every == 0
        if (i + 2) % every == 0:  # the step before a reading: momentum only
            stage.snapshot(measure=False)
            before = {n: _momentum_x(stage._moving(n)) for n in names}
            continue
        if not last or not before:
            continue
        stage.snapshot()
        owner = {id(b): n for n in names for b in stage._moving(n)}
        floor = _floor_x(stage.space, owner)
        held = bool(stage.active)
        holds = 0.0
        for made in stage.active.values():
            for pin in made:
                holds += _jacc(pin)[0] / DT  # on the held one's body (b); -that on the holder
        t = stage.t
        for n in names:
            d = stage.dancers[n]
            script = choreography.dancers[n]
            w = stage.weights[n]
            momentum = _momentum_x(stage._moving(n))
            ma = (momentum - before[n] * stage.space.damping**DT) / DT
            guide = _guide_x(d)
            pins = sum(_jacc(p)[0] / DT for p in d.pins if p is not None)
            lowest = min(_low(d.bones[k].spec.name, s) for k, s in enumerate(d.shapes))
            angles, hip, facing = stage.target(n)
            ax, _, _, _ = segment_points(angles[None, :], d.height, np.array([facing]))
            off = [
                d.foot_guides[f].position.x - (hip[0] + float(ax[d.feet[f], 0]))
                for f in (0, 1)
                if d.pins[f] is not None
            ]
            standing = (
                not held
                and w.support is not None
                and lowest > 0.03
                and t >= script.enters
                and not bool(script.falling(np.array([t]))[0])
                and bool(off)
            )
            lo, hi = w.support if w.support is not None else (math.nan, math.nan)
            com_off = max(lo - w.com[0], w.com[0] - hi, 0.0)
            rows[n].append(
                [
                    t,
                    float(standing),
                    guide,
                    pins,
                    floor.get(n, 0.0),
                    holds * (1.0 if n == stage._held else -1.0) if held else 0.0,
                    ma,
                    float(np.mean(off)) if off else math.nan,
                    _hip(d).x - d.guide.position.x,
                    com_off,
                    9.81 * d.mass,
                    _trunk(d),
                    _foot_tilt(d, angles, facing),
                    _leg_error(d, stage),
                    _hip(d).y,
                ]
            )
    if save:
        np.savez(save, **{n: np.array(r) for n, r in rows.items()})
    out: dict[str, dict[str, float]] = {}
    for n in names:
        a = np.array(rows[n])
        s = a[a[:, 1] == 1.0]
        weight = float(a[0, 10])
        g, pins, fr, ma = s[:, 2], s[:, 3], s[:, 4], s[:, 6]
        feet_off, hip_off, com_off = s[:, 7], s[:, 8], s[:, 9]
        over = com_off <= 0.1
        sos = butter(4, 1.0, "highpass", fs=STEP_HZ / every, output="sos")
        fast = sosfiltfilt(sos, a[:, 8] - a[:, 8].mean())
        mag = np.abs(g)
        out[n] = {
            "frames": float(len(s)),
            "weight_n": weight,
            "guide_median_n": float(np.median(mag)),
            "guide_p95_n": float(np.percentile(mag, 95)),
            "guide_median_bw": float(np.median(mag) / weight),
            "guide_p95_bw": float(np.percentile(mag, 95) / weight),
            "guide_median_n_com_over_feet": float(np.median(mag[over])),
            "pins_median_n": float(np.median(np.abs(pins))),
            "friction_median_n": float(np.median(np.abs(fr))),
            "ma_median_n": float(np.median(np.abs(ma))),
            # the pull as the sum of the others: guide = m a - pins - friction (no holds here)
            "residual_median_n": float(np.median(np.abs(g + pins + fr - ma))),
            # which counterforce takes the guide's pull: the share of -guide each carries
            "pins_share": float(np.sum(-pins * np.sign(g)) / np.sum(mag)),
            "friction_share": float(np.sum(-fr * np.sign(g)) / np.sum(mag)),
            "ma_share": float(np.sum(-ma * -np.sign(g)) / np.sum(mag)),
            "feet_off_median_m": float(np.median(np.abs(feet_off))),
            "feet_off_p95_m": float(np.percentile(np.abs(feet_off), 95)),
            "corr_guide_feet_off": float(np.corrcoef(g, feet_off)[0, 1]),
            "hip_off_median_m": float(np.median(np.abs(hip_off))),
            "corr_guide_hip_off": float(np.corrcoef(g, hip_off)[0, 1]),
            # the hip's sway about its path faster than 1 Hz, standing (RMS, mm)
            "hip_sway_mm": 1000.0 * float(np.sqrt(np.mean(fast[a[:, 1] == 1.0] ** 2))),
            "hip_off_max_m": float(np.abs(a[:, 8]).max()),
            "trunk_median_nm": float(np.median(np.abs(s[:, 11]))),
            "held_guide_median_n": float(np.median(np.abs(a[a[:, 5] != 0.0, 2]))),
            "all_guide_median_n": float(np.median(np.abs(a[:, 2]))),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=4, help="steps between readings")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", help="the readings as .npz (a row per reading)")
    args = parser.parse_args()
    out = measure(args.every, args.save)
    if args.json:
        print(json.dumps(out))
        return
    for n, row in out.items():
        print(n)
        for k, v in row.items():
            print(f"  {k:32s} {v:10.3f}")


if __name__ == "__main__":
    main()
