"""pymunk's fast path (physics/solver.py) against plain pymunk: the same numbers, to the bit.

Both paths call the same C functions of the solver (the fast one directly, the plain one through
pymunk's properties and :meth:`pymunk.Space.step`), so the figures must agree exactly, not within
a tolerance: a difference would mean the fast path skips or reorders something.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pymunk
import pytest

from thereturn_viz.physics import solver as solver_module
from thereturn_viz.physics.planner import DT, STEP_HZ
from thereturn_viz.physics.solver import PLAIN_ENV, Solver
from thereturn_viz.physics.stage import CHECK_EVERY, Stage
from thereturn_viz.show.choreography import Choreography

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "thereturn_viz"
#: What reaches below pymunk's public API.
PRIVATE = re.compile(
    r"_chipmunk_cffi|\._body\b|\._space\b|\._constraint\b|\._arbiter\b|_bodies_to_check|"
    r"_removed_shapes"
)


def _run(stage: Stage, seconds: float) -> list[dict[str, np.ndarray]]:
    out = []
    for _ in range(round(seconds * STEP_HZ)):
        stage.step()
        if stage.step_index % 12 == 0:
            out.append(stage.snapshot())
    return out


def _same(a: list[dict[str, np.ndarray]], b: list[dict[str, np.ndarray]]) -> bool:
    return len(a) == len(b) and all(
        x.keys() == y.keys() and all(np.array_equal(x[n], y[n], equal_nan=True) for n in x)
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("cue", ["open", "lift_begin"])
def test_the_fast_path_and_plain_pymunk_give_the_same_numbers(
    choreography: Choreography, cue: str
) -> None:
    """A few seconds from the start (standing, feet planted) and into the lift (hands at her
    waist, his arms carrying her, the gown swinging), stepped both ways."""
    fast, plain = Stage(choreography, plain=False), Stage(choreography, plain=True)
    assert fast.solver.fast and not plain.solver.fast
    skip = round(choreography.sheet.time_of(cue) * STEP_HZ)
    for stage in (fast, plain):
        stage.skip(skip)
    a, b = _run(fast, 3.0), _run(plain, 3.0)
    assert _same(a, b)
    assert fast.active_contacts == plain.active_contacts
    assert fast.errors == plain.errors
    if cue == "lift_begin":
        assert "lift" in fast.active_contacts or "waist" in fast.active_contacts


def test_a_reset_figure_is_the_same_both_ways(choreography: Choreography) -> None:
    """A reset adds bodies and removes shapes: the fast path hands that step to pymunk's own."""
    stages = Stage(choreography, plain=False), Stage(choreography, plain=True)
    for stage in stages:
        for _ in range(CHECK_EVERY * 5):
            stage.step()
        stage.dancers["lead"].bodies[5].position = (float("nan"), 3.0)
    a, b = (_run(stage, 1.0) for stage in stages)
    assert stages[0].dancers["lead"].resets == stages[1].dancers["lead"].resets == 1
    assert _same(a, b)


def test_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PLAIN_ENV, raising=False)
    assert Solver().fast and Solver(plain=False).fast
    assert not Solver(plain=True).fast
    monkeypatch.setenv(PLAIN_ENV, "1")
    assert not Solver().fast  # the environment decides when the caller does not
    assert Solver(plain=False).fast
    monkeypatch.setenv(PLAIN_ENV, "0")
    assert Solver().fast


def test_a_pymunk_without_the_cffi_build_steps_plainly(
    monkeypatch: pytest.MonkeyPatch, choreography: Choreography
) -> None:
    monkeypatch.delenv(PLAIN_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "pymunk._chipmunk_cffi", None)  # the import fails
    stage = Stage(choreography, plain=False)
    assert not stage.solver.fast
    for _ in range(CHECK_EVERY):
        stage.step()
    assert np.isfinite(stage.snapshot()["lead"]).all()


def _c_setters(monkeypatch: pytest.MonkeyPatch) -> Solver:
    """A fast solver as one for a pymunk whose structs are laid out otherwise gets."""
    monkeypatch.setattr(solver_module, "PHASE", solver_module.PHASE - 1)
    solver = Solver(plain=False)
    monkeypatch.undo()
    return solver


