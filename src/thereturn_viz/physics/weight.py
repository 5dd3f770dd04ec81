"""Where each figure's weight is and what bears it, read from the bodies after a step.

Balance is judged from the figures, never from their targets: the centre of mass from the
segments' masses, the support as the span on the floor of whatever touches it and pushes back
(feet, a knee, a lying body), and what the partner carries measured as a force. That force is
not read from the holds' own impulses (pymunk gives only their size, not their direction): it is
what is left of the change of the figure's momentum over one step once gravity, the space's
damping, the floor and the figure's own hip guide are accounted for. Everything else that can
push on a figure is the other dancer's body (hands, shoulder, a hold), so what is left is what
the partner carries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymunk
from numpy.typing import NDArray
from scipy.signal import butter, sosfiltfilt

from .solver import held_impulse_y

#: A floor contact pushing less than this (N) bears nothing: a sole grazing the floor.
BEARING_N = 5.0
#: A bearing segment's end this close (m) to the floor bears too: a flat foot stands on its
#: whole length, though the solver touches its capsule at one or two points.
FLAT = 0.02
#: A foot's end this close (m) to the floor bears while the figure stands on anything: standing
#: flat, the shin's capsule, thicker than the foot's, meets the floor at the ankle and holds the
#: sole about 2 cm up, so the solver reports the ankle alone, though the foot is on the floor.
FOOT_FLAT = 0.03

Point = tuple[float, float]


@dataclass(frozen=True)
class Weight:
    """One figure's balance at one step."""

    com: Point  # m
    mass: float  # kg, the body's segments
    #: [x_min, x_max] on the floor of what bears the figure's weight; None when nothing does
    support: tuple[float, float] | None
    #: the upward force (N) the partner's body puts on this figure; 0 when they do not touch
    carried_n: float


def centre(bodies: list[pymunk.Body]) -> tuple[Point, float]:
    """The centre of mass of ``bodies`` and their mass.

    >>> a, b = pymunk.Body(1.0, 1.0), pymunk.Body(3.0, 1.0)
    >>> a.position, b.position = (0.0, 0.0), (4.0, 2.0)
    >>> centre([a, b])
    ((3.0, 1.5), 4.0)
    """
    m = x = y = 0.0
    for body in bodies:
        px, py = body.position
        m += body.mass
        x += body.mass * px
        y += body.mass * py
    return (x / m, y / m), m


def momentum_y(bodies: list[pymunk.Body]) -> float:
    """The bodies' vertical momentum (kg m/s).

    >>> a = pymunk.Body(2.0, 1.0)
    >>> a.velocity = (1.0, -0.5)
    >>> momentum_y([a])
    -1.0
    """
    return sum(body.mass * body.velocity.y for body in bodies)


class Retouches:
    """The impulse a floor contact touching again starts its step with but never applies.

    The solver keeps a contact for a few steps after its shapes part (pymunk's collision
    persistence). When they touch again within those steps, the contact starts from the
    impulse it last ended with, but, being a first contact, does not apply it: the total impulse
    it reports after the step holds that stale impulse on top of what it pushed. A heel that
    lifts for a step and comes down again read hundreds of newtons its momentum does not show,
    and its partner's carried force with it. The stale impulse can be read only as the contact
    begins, before the solver works on it: this keeps it (its upward part) for
    :func:`floor_push` to take off. Reading it changes nothing in the physics.
    """

    def __init__(self, space: pymunk.Space) -> None:
        #: per pair of shapes (their ids) that began touching the floor in the last step: the
        #: stale impulse's vertical part (N s). A pair is a first contact only in the step it
        #: began, when its entry was written, so an entry is never read for another step
        self._stale: dict[tuple[int, int], float] = {}
        self._floor = space.static_body
        space.on_collision(begin=self._begin)

    def _begin(self, arbiter: pymunk.Arbiter, space: pymunk.Space, data: object) -> None:
        a, b = arbiter.shapes
        if a.body is self._floor or b.body is self._floor:
            self._stale[_pair(a, b)] = held_impulse_y(arbiter)

    def stale_y(self, arbiter: pymunk.Arbiter) -> float:
        """The upward part (N s, in the sign of its total impulse) of what ``arbiter`` reports
        but did not push in the last step: 0 but on the step it touched again."""
        if not arbiter.is_first_contact:
            return 0.0
        return self._stale.get(_pair(*arbiter.shapes), 0.0)


def _pair(a: pymunk.Shape, b: pymunk.Shape) -> tuple[int, int]:
    return (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))


