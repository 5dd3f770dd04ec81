"""Balance read from the figures (physics/weight.py): centre of mass, support, what is carried.

Everything here is measured on the whole piece as stepped once for the physics tests (10 fps),
never on the targets.
"""

from __future__ import annotations

import numpy as np
import pymunk
from numpy.typing import NDArray

from thereturn_viz.physics.floor import studio_space
from thereturn_viz.physics.skeleton import bones
from thereturn_viz.physics.stage import COLLISION_SLOP, DT, SOLVER_ITERATIONS, STEP_HZ, Stage
from thereturn_viz.physics.weight import (
    FOOT_FLAT,
    Retouches,
    carried,
    floor_push,
    momentum_y,
    outside,
    sway_above,
)
from thereturn_viz.show.anatomy import SEGMENT_NAMES
from thereturn_viz.show.choreography import Choreography

from .conftest import FEET, FPS, NAMES, Trace


def test_mass_is_the_segments_and_the_centre_lies_within_the_figure(trace: Trace) -> None:
    for n in NAMES:
        assert np.allclose(trace.mass[n], sum(b.mass for b in bones(trace.heights[n])))
        seg = trace.segments[n]
        xs, ys = seg[..., 0::2].reshape(len(trace.t), -1), seg[..., 1::2].reshape(len(trace.t), -1)
        com = trace.com[n]
        assert (com[:, 0] >= xs.min(axis=1)).all() and (com[:, 0] <= xs.max(axis=1)).all(), n
        assert (com[:, 1] >= ys.min(axis=1)).all() and (com[:, 1] <= ys.max(axis=1)).all(), n


def test_holds_transmit_real_forces_equal_and_opposite(trace: Trace) -> None:
    """What she is carried by, he carries: read from each figure's own momentum, the two
    forces cancel to within a newton in every frame they hold each other, and are 0 when they
    do not. A foot touching the floor again is read by what the floor pushed, not by what its
    contact reports (:class:`~thereturn_viz.physics.weight.Retouches`); read by the contact, three
    frames of the piece missed, by 101 to 453 N (at 134.8 s, in the counterbalance, 398 N)."""
    held = trace.carried["partner"] != 0.0
    assert held.sum() > 100  # the waist holds, the hand holds, the lift
    residual = np.abs(trace.carried["lead"] + trace.carried["partner"])
    missed = trace.t[held & (residual >= 1.0)]
    assert not missed.size, f"held frames miss at {missed} s, by up to {residual.max():.0f} N"
    assert (trace.carried["lead"][~held] == 0.0).all()


def test_a_foot_set_down_again_is_read_by_what_the_floor_pushed() -> None:
    """A foot hopping off the floor for a step or two at a time, as a heel re-touching does:
    on every step, the floor's push read equals what the foot's momentum shows, so nothing is
    left for a partner to have carried. The solver keeps a parted contact a few steps and, as
    the foot touches again, reports the impulse it last ended with on top of what it pushed
    (read so, the push on such a step came out 98 N high: the weight this 10 kg foot last stood
    with)."""
    space = studio_space(SOLVER_ITERATIONS, COLLISION_SLOP)
    retouches = Retouches(space)
    mass = 10.0
    foot = pymunk.Body(mass, pymunk.moment_for_segment(mass, (-0.12, 0.0), (0.12, 0.0), 0.03))
    foot.position = (0.0, 0.03)
    sole = pymunk.Segment(foot, (-0.12, 0.0), (0.12, 0.0), 0.03)
    sole.friction = 1.0
    space.add(foot, sole)
    owner = {id(foot): "foot"}
    damping = space.damping**DT
    retouched = 0
    for i in range(240):
        if i >= 60 and i % 20 == 0:  # a hop: off the floor for about two steps
            foot.velocity = (0.0, 0.04)
        before = momentum_y([foot])
        space.step(DT)
        push = floor_push(space, owner, retouches).get("foot", (0.0, []))[0]
        left = carried(before, momentum_y([foot]), mass, DT, damping, push, 0.0)
        assert abs(left) < 1.0, f"step {i}: the floor read {push:.0f} N, {left:+.0f} N off"
        plain = floor_push(space, owner).get("foot", (0.0, []))[0]
        retouched += abs(plain - push) > 10.0
    assert retouched >= 5, "the foot never touched again within the solver's persistence"


