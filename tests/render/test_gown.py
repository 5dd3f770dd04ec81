"""The gown's shape: a skirt that flares from the waist to a full hem, hung from the chain."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.render.costume import PARTNER, Gown
from thereturn_viz.render.gown import (
    SplineMaps,
    drape,
    folds,
    skirt_chain,
    skirt_outline,
    spline,
    spline_map,
    widths,
)

GOWN = PARTNER.gown
assert GOWN is not None
#: A chain straight down from the waist (1 m) to the floor, as the physics gives it.
STRAIGHT = [(0.0, 1.0 - 0.2 * i) for i in range(6)]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-2.0, 2.0), st.floats(0.0, 2.0)), min_size=3, max_size=12, unique=True
    ),
    st.integers(2, 6),
)
def test_the_curve_passes_through_its_points(points: list[tuple[float, float]], per: int) -> None:
    c = spline(points, per)
    assert len(c) == per * (len(points) - 1) + 1
    assert np.allclose(c[::per], points, atol=1e-9)
    kept = SplineMaps()
    assert np.array_equal(spline(points, per, kept), c)
    assert kept(len(points), per) is kept(len(points), per)  # built once, then kept
    assert np.array_equal(kept(len(points), per), spline_map(len(points), per))


def test_the_skirt_flares_from_the_waist_to_the_hem() -> None:
    u = np.linspace(0.0, 1.0, 11)
    w = widths(u, GOWN)
    assert w[0] == GOWN.waist and w[-1] == pytest.approx(GOWN.hem)
    assert (np.diff(w) > 0).all()
    out = skirt_outline(STRAIGHT, GOWN)
    assert out[:, 1].min() >= 0.0  # never through the floor
    # across the skirt at each height: narrow at the waist, full at the hem, about the chain
    half = [np.abs(out[np.abs(out[:, 1] - y) < 0.03][:, 0]).max() for y in (0.95, 0.5, 0.1)]
    assert half[0] < half[1] < half[2]
    assert half[0] == pytest.approx(GOWN.waist, abs=0.02)
    assert half[2] == pytest.approx(GOWN.hem, abs=0.04)


def test_a_fuller_gown_is_a_wider_skirt() -> None:
    wide = replace(GOWN, hem=2 * GOWN.hem)
    a, b = skirt_outline(STRAIGHT, GOWN), skirt_outline(STRAIGHT, wide)
    assert np.ptp(b[:, 0]) > 1.5 * np.ptp(a[:, 0])
    assert np.isclose(a[:, 1].max(), b[:, 1].max())  # the same waist


def test_the_skirt_sways_with_its_chain() -> None:
    swayed = [(0.0 + 0.06 * i * i, y) for i, (_, y) in enumerate(STRAIGHT)]
    hem_still = skirt_outline(STRAIGHT, GOWN)[:, 0].mean()
    hem_swayed = skirt_outline(swayed, GOWN)[:, 0].mean()
    assert hem_swayed > hem_still + 0.3


def test_a_skirt_is_hung_from_the_legs_when_there_is_no_chain(standing: Any) -> None:
    d = standing("partner", 1.5)
    chain = skirt_chain(d)
    assert chain[0] == d.segment("pelvis").b and chain[1] == d.segment("pelvis").a
    assert chain[-1][1] == 0.0  # down to the floor
    assert all(abs(x - 1.5) < 0.3 for x, _ in chain)  # between her feet
    simulated = replace(d, gown=tuple(STRAIGHT))
    assert skirt_chain(simulated) == STRAIGHT


def test_the_drape_runs_down_the_legs_and_back_up_the_chain(standing: Any) -> None:
    d = standing("partner", 0.0)
    hang = drape(d, STRAIGHT)
    assert hang[0] == STRAIGHT[0] and hang[-1] == STRAIGHT[1]
    assert hang[1][1] == pytest.approx(0.48) and hang[2][1] < 0.1  # the knees, the ankles
    assert drape(d, STRAIGHT[:1]) == []  # no chain, no drape


def test_the_folds_are_a_shade_of_the_fabric() -> None:
    big = pygame.Surface((100, 120), pygame.SRCALPHA)
    colour = (200, 190, 170)

    def to_sprite(pts: Any) -> list[list[float]]:
        return (np.asarray(pts) * [-100.0, -100.0] + [50.0, 110.0]).tolist()

    folds(big, STRAIGHT, to_sprite, GOWN, colour, 1)
    px = pygame.surfarray.array3d(big).reshape(-1, 3)
    alpha = pygame.surfarray.array_alpha(big).reshape(-1)
    drawn = {tuple(int(v) for v in p) for p in px[alpha > 0]}
    k = GOWN.fold_shade
    assert drawn == {tuple(round(c * k) for c in colour)}
    assert (alpha > 0).sum() > 2 * 60  # two folds down most of the skirt
    plain = Gown((0, 0, 0), fold_shade=0.5)
    big.fill((0, 0, 0, 0))
    folds(big, STRAIGHT, to_sprite, plain, colour, 1)
    px = pygame.surfarray.array3d(big).reshape(-1, 3)[pygame.surfarray.array_alpha(big).ravel() > 0]
    assert {tuple(int(v) for v in p) for p in px} == {(100, 95, 85)}
