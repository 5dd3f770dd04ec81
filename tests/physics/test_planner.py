"""The plan on its own: the choreography turned into blocks of drive targets, with no pymunk.

Nothing here steps a physics engine (this file imports no pymunk, and the planner does not
either: checked in a fresh interpreter), so these tests say whether the targets are right apart
from whether the solver follows them.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest

from thereturn_viz.physics.planner import (
    BLOCK,
    DT,
    PREFETCH_DUE,
    STEP_HZ,
    TURN_EASE_STEPS,
    Ahead,
    Planner,
    tremble_deg,
)
from thereturn_viz.show.anatomy import JOINTS, SEGMENT_NAMES
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.kinematics import segment_points
from thereturn_viz.show.traits import KNEELING, Traits, Tremble


def _recast(choreography: Choreography, **traits: Traits) -> Choreography:
    """The same choreography with some dancers given other traits."""
    dancers = {
        name: dataclasses.replace(script, traits=traits.get(name, script.traits))
        for name, script in choreography.dancers.items()
    }
    return dataclasses.replace(choreography, dancers=dancers)


def _block_at(t: float) -> tuple[int, int]:
    """(block number, step within the block) of the step that ends at ``t``."""
    step = round(t * STEP_HZ) - 1
    return step // BLOCK, step % BLOCK


def test_the_planner_needs_no_physics_engine() -> None:
    code = (
        "import sys, thereturn_viz.physics.planner\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pymunk'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_block_built_ahead_equals_one_built_on_demand(choreography: Choreography) -> None:
    """Over the whole piece (the lift's carried targets included), slice by slice or at once."""
    planner = Planner(choreography)
    ahead = Ahead(planner)
    blocks = int(choreography.sheet.duration * STEP_HZ) // BLOCK + 1
    for number in range(1, blocks):
        slices = 0
        while ahead.work(number, due=math.inf):
            slices += 1
        assert slices == 2 * len(choreography.dancers) + 1  # each figure in two, then all
        got, want = ahead.take(number), planner.plan(number)
        assert got.number == want.number == number
        assert got.events == want.events and got.hold_events == want.hold_events
        for name, block in want.blocks.items():
            other = got.blocks[name]
            assert np.array_equal(other.phases, block.phases) and other.events == block.events
            assert (other.moved, other.moved_to, other.moved_at) == (
                block.moved,
                block.moved_to,
                block.moved_at,
            )
            assert np.array_equal(other.hip, block.hip) and np.array_equal(other.rel, block.rel)
            assert other.guide_velocity == block.guide_velocity


def test_a_block_part_built_is_finished_on_demand(choreography: Choreography) -> None:
    planner = Planner(choreography)
    ahead = Ahead(planner)
    assert ahead.work(2, due=math.inf) is True  # one slice of block 2
    got = ahead.take(2)
    assert np.array_equal(got.blocks["lead"].phases, planner.plan(2).blocks["lead"].phases)
    assert ahead.take(3).number == 3  # nothing ahead: built there and then


def test_work_ahead_waits_for_room_unless_the_block_is_due(choreography: Choreography) -> None:
    ahead = Ahead(Planner(choreography))
    assert ahead.work(1, due=10.0, spare=0.0) is False  # no room in the frame, 10 s to go
    assert ahead.work(1, due=PREFETCH_DUE / 2, spare=0.0) is True  # due soon: done anyway
    assert ahead.work(1, due=10.0, spare=1.0) is True  # room in the frame
    last = int(choreography.sheet.duration * STEP_HZ) // BLOCK
    assert ahead.work(last + 1, due=0.0) is False  # past the end of the piece


def test_the_servos_set_each_step_carry_every_change_of_phase(choreography: Choreography) -> None:
    """A step sets only the servos listed as moved: replaying those lists from the first row
    rebuilds every row of the block's phases, so nothing a servo should follow is skipped."""
    number, _ = _block_at(choreography.sheet.time_of("together"))
    block = Planner(choreography).plan(number).blocks["partner"]
    rows = block.phases
    replay = rows[0].copy()
    moved_any = 0
    for k in range(1, len(rows)):
        a, b = block.moved_at[k], block.moved_at[k + 1]
        replay[block.moved[a:b]] = block.moved_to[a:b]
        moved_any += b - a
        assert np.array_equal(replay, rows[k]), k
    assert 0 < moved_any < rows.size  # something moves, and not every servo at every step


def test_the_guide_moves_along_the_hip_path(choreography: Choreography) -> None:
    """The guide's velocity at a step carries the hip from one target to the next exactly."""
    plan = Planner(choreography).plan(1)
    for block in plan.blocks.values():
        v = np.array(block.guide_velocity)
        assert np.allclose(block.hip[0] + v[1:].cumsum(axis=0) * DT, block.hip[1:], atol=1e-9)


def test_contacts_are_made_and_let_go_at_their_steps(choreography: Choreography) -> None:
    planner = Planner(choreography)
    for ci, c in enumerate(choreography.contacts):
        for t, made in ((c.start, True), (c.end, False)):
            # the first step whose end time is at or past t, worked out as the planner does
            j = round(t * STEP_HZ)
            j += 1 if j * DT < t else -1 if (j - 1) * DT >= t else 0
            number, k = divmod(j - 1, BLOCK)
            events = planner.plan(number).events
            assert (ci, made) in events.get(k, []), (c.kind, t, made)


def test_hand_holds_loosen_through_every_turn(choreography: Choreography) -> None:
    """Loose while either figure turns and for a few steps after; gripping otherwise."""
    planner = Planner(choreography)
    turns = 0
    for number in range(int(choreography.sheet.duration * STEP_HZ) // BLOCK + 1):
        plan = planner.plan(number)
        turning = np.zeros(BLOCK, dtype=bool)
        for block in plan.blocks.values():
            turning |= np.abs(block.facing) < 1.0
        loose = np.zeros(BLOCK, dtype=bool)
        state = False
        for k in range(BLOCK):
            state = plan.hold_events.get(k, state)
            loose[k] = state
        settled = np.convolve(turning, np.ones(TURN_EASE_STEPS), mode="full")[:BLOCK] > 0
        # the first step of a block is set by the stage from the events before it
        assert np.array_equal(loose[1:], settled[1:]), number
        turns += int(turning.any())
    assert turns > 3


def test_the_one_who_trembles_trembles_between_the_cues(choreography: Choreography) -> None:
    sheet = choreography.sheet
    kneel, last = sheet.time_of(KNEELING.start), sheet.time_of(KNEELING.until)
    t = np.arange(0.0, sheet.duration, DT)
    shake = tremble_deg(KNEELING, sheet, t)
    inside = (t > kneel) & (t < last)
    assert not shake[~inside].any()
    moving = [JOINTS.index(w.joint) for w in KNEELING.waves]
    assert np.abs(shake[inside][:, moving]).max(axis=0).min() > 1.0
    bound = {j: sum(w.amplitude for w in KNEELING.waves if w.joint == j) for j in JOINTS}
    assert (np.abs(shake) <= np.array([bound[j] for j in JOINTS]) + 1e-12).all()
    # it grows over the ramp: a tenth of a second in, at most a tenth of the way
    early = (t > kneel) & (t < kneel + 0.1 * KNEELING.ramp)
    assert np.abs(shake[early]).max() <= 0.1 * max(bound.values())
    elsewhere = Tremble(KNEELING.waves, "no_such_cue", KNEELING.until, 1.0)
    assert not tremble_deg(elsewhere, sheet, t).any()


def test_only_the_one_who_trembles_has_it_added(choreography: Choreography) -> None:
    """The lead's targets while he kneels are his keyframes plus the trembling; take his
    tremble away (data, not his name) and they are his keyframes alone."""
    number, k = _block_at(choreography.sheet.time_of("kneel") + 3.0)
    lead = choreography.dancers["lead"]
    calm = _recast(choreography, lead=dataclasses.replace(lead.traits, tremble=None))
    shaking = Planner(choreography).plan(number).blocks["lead"].angles
    still = Planner(calm).plan(number).blocks["lead"].angles
    wrist = JOINTS.index("r_wrist")
    assert np.abs(shaking[:, wrist] - still[:, wrist]).max() > 2.0
    # the partner's own traits have no tremble: hers are the same either way
    her = Planner(choreography).plan(number).blocks["partner"].angles
    assert np.array_equal(her, Planner(calm).plan(number).blocks["partner"].angles)


def _pelvis_hold(choreography: Choreography, number: int, k: int) -> tuple[float, float]:
    """Where (world) the carried one's pelvis is held at step ``k`` of block ``number``."""
    from thereturn_viz.physics.lift import held_points
    from thereturn_viz.physics.skeleton import bones

    plan = Planner(choreography).plan(number)
    her = choreography.dancers["partner"]
    block = plan.blocks["partner"]
    angles, facing = block.angles[k : k + 1], block.facing[k : k + 1]
    ax, ay, bx, by = segment_points(angles, her.height, facing)
    i = SEGMENT_NAMES.index("pelvis")
    lead_x = plan.blocks["lead"].hip[k : k + 1, 0]
    toward = lead_x - block.hip[k : k + 1, 0]
    held = held_points((ax[i], ay[i]), (bx[i], by[i]), bones(her.height)[0].radius, toward)
    return float(block.hip[k, 0] + held[0, 0]), float(block.hip[k, 1] + held[0, 1])


def test_the_carried_one_is_held_where_the_carriers_hands_aim(
    choreography: Choreography,
) -> None:
    number, k = _block_at(choreography.sheet.time_of("lift_apex") + 1.0)
    plan = Planner(choreography).plan(number)
    lead = choreography.dancers["lead"]
    block = plan.blocks["lead"]
    ax, ay, bx, by = segment_points(block.angles[k : k + 1], lead.height, block.facing[k : k + 1])
    hands = [SEGMENT_NAMES.index("l_hand"), SEGMENT_NAMES.index("r_hand")]
    aim_x = block.hip[k, 0] + float(((ax[hands] + bx[hands]) / 2).mean())
    aim_y = block.hip[k, 1] + float(((ay[hands] + by[hands]) / 2).mean())
    held = _pelvis_hold(choreography, number, k)
    assert math.dist(held, (aim_x, aim_y)) < 1e-9
    assert held[1] > 1.2  # high in the air


def test_with_no_one_to_carry_her_the_lift_takes_its_own_height(
    choreography: Choreography,
) -> None:
    """Traits, not names: with no carrier cast, the carried one rises to the contact's height."""
    nobody = _recast(choreography, lead=Traits())
    number, k = _block_at(choreography.sheet.time_of("lift_apex") + 1.0)
    lift = next(c for c in choreography.contacts if c.kind == "lift")
    hip = Planner(nobody).plan(number).blocks["partner"].hip
    carried = Planner(choreography).plan(number).blocks["partner"].hip
    assert hip[k, 1] == pytest.approx(lift.height, abs=1e-9)
    assert abs(carried[k, 0] - hip[k, 0]) > 1e-3  # held by his hands she is placed elsewhere
    # one who is not carried keeps her keyframes' own hip: where the lift draws her, it differs
    alone = Planner(_recast(choreography, partner=Traits())).plan(number).blocks["partner"]
    assert alone.hip[k, 0] == hip[k, 0]  # with no hands to follow, only the height is the lift's
    drawn = np.abs(alone.hip - carried).max(axis=1) > 1e-6
    assert drawn[k] and not drawn[0]  # at the lift, not 10 s before it


def test_the_carriers_are_planned_first(choreography: Choreography) -> None:
    assert Planner(choreography).order == ("lead", "partner")
    swapped = _recast(choreography, lead=Traits(carried=True), partner=Traits(carries=True))
    assert Planner(swapped).order == ("partner", "lead")


def test_the_targets_at_any_times_are_the_blocks_targets(choreography: Choreography) -> None:
    """``figures_at`` (a camera reads it around each frame) places every segment where the
    block's targets do: standing, in a turn, and carried high in the lift."""
    sheet = choreography.sheet
    planner = Planner(choreography)
    for t in (sheet.time_of("together") + 8.25, sheet.time_of("lift_apex") + 1.0):
        number, k = _block_at(t)
        plan = planner.plan(number)
        at = planner.figures_at(np.array([t - 0.5, round(t * STEP_HZ) * DT, t + 0.5]))
        for name, script in choreography.dancers.items():
            block = plan.blocks[name]
            ax, ay, bx, by = segment_points(
                block.angles[k : k + 1], script.height, block.facing[k : k + 1]
            )
            hx, hy = block.hip[k]
            fig = at[name]
            assert np.allclose(fig.ax[:, 1], ax[:, 0] + hx, atol=1e-9)
            assert np.allclose(fig.by[:, 1], by[:, 0] + hy, atol=1e-9)
            assert fig.depth.shape == (3,)
    apex = planner.figures_at(np.array([sheet.time_of("lift_apex") + 1.0]))["partner"]
    assert float(np.minimum(apex.ay, apex.by).min()) > 0.3  # her lowest point off the floor
