"""The dust and the air that moves it: even over the whole piece, seeded, stirred where things
move (the dancers' limbs near their plane, a visitor's hand where the screen shows it)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.air.dust import (
    AIR_DT,
    BOX_X,
    BOX_Y,
    HAND_RADIUS,
    STIR_DEPTH,
    STIR_RADIUS,
    DustField,
    currents,
)
from thereturn_viz.state import DANCER_DEPTH, Camera

NOTHING = np.zeros((0, 2))


def _densest(d: DustField) -> float:
    """The densest cell of an 8 x 5 grid over the air, as a multiple of the mean."""
    h, _, _ = np.histogram2d(d.pos[0], d.pos[1], bins=[8, 5], range=[BOX_X, BOX_Y])
    return float(h.max() / h.mean())


def _run(d: DustField, until: float, fall: float = 0.0) -> None:
    while d.t < until - 1e-9:
        d.step(AIR_DT, lambda: (NOTHING, fall))


def test_the_currents_are_divergence_free_and_hold_to_the_floor_and_ceiling() -> None:
    xs = np.linspace(BOX_X[0], BOX_X[1], 81)
    ys = np.linspace(BOX_Y[0], BOX_Y[1], 31)
    gx, gy = np.meshgrid(xs, ys)
    e = 1e-5
    for t in (0.0, 77.0, 301.5):
        wx, wy = currents(gx, gy, t)
        div = (currents(gx + e, gy, t)[0] - currents(gx - e, gy, t)[0]) / (2 * e) + (
            currents(gx, gy + e, t)[1] - currents(gx, gy - e, t)[1]
        ) / (2 * e)
        shear = np.abs((currents(gx + e, gy, t)[0] - wx) / e).max()
        assert np.abs(div).max() < 1e-6 * max(shear, 1.0)
        assert shear > 0.01  # a real current, not still air
        assert np.abs(wy[0]).max() < 1e-12 and np.abs(wy[-1]).max() < 1e-12  # floor, ceiling
        assert np.allclose(wx[:, 0], wx[:, -1]) and np.allclose(wy[:, 0], wy[:, -1])  # periodic
        assert 0.02 < np.hypot(wx, wy).max() < 0.2  # slow air (m/s)


@pytest.fixture(scope="module")
def drift() -> dict[float, tuple[float, NDArray[np.int_]]]:
    """One field drifting through the piece's length: its densest cell and height profile."""
    d = DustField(seed=0)
    seen: dict[float, tuple[float, NDArray[np.int_]]] = {}
    for t in (30.0, 120.0, 240.0, 350.0):
        _run(d, t)
        seen[t] = (_densest(d), np.histogram(d.pos[1], bins=10, range=BOX_Y)[0])
    for t in (375.0, 399.0):  # then falling like stars, as from `pan_out`
        _run(d, t, fall=1.0)
        seen[t] = (_densest(d), np.histogram(d.pos[1], bins=10, range=BOX_Y)[0])
    return seen


def test_the_dust_stays_evenly_spread_over_the_piece(
    drift: dict[float, tuple[float, NDArray[np.int_]]],
) -> None:
    for t, (densest, heights) in drift.items():
        # about 75 specks a cell: chance alone makes the densest some 1.3 times the mean
        assert densest < 2.0, t
        # nothing piles up on the floor or under the ceiling
        assert heights[0] < 1.5 * heights.mean() and heights[-1] < 1.5 * heights.mean(), t
        assert heights.min() > 0.6 * heights.mean(), t


def test_the_falling_dust_falls_slowly_like_stars() -> None:
    d = DustField(seed=2)
    _run(d, 20.0)
    before = d.pos.copy()
    d.step(AIR_DT, lambda: (NOTHING, 1.0))  # the currents are refreshed for the fall
    _run(d, 30.0, fall=1.0)
    dy = d.pos[1] - before[1]
    kept = np.abs(dy) < 2.0  # not those that reached the floor and came back in from the top
    speed = -dy[kept] / (d.t - 20.0)
    assert 0.04 < float(np.median(speed)) < 0.15  # slow
    assert float((speed > 0.0).mean()) > 0.9  # and nearly all of it falls
    assert float(np.mean(~kept)) > 0.01  # the floor gives them back at the top: no end of stars


