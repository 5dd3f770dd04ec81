"""The composition's data and the numbers composer and synthesizer share."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thereturn_viz.sound.composition import (
    SEEDS,
    Composition,
    Note,
    Seeds,
    db_gain,
    pedal_release,
    piano_loudness,
    softer,
)


def test_the_composition_and_its_seeds_are_frozen_data(composition: Composition) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        composition.duration = 1.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        SEEDS.noise = 1  # type: ignore[misc]
    assert composition.seeds == SEEDS == Seeds()
    assert hash(composition) == hash(dataclasses.replace(composition))


def test_every_seed_is_named_and_each_draw_of_the_composer_is_its_own() -> None:
    """The composer's four generators start apart (two before the silence, two after), so one
    stream's draws never track another's."""
    seeds = dataclasses.asdict(SEEDS)
    composer = [seeds[k] for k in ("phrases", "touch", "phrases_after", "touch_after")]
    assert len(set(composer)) == 4
    assert len({seeds["bow"], seeds["breath"], seeds["room"]}) == 3


@given(st.floats(0.0, 1.0), st.floats(0.0, 12.0))
def test_softer_is_exactly_that_many_db_softer(vel: float, db: float) -> None:
    quieter = piano_loudness(softer(vel, db))
    assert 20 * math.log10(quieter / piano_loudness(vel)) == pytest.approx(-db, abs=1e-9)


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_a_harder_touch_is_louder(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert 0.15 <= piano_loudness(lo) <= piano_loudness(hi) <= 1.0


def test_db_gain_goes_both_ways() -> None:
    assert db_gain(6.0) * db_gain(-6.0) == pytest.approx(1.0)
    assert db_gain(-6.0) == pytest.approx(0.501, abs=1e-3)


@pytest.mark.parametrize(
    ("pedal", "released"),
    [
        ((), 1.5),  # no pedal: key up
        (((0.0, 1.5),), 1.5),  # the pedal lifts as the key does
        (((1.5, 4.0),), 4.0),  # the pedal goes down as the key comes up: held
        (((0.0, 1.4), (1.45, 3.0)), 3.0),  # caught by the second pedal
        (((1.6, 3.0),), 1.5),  # the pedal comes too late
    ],
)
def test_the_dampers_fall_at_key_up_or_when_the_pedal_lifts(
    pedal: tuple[tuple[float, float], ...], released: float
) -> None:
    assert pedal_release(Note(1.0, 0.5, 60, 0.5, "piano"), pedal) == released