def floor_push(
    space: pymunk.Space,
    owner: dict[int, str],
    retouches: Retouches | None = None,
    body: frozenset[int] = frozenset(),
) -> dict[str, tuple[float, list[float]]]:
    """Per figure (``owner``: body id -> name, its segments and what moves with it, a gown):
    the floor's upward push (N) over the last step, and the x of every contact of its own
    segments (``body``: their ids; all of ``owner`` when empty) that bears weight
    (:data:`BEARING_N` or more): a gown's hem on the floor is pushed on, but bears no weight of
    the body. With ``retouches`` (watching ``space`` since before the step), a contact touching
    again is read without the stale impulse it reports."""
    out: dict[str, tuple[float, list[float]]] = {}
    dt = space.current_time_step

    def add(arbiter: pymunk.Arbiter) -> None:
        for shape in arbiter.shapes:
            name = owner.get(id(shape.body))
            if name is None:
                continue
            impulse = arbiter.total_impulse.y
            if retouches is not None:
                impulse -= retouches.stale_y(arbiter)
            push = abs(impulse) / dt if dt > 0 else 0.0
            total, xs = out.get(name, (0.0, []))
            if push >= BEARING_N and (not body or id(shape.body) in body):
                xs = xs + [p.point_a.x for p in arbiter.contact_point_set.points]
                xs = xs + flat_ends(shape)
            out[name] = (total + push, xs)

    space.static_body.each_arbiter(add)
    return out


def flat_ends(shape: pymunk.Shape, within: float = FLAT) -> list[float]:
    """The x of the ends of a segment ``shape`` that lie on the floor (within ``within`` m).

    >>> foot = pymunk.Segment(pymunk.Body(1.0, 1.0), (0.0, 0.03), (0.25, 0.04), 0.03)
    >>> flat_ends(foot)
    [0.0, 0.25]
    """
    body = shape.body
    if not isinstance(shape, pymunk.Segment) or body is None:
        return []
    out = []
    for end in (shape.a, shape.b):
        x, y = body.local_to_world(end)
        if y - shape.radius <= within:
            out.append(x)
    return out


def support_span(xs: list[float]) -> tuple[float, float] | None:
    """The span on the floor of the contacts that bear weight, or None when none does.

    >>> support_span([0.3, -0.1, 0.2]), support_span([])
    ((-0.1, 0.3), None)
    """
    if not xs:
        return None
    return (min(xs), max(xs))


def carried(
    before: float, after: float, mass: float, dt: float, damping: float, floor: float, guide: float
) -> float:
    """The upward force (N) nothing but the partner can have put on a figure over one step:
    its vertical momentum went from ``before`` to ``after`` (the space first scales velocities by
    ``damping`` over the step and adds gravity), and the floor and its guide pushed ``floor`` and
    ``guide`` newtons up.

    >>> round(carried(0.0, 0.0, 50.0, 0.01, 1.0, 0.0, 0.0), 6)  # held still in the air
    490.5
    >>> round(carried(0.0, 0.0, 50.0, 0.01, 1.0, 490.5, 0.0), 6)  # standing on the floor
    0.0
    """
    impulse = after - before * damping + 9.81 * mass * dt
    return impulse / dt - floor - guide


def sway_above(path: NDArray[np.float64], fps: float, hz: float = 1.0) -> float:
    """RMS (in the path's units) of the part of ``path`` ((n,) or (n, 2), sampled at ``fps``)
    faster than ``hz``: the shake or rocking of something meant to be held still, with its slow
    breath left out (a fourth-order Butterworth, forward and back: no lag).

    >>> t = np.arange(300) / 30.0
    >>> slow, fast = np.sin(2 * np.pi * 0.3 * t), 0.01 * np.sin(2 * np.pi * 3.0 * t)
    >>> round(sway_above(slow, 30.0), 4), round(sway_above(slow + fast, 30.0), 4)
    (0.0013, 0.0072)
    """
    p = np.asarray(path, dtype=np.float64).reshape(len(path), -1)
    sos = butter(4, hz, "highpass", fs=fps, output="sos")
    fast = sosfiltfilt(sos, p - p.mean(axis=0), axis=0)
    return float(np.sqrt((fast**2).sum(axis=1).mean()))


def outside(x: NDArray[np.float64], span: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n,) how far (m) each ``x`` lies outside its ``span`` ((n, 2) x_min, x_max): 0 within.

    >>> outside(np.array([0.0, 0.5, 1.2]), np.array([[0.1, 0.3], [0.1, 0.6], [0.9, 1.0]]))
    array([0.1, 0. , 0.2])
    """
    return np.asarray(np.maximum.reduce([span[:, 0] - x, x - span[:, 1], np.zeros(len(x))]))
