"""The piece itself: what the shipped choreography must contain for docs/story.md to be danced.

These tests read the real files in ``choreography/`` through the one loader and check the
content (counts, gaps, positions, contacts at the right cues, the shapes the story asks for)
on the keyframed targets, without physics, so they stay fast and say which beat is wrong.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from thereturn_viz.show.anatomy import JOINTS
from thereturn_viz.show.choreography import Choreography, DancerScript
from thereturn_viz.show.kinematics import forward, standing_root
from thereturn_viz.show.loader import load_choreography

Point = tuple[float, float]
#: The piece as shipped: these tests are about the repository's own files.
CHOREOGRAPHY_DIR = Path(__file__).resolve().parents[1] / "choreography"


@cache
def piece() -> Choreography:
    return load_choreography(CHOREOGRAPHY_DIR)


def at(name: str) -> float:
    return piece().sheet.time_of(name)


def figure(script: DancerScript, t: float) -> dict[str, tuple[Point, Point, float]]:
    """The target figure at ``t``, grounded on its lowest point and raised by its ``y``."""
    tg = script.sample(t)
    angles, x, y = tg.angles[0], float(tg.x[0]), float(tg.y[0])
    facing = 1.0 if tg.facing[0] >= 0 else -1.0
    root = standing_root(angles, script.height, x, facing)
    return forward(angles, script.height, (root[0], root[1] + y), facing)


def mid(seg: tuple[Point, Point, float]) -> Point:
    return ((seg[0][0] + seg[1][0]) / 2, (seg[0][1] + seg[1][1]) / 2)


def dist(p: Point, q: Point) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def on_stage(script: DancerScript) -> np.ndarray:
    return np.arange(script.enters, piece().sheet.duration, 0.1)


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_each_dancer_has_at_least_150_keyframes(who: str) -> None:
    assert len(piece().dancers[who].keyframes) >= 150


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_no_stretch_over_8_seconds_without_a_keyframe_on_stage(who: str) -> None:
    script = piece().dancers[who]
    times = [script.enters] + [k.t for k in script.keyframes] + [piece().sheet.duration]
    gaps = np.diff(times)
    worst = int(np.argmax(gaps))
    assert gaps[worst] <= 8.0, f"{who}: {gaps[worst]:.1f} s without a keyframe after {times[worst]}"


def test_every_keyframe_names_a_pose_of_the_library() -> None:
    folder = CHOREOGRAPHY_DIR
    library = tomllib.loads((folder / "poses.toml").read_text())
    for who in ("lead", "partner"):
        raw = tomllib.loads((folder / f"{who}.toml").read_text())
        missing = {k["pose"] for k in raw["keyframes"]} - set(library)
        assert not missing, f"{who} uses poses not in poses.toml: {sorted(missing)}"


def test_the_partner_is_not_there_before_she_enters() -> None:
    partner = piece().dancers["partner"]
    assert partner.enters == at("partner_enters")
    assert partner.keyframes[0].t >= partner.enters
    before = partner.sample(np.arange(0.0, partner.enters, 0.5))
    assert not before.visible.any()
    # she comes out of the shadow on the far side, away from him
    lead_x = float(piece().dancers["lead"].sample(partner.enters).x[0])
    assert partner.keyframes[0].x > lead_x + 3.0


def test_the_lead_is_alone_at_the_open() -> None:
    lead = piece().dancers["lead"]
    assert lead.enters == at("open") == lead.keyframes[0].t
    opening = [k for k in lead.keyframes if k.t < at("first_note")]
    assert len(opening) >= 4, "small weight shifts and breathing before the first note"
    assert max(k.x for k in opening) - min(k.x for k in opening) < 0.3, "he stays in place"


def test_at_eyes_meet_both_stop_and_face_each_other() -> None:
    lead, partner = piece().dancers["lead"], piece().dancers["partner"]
    t = at("eyes_meet")
    for a, b in ((lead, partner), (partner, lead)):
        here = a.sample(np.array([t - 0.1, t, t + 2.0]))
        other = float(b.sample(t).x[0])
        assert np.ptp(here.x) < 0.1, f"{a.name} moves during the held look"
        # facing the other one
        assert np.sign(here.facing[1]) == np.sign(other - here.x[1])


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_conversation_is_not_two_poses_in_a_loop(who: str) -> None:
    script = piece().dancers[who]
    span = [k for k in script.keyframes if at("conversation") <= k.t < at("together")]
    poses = [k.pose for k in span]
    assert len(set(poses)) >= 15
    turns = sum(1 for a, b in zip(span, span[1:], strict=False) if a.facing != b.facing)
    assert turns >= 2, "the conversation turns away and back"


def test_she_reaches_while_he_retreats_early_in_the_conversation() -> None:
    lead, partner = piece().dancers["lead"], piece().dancers["partner"]
    t0, t1 = at("conversation"), at("conversation") + 8.0
    assert float(partner.sample(t1).x[0]) < float(partner.sample(t0).x[0]) - 0.3  # toward him
    assert float(lead.sample(t1).x[0]) < float(lead.sample(t0).x[0]) - 0.3  # away from her


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_keyframes_stay_well_inside_the_studio(who: str) -> None:
    xs = [k.x for k in piece().dancers[who].keyframes]
    assert min(xs) >= -4.5 and max(xs) <= 4.5


def test_bodies_keep_apart_except_in_waist_holds_and_the_lift() -> None:
    lead, partner = piece().dancers["lead"], piece().dancers["partner"]
    times = on_stage(partner)
    gap = partner.sample(times).x - lead.sample(times).x
    close = np.array([any(c.kind != "hands" for c in piece().contacts_at(t)) for t in times])
    assert gap.min() > 0.0, "the two never pass through each other: she stays on his right"
    assert gap[~close].min() >= 0.4


def test_hand_holds_bring_the_named_hands_together() -> None:
    lead, partner = piece().dancers["lead"], piece().dancers["partner"]
    holds = [c for c in piece().contacts if c.kind == "hands"]
    assert len(holds) >= 6
    for c in holds:
        gaps = [
            dist(mid(figure(lead, t)[c.lead_part]), mid(figure(partner, t)[c.partner_part]))
            for t in np.arange(c.start, c.end, 0.25)
        ]
        assert float(np.median(gaps)) < 0.3, f"hands {c.start:.1f}-{c.end:.1f}: {np.median(gaps)}"
        assert max(gaps) < 0.8, f"hands {c.start:.1f}-{c.end:.1f} pulled apart: {max(gaps):.2f}"


def test_together_has_hand_holds_spins_and_near_lifts() -> None:
    partner = piece().dancers["partner"]
    t0, t1 = at("together"), at("lift_begin")
    holds = [c for c in piece().contacts if c.kind == "hands" and t0 <= c.start < t1]
    assert len(holds) >= 4
    turns_in_a_hold = max(
        sum(
            1
            for a, b in zip(partner.keyframes, partner.keyframes[1:], strict=False)
            if c.start <= a.t and b.t <= c.end and a.facing != b.facing
        )
        for c in holds
    )
    assert turns_in_a_hold >= 4, "a spin under his arm: at least two full turns in one hold"
    near_lifts = [k for k in partner.keyframes if t0 < k.t < t1 and k.y > 0.2]
    waists = [c for c in piece().contacts if c.kind == "waist" and t0 <= c.start < t1]
    assert near_lifts and len(waists) >= 2
    for k in near_lifts:
        assert any(c.start <= k.t <= c.end for c in waists), f"a jump at {k.t} without his hands"


def test_the_lift_is_prepared_held_through_the_silence_and_lowered_after() -> None:
    partner = piece().dancers["partner"]
    lifts = [c for c in piece().contacts if c.kind == "lift"]
    assert len(lifts) == 1
    lift = lifts[0]
    assert lift.start == at("lift_begin")
    assert at("music_resumes") + 1.0 <= lift.end <= at("after")
    prep = [c for c in piece().contacts if c.kind == "waist" and c.end == lift.start]
    assert prep and lift.start - prep[0].start >= 3.0, "the preparation, his hands at her waist"
    # at the apex her pelvis is where the lift contact says, and it stays up through the silence
    for t in np.arange(at("lift_apex"), at("music_resumes"), 0.5):
        pelvis = figure(partner, t)["pelvis"][0]
        assert abs(pelvis[1] - lift.height) < 0.12, f"at {t:.1f} her pelvis is at {pelvis[1]:.2f}"
    # lowered gently after the music returns: down by the end of the contact, not before
    assert float(partner.sample(at("music_resumes") - 0.5).y[0]) > 0.5
    assert float(partner.sample(lift.end).y[0]) == 0.0
    ys = partner.sample(np.arange(at("music_resumes"), lift.end, 0.1)).y
    assert np.all(np.diff(ys) <= 1e-9), "she is lowered, never dropped and caught again"


def test_his_hands_carry_her_in_the_lift() -> None:
    lead, partner = piece().dancers["lead"], piece().dancers["partner"]
    lift = next(c for c in piece().contacts if c.kind == "lift")
    for t in np.arange(lift.start + 2.0, lift.end - 1.0, 0.5):
        hands = mid(figure(lead, t)["r_hand"])
        pelvis = figure(partner, t)["pelvis"][0]
        assert dist(hands, pelvis) < 0.45, (
            f"at {t:.1f} his hands are {dist(hands, pelvis):.2f} m off"
        )


def test_after_is_softer_and_slower_than_together() -> None:
    for script in piece().dancers.values():

        def pace(t0: float, t1: float, ks: tuple = script.keyframes) -> tuple[float, float]:
            span = [k for k in ks if t0 <= k.t < t1]
            return len(span) / (t1 - t0), float(np.mean([k.effort.speed for k in span]))

        rate_together, speed_together = pace(at("together"), at("lift_begin"))
        rate_after, speed_after = pace(at("after"), at("collapse"))
        assert rate_after < rate_together and speed_after < speed_together


def lowest_point(segs: dict[str, tuple[Point, Point, float]], part: str) -> float:
    return min(segs[part][0][1], segs[part][1][1])


def test_she_collapses_to_the_floor_through_a_sequence_of_poses() -> None:
    partner = piece().dancers["partner"]
    steps = [k for k in partner.keyframes if at("collapse") <= k.t <= at("kneel") + 1.0]
    assert len({k.pose for k in steps}) >= 5, "a graceful sequence, not a drop"
    heads = [lowest_point(figure(partner, k.t), "head") for k in steps]
    assert all(b <= a + 0.05 for a, b in zip(heads, heads[1:], strict=False)), heads
    lying = figure(partner, at("pan_out"))
    chest_tilt = abs(math.cos(lying["chest"][2]))
    assert chest_tilt > 0.9, "she lies on the floor"
    assert lowest_point(lying, "head") < 0.3


def test_he_kneels_with_his_pelvis_low_and_is_still_through_pan_out() -> None:
    lead = piece().dancers["lead"]
    standing = figure(lead, at("open"))["pelvis"][0][1]
    for t in np.arange(at("kneel") + 2.0, at("music_end"), 1.0):
        assert figure(lead, t)["pelvis"][0][1] < 0.65 * standing, f"not kneeling at {t:.0f}"
    low = [
        figure(lead, t)["pelvis"][0][1] for t in np.arange(at("pan_out"), at("last_breath"), 1.0)
    ]
    assert np.median(low) < 0.45 * standing, "sinking back onto his heel: the pelvis low"
    still = [k for k in lead.keyframes if at("pan_out") + 5.0 <= k.t <= at("last_breath")]
    assert len(still) >= 3
    for a, b in zip(still, still[1:], strict=False):
        change = np.abs(np.subtract(a.angles, b.angles)).max()
        assert change <= 20.0, f"{a.pose} -> {b.pose} is not stillness"
        assert a.x == b.x


def test_his_hands_tremble_when_he_kneels() -> None:
    lead = piece().dancers["lead"]
    span = [k for k in lead.keyframes if at("kneel") <= k.t <= at("pan_out") + 1.0]
    elbow = JOINTS.index("r_elbow")
    flips = np.sign(np.diff([k.angles[elbow] for k in span]))
    assert np.count_nonzero(np.diff(flips[flips != 0])) >= 3, "back and forth, quickly"


def test_she_rises_at_last_breath_and_touches_his_cheek() -> None:
    lead, partner = piece().dancers["lead"], piece().dancers["partner"]
    low = figure(partner, at("last_breath"))["pelvis"][0][1]
    up = figure(partner, at("touch"))["pelvis"][0][1]
    assert low < 0.4 and up > 0.75
    for t in (at("touch") + 0.5, at("touch") + 2.0, at("music_end")):
        hand = figure(partner, t)["r_hand"][1]
        head = mid(figure(lead, t)["head"])
        assert dist(hand, head) < 0.3, f"at {t:.1f} her hand is {dist(hand, head):.2f} m from him"


def test_his_head_lifts_and_tilts_toward_her_at_the_touch() -> None:
    lead = piece().dancers["lead"]
    before = figure(lead, at("touch") - 2.0)
    after = figure(lead, at("touch") + 1.5)
    # his face turns up: the head segment's world angle moves toward her (counter-clockwise
    # for a figure facing right)
    assert float(lead.sample(at("touch")).facing[0]) > 0
    assert after["head"][2] - before["head"][2] > math.radians(20)
    # and the head itself rises as the bowed chest straightens
    assert after["head"][0][1] > before["head"][0][1] + 0.03


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_movement_qualities_vary(who: str) -> None:
    keyframes = piece().dancers[who].keyframes
    efforts = {k.effort for k in keyframes}
    eases = {str(k.ease) for k in keyframes}
    assert len(efforts) >= 8 and len(eases) >= 5
