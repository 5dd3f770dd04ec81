"""Easing curves between keyframes: named curves and CSS-style cubic beziers.

Every easing takes and returns numpy arrays, so a whole dancer's targets for the piece can be
sampled in one vectorised pass instead of one Python call per physics step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from .errors import Fault, FaultError, Kind, closest

Arr = NDArray[np.float64]
Ease = Callable[[Arr], Arr]


def smoothstep(u: Arr | float) -> Arr:
    """0 to 1, easing in and out (3u^2 - 2u^3), held outside [0, 1].

    >>> smoothstep(np.array([-1.0, 0.0, 0.5, 1.0, 2.0])).tolist()
    [0.0, 0.0, 0.5, 1.0, 1.0]
    """
    u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    return np.asarray(u * u * (3.0 - 2.0 * u), dtype=np.float64)


def _in_out_cubic(u: Arr) -> Arr:
    return np.where(u < 0.5, 4 * u**3, 1 - (-2 * u + 2) ** 3 / 2)


def _in_out_quad(u: Arr) -> Arr:
    return np.where(u < 0.5, 2 * u * u, 1 - (-2 * u + 2) ** 2 / 2)


NAMED: dict[str, Ease] = {
    "linear": lambda u: u,
    # cos(pi / 2) is 6e-17 in floating point, not 0: the end is given exactly
    "in_sine": lambda u: np.where(u < 1.0, 1 - np.cos(np.pi * u / 2), 1.0),
    "out_sine": lambda u: np.sin(np.pi * u / 2),
    "in_out_sine": lambda u: 0.5 - 0.5 * np.cos(np.pi * u),
    "in_quad": lambda u: u * u,
    "out_quad": lambda u: 1 - (1 - u) ** 2,
    "in_out_quad": _in_out_quad,
    "in_cubic": lambda u: u**3,
    "out_cubic": lambda u: 1 - (1 - u) ** 3,
    "in_out_cubic": _in_out_cubic,
    "hold": lambda u: np.where(u < 1.0, 0.0, 1.0),
}


def cubic_bezier(x1: float, y1: float, x2: float, y2: float) -> Ease:
    """A CSS ``cubic-bezier(x1, y1, x2, y2)`` easing, solved for x: Newton's method from a
    table of the curve (to about 1e-12 where the curve moves); where its x stands still for an
    instant, which Newton crawls toward, the table's bracket is halved instead (as close as
    floating point allows there: within about 1e-5).

    >>> ease = cubic_bezier(0.25, 0.1, 0.25, 1.0)
    >>> [round(float(v), 4) for v in ease(np.array([0.0, 0.5, 1.0]))]
    [0.0, 0.8024, 1.0]
    """

    def coord(t: Arr, a: float, b: float) -> Arr:
        return 3 * a * t * (1 - t) ** 2 + 3 * b * t * t * (1 - t) + t**3

    def slope(t: Arr, a: float, b: float) -> Arr:
        return 3 * a * (1 - t) * (1 - 3 * t) + 3 * b * t * (2 - 3 * t) + 3 * t * t

    grid = np.linspace(0.0, 1.0, 1025)
    table = coord(grid, x1, x2)  # x(t) is monotonic for x1, x2 in [0, 1]

    def halved(u: Arr) -> Arr:
        i = np.clip(np.searchsorted(table, u), 1, len(grid) - 1)
        lo, hi = grid[i - 1], grid[i]
        for _ in range(16):  # a bracket of 1.5e-8
            mid = 0.5 * (lo + hi)
            below = coord(mid, x1, x2) < u
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        return 0.5 * (lo + hi)

    def ease(u: Arr) -> Arr:
        u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
        t = np.interp(u, table, grid)
        for _ in range(4):  # from a table this close, each step doubles the digits
            d = slope(t, x1, x2)
            step = np.where(d > 1e-9, (coord(t, x1, x2) - u) / np.maximum(d, 1e-9), 0.0)
            t = np.clip(t - step, 0.0, 1.0)
        # how far t may still be off: the residual over the slope (huge where x stands still)
        off = np.abs(coord(t, x1, x2) - u) / np.maximum(slope(t, x1, x2), 1e-300)
        slow = off > 1e-10
        if slow.any():
            t = np.where(slow, 0.0, t)
            t[slow] = halved(u[slow])
        return coord(t, y1, y2)

    return ease


class EaseError(FaultError):
    """An easing that cannot be made; ``fault`` says why."""


def _refuse(kind: Kind, message: str, suggestion: str = "", subject: str = "") -> EaseError:
    expected = "an easing name or a bezier [x1, y1, x2, y2]"
    return EaseError(Fault(kind, message, expected, suggestion, subject))


def make_ease(spec: object) -> Ease:
    """An easing from a name or four numbers ``[x1, y1, x2, y2]``; :class:`EaseError` says
    what is wrong.

    >>> round(float(make_ease("in_out_sine")(np.array(0.5))), 9)
    0.5
    >>> make_ease([0.5, 0.0, 0.5, 3.5])
    Traceback (most recent call last):
    ...
    thereturn_viz.show.easing.EaseError: bezier y1 and y2 must lie in [-3, 3]
    """
    if isinstance(spec, str):
        if spec not in NAMED:
            near = closest(spec, NAMED)
            hint = f'did you mean "{near}"?' if near is not None else ""
            raise _refuse(Kind.UNKNOWN_NAME, f'unknown easing "{spec}"', hint, spec)
        return NAMED[spec]
    if not isinstance(spec, Sequence) or len(spec) != 4:
        raise _refuse(Kind.TYPE, "expected an easing name or a bezier [x1, y1, x2, y2]")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in spec):
        raise _refuse(Kind.TYPE, "a bezier easing is four numbers [x1, y1, x2, y2]")
    if not all(abs(v) < 1e300 for v in spec if isinstance(v, int)):
        raise _refuse(Kind.RANGE, "bezier numbers must be finite")  # too large for a float
    x1, y1, x2, y2 = (float(v) for v in spec)
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        raise _refuse(Kind.RANGE, "bezier numbers must be finite")
    if not (0.0 <= x1 <= 1.0 and 0.0 <= x2 <= 1.0):
        raise _refuse(Kind.RANGE, "bezier x1 and x2 must lie in [0, 1]")
    if abs(y1) > 3 or abs(y2) > 3:
        raise _refuse(Kind.RANGE, "bezier y1 and y2 must lie in [-3, 3]")
    return cubic_bezier(x1, y1, x2, y2)


def joint_arc(a_deg: Arr | float, b_deg: Arr | float, lo: Arr | float, hi: Arr | float) -> Arr:
    """The signed turn from ``a`` to ``b``: the shorter way round, unless that way leaves the
    joint's range ``[lo, hi]``; then the direct way, which a joint can always take. A range of
    a full turn or more (a facing, a spin) always turns the shorter way.

    A shoulder ranges over 270 degrees: from -48 (behind) to 160 (overhead) the shorter way
    would swing the arm back through the body, so the arm goes forward and up instead.

    >>> float(joint_arc(170.0, -170.0, -180, 180)), float(joint_arc(-48.0, 160.0, -80, 190))
    (20.0, 208.0)
    """
    a = np.asarray(a_deg, dtype=np.float64)
    b = np.asarray(b_deg, dtype=np.float64)
    short = (b - a + 180.0) % 360.0 - 180.0
    lo_, hi_ = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    inside = (a + short >= lo_ - 1e-9) & (a + short <= hi_ + 1e-9)
    return np.where(inside | (hi_ - lo_ >= 360.0), short, b - a)
