"""The physics tells the dancers apart by their traits, never by their names."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from thereturn_viz.physics.dancer import CARRY_WEIGHTS, LIFT_WEIGHTS
from thereturn_viz.physics.planner import STEP_HZ
from thereturn_viz.physics.stage import Stage
from thereturn_viz.show.anatomy import SEGMENTS
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.traits import Traits

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "thereturn_viz"
ROLES = {"lead", "partner"}


def _names_used(text: str) -> list[int]:
    """Lines of ``text`` where a dancer's name is written as a string."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Constant) and node.value in ROLES
    ]


def test_no_role_is_named_in_physics_or_the_performance() -> None:
    files = [*sorted((PACKAGE / "physics").glob("*.py")), PACKAGE / "performance.py"]
    found = {p.name: lines for p in files if (lines := _names_used(p.read_text()))}
    assert found == {}


def test_the_name_check_can_fail() -> None:
    bad = 'if name == "partner":\n    pass\nx = stage.dancers["lead"]\n'
    assert _names_used(bad) == [1, 3]


def _recast(choreography: Choreography, **traits: Traits) -> Choreography:
    dancers = {
        name: dataclasses.replace(script, traits=traits.get(name, script.traits))
        for name, script in choreography.dancers.items()
    }
    return dataclasses.replace(choreography, dancers=dancers)


def test_the_gown_goes_to_whoever_wears_one(choreography: Choreography) -> None:
    lead = choreography.dancers["lead"].traits
    both = Stage(_recast(choreography, lead=dataclasses.replace(lead, gown=True)))
    assert set(both.gowns) == {"lead", "partner"}
    assert len(both.snapshot()["lead"]) > len(SEGMENTS)
    none = Stage(_recast(choreography, partner=Traits(carried=True)))
    assert none.gowns == {}
    assert len(none.snapshot()["partner"]) == len(SEGMENTS)


def test_in_the_lift_the_carried_one_is_carried(choreography: Choreography) -> None:
    stage = Stage(choreography)
    stage.skip(round(choreography.sheet.time_of("lift_apex") * STEP_HZ))
    stage.step()
    assert "lift" in stage.active_contacts
    for name, share in (("partner", LIFT_WEIGHTS), ("lead", CARRY_WEIGHTS)):
        d = stage.dancers[name]
        assert d.steer_y.max_force == 9.81 * d.mass * share, name


def test_with_no_one_cast_to_carry_no_hold_is_made(choreography: Choreography) -> None:
    stage = Stage(_recast(choreography, lead=Traits()))
    stage.skip(round(choreography.sheet.time_of("lift_apex") * STEP_HZ))
    stage.step()
    assert stage.active_contacts == ()
