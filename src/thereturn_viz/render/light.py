"""The morning light: where the shafts from the high windows fall, and their colour.

One geometry serves every layer that needs the light (the haze baked into the room, the glitter
of the dust, the rim on the dancers), so the dust sparkles exactly where the shafts are drawn.
Positions are given on the wall plane (meters at the mirror's depth): anything at another depth
is first projected there along the camera ray (:func:`to_wall`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .camera import DANCER_DEPTH, MIRROR_DEPTH

Arr = NDArray[np.float64]
Color = tuple[float, float, float]

#: The high windows: x ranges (m, on the wall) and the span of height they share.
WINDOWS: tuple[tuple[float, float], ...] = ((-5.0, -4.3), (-3.95, -3.25), (-2.9, -2.2))
WINDOW_Y = (3.1, 4.3)
#: The sun's slant: the shafts run down and to the right at this angle below horizontal.
SLANT_DEG = 50.0
#: Where a shaft meets the floor on the wall plane: the floor under the dancers seen past them.
FLOOR_HIT = (0.0 - 1.55) * (MIRROR_DEPTH / DANCER_DEPTH - 1.0)
#: Half-width (m) of a shaft at its window, and how much it widens per meter it travels.
SHAFT_HALF = 0.3
SHAFT_SPREAD = 0.09
#: The turn of the light at the lift: wider and brighter shafts.
WIDEN = 0.55
BRIGHTEN = 0.4

WARM: Color = (1.0, 0.68, 0.38)
COOL: Color = (0.97, 0.93, 0.8)

_D = (math.cos(math.radians(SLANT_DEG)), -math.sin(math.radians(SLANT_DEG)))
_N = (-_D[1], _D[0])


def light_color(mix: float) -> Color:
    """The colour of the sunlight: warm amber morning (0) to silver-gold (1).

    >>> light_color(0.0)[2] < light_color(1.0)[2]
    True
    """
    return tuple(w + (c - w) * mix for w, c in zip(WARM, COOL, strict=True))  # type: ignore[return-value]


def to_wall(
    x: Arr | float, y: Arr | float, depth: Arr | float, cam_x: float, cam_y: float
) -> tuple[Arr, Arr]:
    """Project points at ``depth`` onto the wall plane along the camera rays."""
    k = MIRROR_DEPTH / np.asarray(depth)
    return cam_x + (x - cam_x) * k, cam_y + (y - cam_y) * k


def shafts(xw: Arr, yw: Arr, mix: float) -> Arr:
    """How much sunlight (0..~1) crosses the air at wall-plane points ``(xw, yw)``.

    >>> import numpy as np
    >>> cx = (WINDOWS[0][0] + WINDOWS[0][1]) / 2 + 2.0 * _D[0]
    >>> cy = (WINDOW_Y[0] + WINDOW_Y[1]) / 2 + 2.0 * _D[1]
    >>> inside = shafts(np.array([cx]), np.array([cy]), 0.0)[0]
    >>> outside = shafts(np.array([cx + 3.0]), np.array([cy + 3.0]), 0.0)[0]
    >>> bool(inside > 0.5 > 0.05 > outside)
    True
    """
    xw = np.asarray(xw, np.float64)
    yw = np.asarray(yw, np.float64)
    out = np.zeros(np.broadcast(xw, yw).shape)
    wy = (WINDOW_Y[0] + WINDOW_Y[1]) / 2
    gain = 1.0 + BRIGHTEN * mix
    for i, (x0, x1) in enumerate(WINDOWS):
        wx = (x0 + x1) / 2
        px, py = xw - wx, yw - wy
        along = px * _D[0] + py * _D[1]
        across = px * _N[0] + py * _N[1]
        half = (SHAFT_HALF + SHAFT_SPREAD * np.maximum(along, 0.0)) * (1.0 + WIDEN * mix)
        prof = np.clip(1.0 - (across / half) ** 2, 0.0, 1.0) ** 1.6
        start = np.clip(along / 0.6, 0.0, 1.0)
        # the shaft ends where it meets the floor, softly
        end = np.clip((yw - FLOOR_HIT) / 0.5 + 0.5, 0.0, 1.0)
        fade = np.exp(-np.maximum(along, 0.0) / 11.0)
        # faint rays within a shaft, as if through old glass
        rays = 0.82 + 0.18 * np.sin(across * (7.0 + i) + along * 0.15 + i)
        out += prof * start * end * fade * rays
    return np.minimum(out * gain, 1.6)


def floor_pool(xw: Arr, yw: Arr, mix: float) -> Arr:
    """The bright patches where the shafts land on the floor (0..~1), on the wall plane."""
    wide = shafts(xw, np.full_like(np.asarray(xw, np.float64), FLOOR_HIT + 0.25), mix)
    return wide * np.exp(-(((np.asarray(yw) - FLOOR_HIT) / 0.55) ** 2))


class ShaftTable:
    """The shafts sampled once on a grid over the wall plane, for morning and for the lift's
    light: a speck reads its cell instead of evaluating every shaft (a tenth of the cost). Built
    on first use (about 0.15 s) and kept by its owner, the renderer, for the dust and the rim.

    Between the two lights the table crossfades, which reads as the shafts widening.

    >>> t = ShaftTable()
    >>> import numpy as np
    >>> x, y = np.array([-3.0, 5.0]), np.array([1.5, 1.5])
    >>> bool(abs(t.at(x, y, 0.0) - shafts(x, y, 0.0)).max() < 0.15)
    True
    """

    X = (-24.0, 24.0)
    Y = (-6.0, 12.0)
    STEP = 0.05

    def __init__(self) -> None:
        self._tables: list[NDArray[np.float32]] = []

    def _build(self) -> None:
        xs = np.arange(self.X[0], self.X[1], self.STEP) + self.STEP / 2
        ys = np.arange(self.Y[0], self.Y[1], self.STEP) + self.STEP / 2
        gx, gy = np.meshgrid(xs, ys)
        self._tables = [shafts(gx, gy, m).astype(np.float32) for m in (0.0, 1.0)]

    def at(self, xw: Arr, yw: Arr, mix: float) -> Arr:
        if not self._tables:
            self._build()
        t0, t1 = self._tables
        h, w = t0.shape
        ix = np.clip(((xw - self.X[0]) / self.STEP).astype(np.intp), 0, w - 1)
        iy = np.clip(((yw - self.Y[0]) / self.STEP).astype(np.intp), 0, h - 1)
        cell = iy * w + ix
        if mix <= 0.0:
            return t0.ravel()[cell]
        if mix >= 1.0:
            return t1.ravel()[cell]
        return t0.ravel()[cell] * (1.0 - mix) + t1.ravel()[cell] * mix


#: The figures in the room's light. The studio's own light on them, away from any shaft: dim and
#: a little warm in the morning, brighter and silvery after the lift (a factor per channel).
AMBIENT_MORNING = (0.8, 0.75, 0.7)
AMBIENT_AFTER = (0.93, 0.96, 1.04)
#: What standing in a shaft adds, times the sunlight's colour: morning, after the lift.
SHAFT_LIFT = (0.5, 0.36)
#: The light on a figure is quantised to this many steps of the light's mix and of the shaft.
LIGHT_STEPS = 32


def figure_light(mix: float, lit: float) -> Color:
    """The light falling on a figure (a factor per channel on its colours): the room's ambient
    for the light's ``mix``, plus the sunlight's colour as much as it stands in a shaft (``lit``).

    >>> dim, in_shaft = figure_light(0.0, 0.0), figure_light(0.0, 1.0)
    >>> dim[0] < in_shaft[0] and dim[0] - dim[2] < in_shaft[0] - in_shaft[2]  # warmer in a shaft
    True
    >>> after = figure_light(1.0, 0.0)
    >>> after[2] > after[0] and after[2] > dim[2]  # silvery after the lift
    True
    """
    lc = light_color(mix)
    lift = lit * (SHAFT_LIFT[0] + (SHAFT_LIFT[1] - SHAFT_LIFT[0]) * mix)
    return tuple(  # type: ignore[return-value]
        a + (b - a) * mix + lift * c
        for a, b, c in zip(AMBIENT_MORNING, AMBIENT_AFTER, lc, strict=True)
    )