def test_the_same_seed_gives_the_same_dust() -> None:
    def run(seed: int) -> NDArray[np.float64]:
        d = DustField(seed=seed)
        for i in range(200):
            arm = np.array([[-1.0 + 0.02 * i, 1.2], [0.5, 0.8 + 0.01 * i]])
            d.step(AIR_DT, lambda arm=arm: (arm, 0.0))
            if i % 7 == 0:
                d.stir(0.03 * i - 2.0, 1.5)
        return d.pos.copy()

    a, b, c = run(5), run(5), run(6)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def _twins(seed: int = 1) -> tuple[DustField, DustField]:
    still, stirred = DustField(seed=seed), DustField(seed=seed)
    for d in (still, stirred):
        _run(d, 5.0)
    return still, stirred


def test_a_moving_limb_stirs_the_specks_near_it() -> None:
    still, stirred = _twins()
    path = []
    for i in range(30):  # a hand sweeping across at 1.5 m/s, shoulder high
        x = -1.5 + 1.5 * AIR_DT * i
        path.append((x, 1.3))
        still.step(AIR_DT)
        stirred.step(AIR_DT, lambda x=x: (np.array([[x, 1.3]]), 0.0))
    moved = np.hypot(*(stirred.pos - still.pos)) > 0.02
    assert moved.sum() >= 5
    # only specks near the dancers' plane, and near where the limb went
    assert (np.abs(stirred.depth[moved] - DANCER_DEPTH) < STIR_DEPTH).all()
    p = np.array(path)
    for x, y in still.pos[:, moved].T:
        assert np.hypot(p[:, 0] - x, p[:, 1] - y).min() < STIR_RADIUS + 0.4
    # and dragged along with it
    assert float((stirred.pos - still.pos)[0, moved].mean()) > 0.02


def test_a_limb_stirs_the_dust_at_its_own_depth() -> None:
    """A dancer nearer the camera (6 m, not the home plane's 8) stirs the specks there."""
    still, stirred = _twins()
    for i in range(30):
        x = -1.5 + 1.5 * AIR_DT * i
        still.step(AIR_DT)
        stirred.step(AIR_DT, lambda x=x: (np.array([[x, 1.3, 6.0]]), 0.0))
    moved = np.hypot(*(stirred.pos - still.pos)) > 0.02
    assert moved.sum() >= 3
    assert (np.abs(stirred.depth[moved] - 6.0) < STIR_DEPTH).all()


def _on_screen(d: DustField, pos: NDArray[np.float64]) -> NDArray[np.float64]:
    """Where specks are seen, as points of the dancers' plane (the camera's rays)."""
    cam = Camera()
    k = DANCER_DEPTH / d.depth.astype(np.float64)
    eye = np.array([[cam.x], [cam.y]])
    out: NDArray[np.float64] = eye + (pos - eye) * k
    return out


def test_a_visitors_hand_moves_the_specks_under_it_on_the_screen() -> None:
    still, stirred = _twins()
    path = []
    for i in range(40):  # a hand drawn slowly across the picture, at 1 m/s
        x, y = -2.0 + 1.0 * AIR_DT * i, 1.6
        path.append((x, y))
        stirred.stir(x, y)
        for d in (still, stirred):
            d.step(AIR_DT)
    drift = stirred.pos - still.pos
    moved = np.hypot(*drift) > 0.03
    assert moved.sum() > 40  # a visible swirl of glitter, not a few specks
    # at every depth (near the camera and far), but each one where the screen showed the hand
    assert stirred.depth[moved].min() < 6.5 and stirred.depth[moved].max() > 9.5
    p = np.array(path)

    def reach(q: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.hypot(p[:, 0, None] - q[0], p[:, 1, None] - q[1]).min(axis=0)

    on_screen, in_room = reach(_on_screen(still, still.pos)), reach(still.pos)
    assert (on_screen[moved] < HAND_RADIUS + 0.3).all()
    # specks close to the hand in the room but seen elsewhere on the screen stay put
    elsewhere = (in_room < HAND_RADIUS) & (on_screen > HAND_RADIUS + 0.3)
    assert elsewhere.sum() > 10
    assert not (moved & elsewhere).any()
    # they go the way the hand went, as the screen shows it
    seen = _on_screen(stirred, stirred.pos) - _on_screen(still, still.pos)
    assert float(seen[0, moved].mean()) > 0.05