def test_in_the_lift_he_carries_her_and_his_feet_carry_both(
    trace: Trace, choreography: Choreography
) -> None:
    sheet = choreography.sheet
    hold = trace.span(sheet.time_of("lift_apex"), sheet.time_of("music_resumes"))
    hers, his = trace.weight["partner"], trace.weight["lead"]
    share = trace.carried["partner"][hold].mean() / hers
    assert share >= 0.8, f"his body carries {share:.0%} of her weight in the lift"
    assert np.isnan(trace.support["partner"][hold]).all(), "her feet touch the floor in the lift"
    assert not np.isnan(trace.support["lead"][hold]).any(), "his feet leave the floor in the lift"
    assert trace.floor["lead"][hold].mean() >= 0.9 * (hers + his)
    assert trace.y("partner", "pelvis")[hold].min() >= 1.6


def test_standing_the_support_is_under_the_feet(trace: Trace) -> None:
    """The support is the floor under what bears the weight: standing, within a foot's length
    of the feet; lifted, none."""
    for n in NAMES:
        span = trace.support[n]
        on = ~np.isnan(span[:, 0])
        assert on.mean() > 0.8, n
        assert (span[on, 0] <= span[on, 1]).all()
        feet = np.stack([trace.point(n, "l_foot")[:, 0], trace.point(n, "r_foot")[:, 0]], axis=1)
        upright = on & (trace.y(n, "head") > 1.3)
        near = (span[upright, 0] >= feet[upright].min(axis=1) - 0.35) & (
            span[upright, 1] <= feet[upright].max(axis=1) + 0.35
        )
        assert near.mean() > 0.95, (n, near.mean())


def test_carried_is_what_is_left_after_gravity_floor_and_guide() -> None:
    # falling freely for one step: nothing carries
    m, dt = 60.0, 1.0 / 120.0
    assert abs(carried(0.0, -9.81 * m * dt, m, dt, 1.0, 0.0, 0.0)) < 1e-9
    # held up by the floor and a partner together
    assert abs(carried(0.0, 0.0, m, dt, 1.0, 300.0, 0.0) - (9.81 * m - 300.0)) < 1e-9


def test_held_high_she_is_over_his_feet_and_still(trace: Trace, choreography: Choreography) -> None:
    """From lift_apex to music_resumes: the couple's centre of mass within 3 cm of what bears
    his weight, her pelvis at 1.6 m or higher, no rocking above 1 Hz beyond 1 cm RMS."""
    sheet = choreography.sheet
    hold = trace.span(sheet.time_of("lift_apex"), sheet.time_of("music_resumes"))
    m = {n: trace.mass[n][hold][:, None] for n in NAMES}
    both = (trace.com["lead"][hold] * m["lead"] + trace.com["partner"][hold] * m["partner"]) / (
        m["lead"] + m["partner"]
    )
    off = outside(both[:, 0], trace.support["lead"][hold])
    assert off.max() <= 0.03, f"the couple's centre of mass {off.max():.3f} m off his support"
    # both his feet bear: his base spans from one to the other, not one sole rocking on the next
    base = np.diff(trace.support["lead"][hold], axis=1)
    assert base.min() >= 0.2, f"his base narrows to {base.min():.2f} m"
    pelvis = trace.point("partner", "pelvis")[hold]
    assert pelvis[:, 1].min() >= 1.6
    # over him, not beside him: her pelvis within his feet's reach either side
    feet = np.stack([trace.point("lead", f)[hold, 0] for f in ("l_foot", "r_foot")], axis=1)
    assert (np.abs(pelvis[:, 0] - feet.mean(axis=1)) < 0.25).all()
    sway = sway_above(pelvis, FPS)
    assert sway <= 0.01, f"her pelvis sways {sway * 100:.1f} cm RMS above 1 Hz"