def test_the_raw_writes_and_the_c_setters_give_the_same_numbers(
    monkeypatch: pytest.MonkeyPatch, choreography: Choreography
) -> None:
    """Into the lift, as the fast and plain paths: the writes into the structs against the
    solver's own setters (what a pymunk with another layout gets)."""
    raw = Stage(choreography, plain=False)
    monkeypatch.setattr(solver_module, "PHASE", solver_module.PHASE - 1)
    calls = Stage(choreography, plain=False)
    monkeypatch.undo()
    assert raw.solver.raw and calls.solver.fast and not calls.solver.raw
    skip = round(choreography.sheet.time_of("lift_begin") * STEP_HZ)
    for stage in (raw, calls):
        stage.skip(skip)
    assert _same(_run(raw, 1.0), _run(calls, 1.0))


@pytest.mark.parametrize("way", ["raw", "calls", "plain"])
def test_handles_write_and_read_the_same_objects(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    solver = _c_setters(monkeypatch) if way == "calls" else Solver(plain=way == "plain")
    assert (solver.fast, solver.raw) == {"raw": (True, True), "calls": (True, False)}.get(
        way, (False, False)
    )
    space = pymunk.Space()
    a, b, c = pymunk.Body(1.0, 1.0), pymunk.Body(1.0, 1.0), pymunk.Body(1.0, 1.0)
    gear, other = pymunk.GearJoint(a, b, 0.0, 1.0), pymunk.GearJoint(b, c, 0.0, 1.0)
    space.add(a, b, c, gear, other)
    solver.set_phase(solver.servo(gear), 0.25)
    solver.set_velocity(solver.body(a), [1.5, -2.0])
    a.position, a.angle, a.angular_velocity = (3.0, 4.0), 0.5, -1.0
    assert gear.phase == 0.25
    assert solver.state(solver.body(a)) == (3.0, 4.0, 1.5, -2.0, 0.5, -1.0)
    solver.set_phases(map(solver.servo, [other, gear]), [-0.5, 0.75])
    assert (other.phase, gear.phase) == (-0.5, 0.75)
    assert other.ratio == gear.ratio == 1.0  # nothing written beside the phase
    step = solver.stepper(space, DT)
    step()
    assert a.position.x == pytest.approx(3.0 + 1.5 * DT)


def test_a_struct_laid_out_otherwise_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    found = solver_module._cffi()
    assert found is not None and solver_module._laid_out_as_known(*found)
    for name in ("PHASE", "POSITION", "VELOCITY", "ANGLE"):
        monkeypatch.setattr(solver_module, name, getattr(solver_module, name) + 1)
        assert not solver_module._laid_out_as_known(*found), name
        monkeypatch.undo()


def test_the_raw_path_refuses_a_space_that_sleeps() -> None:
    """Its writes wake no body: a space that may sleep gets plain pymunk or an error."""
    space = pymunk.Space()
    space.sleep_time_threshold = 0.5
    with pytest.raises(ValueError, match="sleep_time_threshold 0.5"):
        Solver(plain=False).stepper(space, DT)
    Solver(plain=True).stepper(space, DT)()


def _reaching_in(text: str) -> list[int]:
    """Lines of ``text`` that reach into pymunk's private layer."""
    return [i for i, line in enumerate(text.splitlines(), 1) if PRIVATE.search(line)]


def test_only_the_solver_reaches_into_pymunks_private_layer() -> None:
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := _reaching_in(path.read_text()))
    }
    assert set(found) == {"physics/solver.py"}, found


def test_the_private_layer_check_can_fail() -> None:
    bad = "ptr = servo._constraint\nlib = pymunk._chipmunk_cffi.lib\nok = body.position\n"
    assert _reaching_in(bad) == [1, 2]
    assert _reaching_in("if space._removed_shapes or space._bodies_to_check:") == [1]


def test_a_pymunk_without_the_private_names_steps_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    """pymunk 6.6 has the cffi build but no ``Space._bodies_to_check``: the plain path then."""
    monkeypatch.delenv(PLAIN_ENV, raising=False)
    monkeypatch.setattr(pymunk, "Space", lambda: object())
    assert not Solver(plain=False).fast
