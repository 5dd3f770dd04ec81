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
    flare,
    folds,
    gown_shape,
    hem,
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


def _inside(poly: Any, p: tuple[float, float]) -> bool:
    """Point in polygon (even-odd)."""
    x, y = p
    n, hit = len(poly), False
    for i in range(n):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % n]
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def test_parted_legs_are_inside_one_cloth(standing: Any) -> None:
    """However far her legs part, the cloth spans between them: every point of both legs from
    the hip to the hem, and the floor between her feet, lies inside the one outline."""
    d = standing("partner", 0.0)
    stride = []
    for g in d.segments:  # one leg far forward, one far back: a long stride
        if g.name in ("l_shin", "l_foot"):
            g = replace(g, a=(g.a[0] - 0.35, g.a[1]), b=(g.b[0] - 0.45, g.b[1]))
        if g.name in ("r_shin", "r_foot"):
            g = replace(g, a=(g.a[0] + 0.35, g.a[1]), b=(g.b[0] + 0.45, g.b[1]))
        stride.append(g)
    d = replace(d, segments=tuple(stride))
    shape = gown_shape(d, skirt_chain(d), GOWN).tolist()
    for name in ("l_thigh", "r_thigh", "l_shin", "r_shin"):
        g = d.segment(name)
        for u in (0.1, 0.5, 0.75):  # the ankles of a long stride may show below the hem
            p = (g.a[0] + (g.b[0] - g.a[0]) * u, g.a[1] + (g.b[1] - g.a[1]) * u)
            assert _inside(shape, p), (name, u)
    assert _inside(shape, (0.0, 0.1))  # between the feet: cloth, not floor
    low = hem(d, GOWN)
    assert len(low) >= 3 and max(y for _, y in low.tolist()) < 0.25


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


def test_a_spinning_gown_flares_out_at_the_hem() -> None:
    still = skirt_outline(STRAIGHT, GOWN)
    spun = skirt_outline(STRAIGHT, GOWN, None, flare(720.0))
    assert np.ptp(spun[:, 0]) > 1.4 * np.ptp(still[:, 0])
    assert spun[:, 1].min() > still[:, 1].min()  # swinging out, the hem rises off the floor
    assert flare(0.0) == 0.0 and flare(-720.0) == flare(720.0)


def test_the_hull_is_the_plain_hull() -> None:
    """The hull with its numpy pre-filter is exactly the hull of all the points (random
    clouds, some with many points on a line)."""
    from thereturn_viz.render.gown import hull

    def plain(pts: Any) -> set[tuple[float, float]]:
        keep = set()
        for i, p in enumerate(pts):
            others = np.delete(pts, i, axis=0)
            # a hull vertex: some direction in which it is the one strictly furthest point
            for ang in np.linspace(0, 2 * np.pi, 720, endpoint=False):
                d = np.array([np.cos(ang), np.sin(ang)])
                if p @ d > (others @ d).max() + 1e-12:
                    keep.add((float(p[0]), float(p[1])))
                    break
        return keep

    rng = np.random.default_rng(3)
    for n in (5, 12, 40):
        pts = rng.normal(size=(n, 2))
        got = {(float(x), float(y)) for x, y in hull(pts).tolist()}
        assert got == plain(pts)