def test_she_comes_down_in_one_movement_onto_bent_knees(
    trace: Trace, choreography: Choreography
) -> None:
    sheet = choreography.sheet
    start = trace.at(sheet.time_of("music_resumes"))
    down = start + int(np.argmax(~np.isnan(trace.support["partner"][start:, 0])))
    assert down > start, "she never lands"
    y = trace.y("partner", "pelvis")[start : down + 1]
    assert y[0] - y[-1] > 0.8 and np.diff(y).max() < 0.005, "the lowering stops or goes back up"
    rel = trace.relative("partner")[down]
    knees = [abs(np.degrees(rel[SEGMENT_NAMES.index(s)])) for s in ("l_shin", "r_shin")]
    assert min(knees) >= 20.0, f"she lands on straight legs (knees {knees})"


def _touches(trace: Trace, name: str, segment: str, end: int, after: float) -> float:
    """When ``end`` (0: the joint it hangs from, 1: its far end) of ``segment``'s collision
    capsule first comes within 3 cm of the floor after ``after``."""
    i = SEGMENT_NAMES.index(segment)
    radius = bones(trace.heights[name])[i].radius
    low = trace.segments[name][:, i, 1 + 2 * end] - radius
    down = (trace.t >= after) & (low < 0.03)
    assert down.any(), f"the {('upper', 'lower')[end]} end of her {segment} never reaches the floor"
    return float(trace.t[np.argmax(down)])


def _reaches_floor(trace: Trace, name: str, segment: str, after: float) -> float:
    """When the lowest point of ``segment``'s capsule first comes within 3 cm of the floor."""
    return min(_touches(trace, name, segment, end, after) for end in (0, 1))


def test_at_the_collapse_she_folds_knees_then_hip_then_shoulder(
    trace: Trace, choreography: Choreography
) -> None:
    """She folds from the knees down, as the figures show it: both knees (the upper ends of her
    shins' capsules) come within 3 cm of the floor, then her hip (her pelvis' capsule), then her
    shoulder (the top of her chest's), each strictly after the one before. Down on her knees she
    sits back over her heels (the toes tucked under, so in profile her shins never pass through
    the floor) and down onto her hip, then lies back."""
    start = choreography.sheet.time_of("collapse")
    knees = max(_touches(trace, "partner", shin, 0, start) for shin in ("l_shin", "r_shin"))
    hip = _reaches_floor(trace, "partner", "pelvis", start)
    shoulder = _touches(trace, "partner", "chest", 1, start)
    assert start < knees < hip < shoulder, f"knees {knees}, hip {hip}, shoulder {shoulder}"
    # and she is still lying there when he kneels beside her, through pan_out, until last_breath
    lying = trace.span(shoulder, choreography.sheet.time_of("last_breath"))
    assert (trace.y("partner", "head")[lying] < 0.35).all(), "she rises before last_breath"


