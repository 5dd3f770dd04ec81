"""The contacts (physics/contacts.py): which bodies a hold joins, where, and how hard it pulls."""

from __future__ import annotations

import math

import pymunk
import pytest

from thereturn_viz.physics import contacts
from thereturn_viz.physics.dancer import Dancer
from thereturn_viz.physics.lift import hold_point
from thereturn_viz.physics.planner import DT, STEP_HZ
from thereturn_viz.physics.stage import Stage
from thereturn_viz.show.anatomy import SEGMENT_NAMES
from thereturn_viz.show.choreography import Choreography, Contact


@pytest.fixture
def stage(choreography: Choreography) -> Stage:
    return Stage(choreography)


def _part(d: Dancer, name: str) -> pymunk.Body:
    return d.bodies[SEGMENT_NAMES.index(name)]


def test_a_hand_hold_joins_the_hands_the_contact_names(stage: Stage) -> None:
    lead, partner = stage.dancers["lead"], stage.dancers["partner"]
    for his, hers in (("r_hand", "l_hand"), ("l_hand", "r_hand")):
        (pin,) = contacts.build(Contact("hands", 1.0, 2.0, his, hers), lead, partner)
        assert isinstance(pin, pymunk.PivotJoint)
        assert pin.a is _part(lead, his) and pin.b is _part(partner, hers)
        assert tuple(pin.anchor_a) == tuple(pin.anchor_b) == (0.0, 0.0)
        assert pin.max_force == contacts.HOLD_FORCE["hands"]
        assert pin.max_bias == contacts.HOLD_SPEED["hands"]
        assert not pin.collide_bodies
        assert pin not in stage.space.constraints  # built, not yet added


@pytest.mark.parametrize("kind", ["waist", "lift"])
def test_his_hands_hold_her_pelvis_on_the_side_he_stands(stage: Stage, kind: str) -> None:
    lead, partner = stage.dancers["lead"], stage.dancers["partner"]
    pelvis = partner.bodies[0]
    for side in (-1.0, 1.0):
        lead.bodies[0].position = (pelvis.position.x + side, lead.bodies[0].position.y)
        pins = contacts.build(Contact(kind, 1.0, 2.0), lead, partner)
        assert [p.a for p in pins] == [_part(lead, "l_hand"), _part(lead, "r_hand")]
        at = hold_point(partner.bones[0].length, partner.bones[0].radius, pelvis.angle, side)
        for pin in pins:
            assert pin.b is pelvis and tuple(pin.anchor_b) == pytest.approx(at)
            assert pin.max_force == contacts.HOLD_FORCE[kind]
        held = pelvis.local_to_world(pins[0].anchor_b)
        assert math.copysign(1.0, held.x - pelvis.position.x) == side  # toward him


def test_a_hold_asked_too_much_yields_instead_of_exploding(stage: Stage) -> None:
    """Hands metres apart: the pin pulls no harder than its force and closes the gap slowly."""
    lead, partner = stage.dancers["lead"], stage.dancers["partner"]
    hand, other = _part(lead, "r_hand"), _part(partner, "l_hand")
    (pin,) = contacts.build(Contact("hands", 1.0, 2.0, "r_hand", "l_hand"), lead, partner)
    stage.space.add(pin)
    before = (hand.position - other.position).length
    for _ in range(STEP_HZ // 4):
        stage.space.step(DT)
        assert pin.impulse / DT <= contacts.HOLD_FORCE["hands"] * (1 + 1e-9)
    after = (hand.position - other.position).length
    assert after < before
    # closing no faster than the hold's speed (she stands 5 m off before she enters)
    assert before - after <= contacts.HOLD_SPEED["hands"] * 0.25 * 1.1
    assert lead.healthy() and partner.healthy()


def test_hand_holds_loosen_through_a_turn_the_others_do_not() -> None:
    assert contacts.hold_force("hands", False) == contacts.HOLD_FORCE["hands"]
    loose = contacts.hold_force("hands", True)
    assert loose == pytest.approx(contacts.HOLD_FORCE["hands"] * contacts.TURN_GRIP)
    assert loose is not None and loose < contacts.HOLD_FORCE["hands"]
    for kind in contacts.EMBRACE:
        assert contacts.hold_force(kind, True) is None


def test_the_stage_makes_and_lets_go_of_the_choreographys_contacts(
    choreography: Choreography,
) -> None:
    """At a hand hold the stage has the pin in its space, loosened on demand; after, gone."""
    stage = Stage(choreography)
    c = next(c for c in choreography.contacts if c.kind == "hands")
    stage.skip(round(c.start * STEP_HZ))
    stage.step()
    assert stage.active_contacts == ("hands",)
    (made,) = stage.active.values()
    assert all(pin in stage.space.constraints for pin in made)
    stage._loosen(True)
    assert [pin.max_force for pin in made] == [contacts.hold_force("hands", True)]
    stage._loosen(False)
    assert [pin.max_force for pin in made] == [contacts.HOLD_FORCE["hands"]]
    stage.skip(round(c.end * STEP_HZ) - stage.step_index)
    stage.step()
    assert "hands" not in stage.active_contacts
    assert not any(pin in stage.space.constraints for pin in made)


def test_check_expects_the_closing_speeds_the_holds_have() -> None:
    """``check`` judges a hold's lead-in by these speeds: they are the physics' own."""
    from thereturn_viz.physics.contacts import HOLD_SPEED
    from thereturn_viz.show.holds import CLOSING

    assert CLOSING == HOLD_SPEED