def test_he_runs_to_her_stride_by_stride(trace: Trace, choreography: Choreography) -> None:
    """From collapse+1 to collapse+4 s his feet pass each other again and again, a foot on the
    floor in every stride, the two taking turns (a run), and no half second of it is held still
    (the old frozen lunge held 1.5 s). He crosses the floor to her: from the collapse to the
    kneel his pelvis travels 1 m or more toward her (x; his run on the diagonal only toward the
    camera read in profile as running on the spot)."""
    sheet = choreography.sheet
    start = sheet.time_of("collapse")
    run = trace.span(start + 1.0, start + 4.0)
    apart = trace.point("lead", "l_foot")[run, 0] - trace.point("lead", "r_foot")[run, 0]
    strides = np.count_nonzero(np.diff(np.sign(apart[np.abs(apart) > 0.05])))
    assert strides >= 3, f"his feet pass each other {strides} times"
    feet = np.concatenate([trace.point("lead", f)[run] for f in ("l_foot", "r_foot")], axis=1)
    moved = np.abs(feet[FPS // 2 :] - feet[: -(FPS // 2)]).max(axis=1)
    assert moved.min() > 0.03, "a half second with his feet held still"
    radius = bones(trace.heights["lead"])[FEET[0]].radius
    soles = np.stack(
        [
            np.minimum(trace.segments["lead"][run, i, 1], trace.segments["lead"][run, i, 3])
            - radius
            for i in FEET
        ],
        axis=1,
    )
    down = soles.min(axis=1) < 0.03
    assert all(down[i : i + FPS // 2].any() for i in range(len(down) - FPS // 2 + 1)), (
        "half a second with neither foot on the floor"
    )
    # the foot that bears him alone (the other off the floor): left, right, left ...
    alone = down & (soles.max(axis=1) > 0.05)
    turns = np.count_nonzero(np.diff(np.argmin(soles[alone], axis=1)))
    assert turns >= 3, f"the foot bearing him changes {turns} times"
    x = trace.point("lead", "pelvis")[:, 0]
    toward = np.sign(trace.point("partner", "pelvis")[trace.at(start), 0] - x[trace.at(start)])
    travel = toward * (x[trace.at(sheet.time_of("kneel"))] - x[trace.at(start)])
    assert travel >= 1.0, f"his pelvis travels {travel:.2f} m toward her"


def _middles(seg: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n, 2) the middle of each (n, 4) segment."""
    return np.stack([(seg[:, 0] + seg[:, 2]) / 2, (seg[:, 1] + seg[:, 3]) / 2], axis=1)


def test_at_the_heartbeat_her_palm_rests_on_his_heart(
    trace: Trace, choreography: Choreography
) -> None:
    """The heartbeat's moment as an intention: facing each other 0.7 m apart, his palm on his
    heart and hers laid there with it, the two hands within 6 cm, from heartbeat+2.5 to +4 s."""
    start = choreography.sheet.time_of("heartbeat")
    span = trace.span(start + 2.5, start + 4.0)
    assert (trace.facing["lead"][span] > 0.99).all() and (
        trace.facing["partner"][span] < -0.99
    ).all()
    hand, chest = SEGMENT_NAMES.index("r_hand"), SEGMENT_NAMES.index("chest")
    his, hers = (_middles(trace.segments[n][span, hand]) for n in NAMES)
    apart = np.hypot(*(his - hers).T)
    assert apart.max() < 0.06, f"their hands {apart.max():.2f} m apart"
    body = trace.segments["lead"][span, chest]
    # at his heart: between his waist and his neck, in front of his chest by less than a hand
    assert ((hers[:, 1] > body[:, 1]) & (hers[:, 1] < body[:, 3])).all(), (
        "not at his chest's height"
    )
    front = hers[:, 0] - np.maximum(body[:, 0], body[:, 2])
    assert ((front > 0.0) & (front < 0.25)).all(), f"her hand {front.min():.2f}-{front.max():.2f} m"


def test_no_visible_figure_is_frozen(trace: Trace, choreography: Choreography) -> None:
    """A held figure still breathes: from a dancer's entrance to the end, in every 2 s some point
    of the figure moves 1.2 cm or more (the end's touch, unbreathing, held both still to 7 mm).
    Her stillest 2 s, lying after the collapse (from 349.5 s), move 1.47 to 1.53 cm as the
    collapse happens to lay her (main at 34219ed: 1.53; with the legs carrying a standing hip,
    physics/dancer.py: 1.47 to 1.50, her lying the same breath, guide and all)."""
    window = 2 * FPS
    for n in NAMES:
        seg = trace.segments[n].reshape(len(trace.t), -1)
        first = trace.at(choreography.dancers[n].enters)
        least = min(
            float((seg[i : i + window].max(axis=0) - seg[i : i + window].min(axis=0)).max())
            for i in range(first, len(trace.t) - window + 1, FPS // 2)
        )
        assert least >= 0.012, f"the {n} holds still to {least * 100:.1f} cm for 2 s"


def test_a_snapshot_that_does_not_measure_keeps_what_the_next_one_needs(
    choreography: Choreography,
) -> None:
    """A frame's snapshot one step before its last measures nothing (the last one's balance
    replaces it unread) but its momentum: what the last one carries is the same as when both
    measure, to the bit, and a held figure's carried force is not zero."""
    stages = Stage(choreography), Stage(choreography)
    skip = round(choreography.sheet.time_of("lift_apex") * STEP_HZ)
    for stage in stages:
        stage.skip(skip)
    for _ in range(STEP_HZ // 4):
        for stage, measure in zip(stages, (True, False), strict=True):
            stage.step()
            stage.snapshot(measure=measure)
            stage.step()
            stage.snapshot()
        assert stages[0].weights == stages[1].weights
        assert stages[0].errors == stages[1].errors
    assert stages[1].weights["partner"].carried_n > 100.0


#: Seconds either side of a foot leaving or meeting the floor in which the weight may travel.
STEP_SECONDS = 0.3
#: A standing foot's target sliding faster than this (m/s) is a travelling step (a chasse).
SLIDE_SPEED = 0.3


def _off_floor(seg: NDArray[np.float64], radius: NDArray[np.float64]) -> NDArray[np.float64]:
    """(frames, segments) how high each segment's capsule is above the floor; a shin by its
    knee end only (its ankle end lies beside the foot's)."""
    low = np.minimum(seg[..., 1], seg[..., 3])
    shins = [SEGMENT_NAMES.index(s) for s in ("l_shin", "r_shin")]
    low[:, shins] = seg[:, shins, 1]
    return np.asarray(low - radius[None, :])


def _stepping(trace: Trace, name: str) -> NDArray[np.bool_]:
    """(frames,) within STEP_SECONDS of a target foot leaving or meeting the floor, or while a
    target foot on the floor slides across it."""
    feet = [SEGMENT_NAMES.index(s) for s in ("l_foot", "r_foot")]
    radius = np.array([b.radius for b in bones(trace.heights[name])])[feet]
    target = trace.targets[name][:, feet]
    on = np.minimum(target[..., 1], target[..., 3]) - radius < 0.03
    changed = np.zeros(len(trace.t), dtype=bool)
    changed[1:] = (on[1:] != on[:-1]).any(axis=1)
    speed = np.zeros(len(trace.t))
    speed[1:] = (np.abs(np.diff(target[..., 0], axis=0)) * FPS * on[1:]).max(axis=1)
    around = round(STEP_SECONDS * FPS)
    near = np.convolve(changed, np.ones(2 * around + 1), mode="same") > 0
    return np.asarray(near | (speed > SLIDE_SPEED))


def _standing_alone(trace: Trace, choreography: Choreography, name: str) -> NDArray[np.bool_]:
    """(frames,) standing on its feet (nothing else on the floor), held by no one, outside a
    step and a designed fall (``fall = true``), entered."""
    held = np.zeros(len(trace.t), dtype=bool)
    for c in choreography.contacts:
        held |= (trace.t >= c.start) & (trace.t < c.end)
    script = choreography.dancers[name]
    radius = np.array([b.radius for b in bones(trace.heights[name])])
    up = _off_floor(trace.segments[name], radius)
    feet = [SEGMENT_NAMES.index(s) for s in ("l_foot", "r_foot")]
    others = [i for i in range(len(SEGMENT_NAMES)) if i not in feet]
    return np.asarray(
        ~np.isnan(trace.support[name][:, 0])
        & (up[:, others].min(axis=1) > 0.03)
        & (trace.carried[name] < 0.1 * trace.weight[name])
        & ~held
        & (trace.t >= script.enters)
        & ~script.falling(trace.t)
        & ~_stepping(trace, name)
    )


def test_standing_alone_the_weight_is_over_the_feet(
    trace: Trace, choreography: Choreography
) -> None:
    """Balance is the figure's own: standing on its feet (nothing else on the floor), held by no
    one, outside a step and a designed fall (``fall = true``), its centre of mass lies within
    0.1 m of the span its feet bear on in 99% of frames or more (before the planner put the
    poses' weight over their feet, physics/balance.py: 81% for him, 73% for her; on 4 December,
    before the chasse, the bow, the tendu, her rise at last_breath and the turns were mended:
    99.4% and 98.9%).

    What is left (measured 4 December at 20:40, with the hip guide slack across: none of 1573
    frames for him, 8 of 1384 for her, 99.4%): her glide at partner_enters+8c, whose front foot
    skims 4 to 5 cm over the floor (bearing to the planner, not to the physics; pointed to the
    floor, the hold at heartbeat+9c bent her held wrist 4 degrees past its range); the feet
    finishing a turn a few tenths after their targets (after+1 and after+24.6 s: the sole still
    pointing the old way); frames of the physics lagging its targets' step (after+34.5 and
    after+68.5 s)."""
    for n in NAMES:
        standing = _standing_alone(trace, choreography, n)
        span = trace.support[n]
        assert standing.sum() > 1000, (n, standing.sum())
        off = outside(trace.com[n][standing, 0], span[standing])
        bad = trace.t[standing][off > 0.1]
        cues = sorted({choreography.sheet.cue_at(float(t)) for t in bad})
        share = 1.0 - len(bad) / standing.sum()
        assert share >= 0.99, (
            f"the {n}'s weight over its feet in {share:.1%} of {standing.sum()} frames "
            f"(off by up to {off.max():.2f} m; at {bad[:12]} ...: {cues})"
        )


#: The most the hip guide may pull across, in body weights, standing alone on a flat foot: in the
#: median frame and in the 95th percentile.
ACROSS_MEDIAN = 0.08
ACROSS_P95 = 0.45


def test_standing_alone_the_legs_carry_the_hip_across(
    trace: Trace, choreography: Choreography
) -> None:
    """Balance is physics, not a hand: in the frames the balance test reads (standing alone on
    its feet) with a foot flat on the floor, the hip guide pulls the hip across the floor with at
    most 8% of the body's weight in the median frame and 45% in the 95th percentile. The legs
    carry the hip and the trunk (physics/dancer.py, ``STAND_SLACK``): the guide only damps the
    hip's sway about its path and catches it beyond 4 cm.

    Measured 4 December on this 10 fps trace (about 1060 frames of his, 810 of hers): held to
    its path with the full pull and the trunk's gear at full torque (main at 65dbd7a), the
    median 0.36 of his weight and 0.52 of hers, p95 1.17 and 1.04 (the gear's torque came back
    through the floor as a couple with the guide's pull); now the median 0.013 and 0.021, p95
    0.22 and 0.32. On the toes (a releve, the settling after a turn: the other third of the
    balance test's frames) no foot is planted, a free foot slides over the floor, and the guide
    keeps its full pull: median 0.27 of the weight, as before (0.28)."""
    pulls = {}
    for n in NAMES:
        standing = _standing_alone(trace, choreography, n) & _flat_foot(trace, n)
        # enough frames to read a median and a p95 from (fewer since the feet step: a step's
        # frames are left out, and her feet take about 60 steps of their own)
        assert standing.sum() > 500, (n, standing.sum())
        pull = trace.guide_x[n][standing] / trace.weight[n]
        pulls[n] = (float(np.median(pull)), float(np.percentile(pull, 95)))
    for n, (median, p95) in pulls.items():
        assert median <= ACROSS_MEDIAN, f"the {n}'s guide pulls {median:.2f} of its weight across"
        assert p95 <= ACROSS_P95, f"the {n}'s guide pulls {p95:.2f} of its weight across (p95)"


def _flat_foot(trace: Trace, name: str) -> NDArray[np.bool_]:
    """(frames,) a foot lying flat on the floor: both ends of its capsule within 3 cm of it (on
    the toes, in a releve, the guide keeps its pull)."""
    feet = trace.segments[name][:, list(FEET)]
    radius = bones(trace.heights[name])[FEET[0]].radius
    flat = (np.maximum(feet[..., 1], feet[..., 3]) - radius) < FOOT_FLAT
    return np.asarray(flat.any(axis=1))
