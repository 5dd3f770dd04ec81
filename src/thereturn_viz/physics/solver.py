"""pymunk's fast path, in one place: the only module that reaches below pymunk's public API.

The stepping loop sets about 20 servo phases and 3 velocities per figure per step, 47,880 steps a
piece: through pymunk's properties each write costs 2-3x more than a call of the solver's own C
function, a C call (through cffi, which lets go of the GIL and takes it back around every call)
2-3x more than writing the number into the solver's own struct, and :meth:`pymunk.Space.step`
adds bookkeeping (new bodies checked, removed shapes forgotten) that a step with nothing added or
removed does not need. A :class:`Solver` hands out either raw pointers and what writes through
them (fast) or plain functions over the pymunk objects themselves (plain): the same numbers land
in the same places, so both give the same numbers to the bit (``tests/physics/test_solver.py``
steps the piece both ways).

The fast path reads pymunk's private layer: ``pymunk._chipmunk_cffi`` (its ``lib`` and ``ffi``),
the objects' ``_body``, ``_constraint`` and ``_space`` pointers and the space's
``_bodies_to_check`` and ``_removed_shapes``. It was checked against pymunk 7.0.0 and 7.3.1, the
versions pyproject.toml allows (pymunk 6.6 lacks ``_bodies_to_check``). A pymunk without the cffi
build or any of those names falls back to the plain path; so does ``Solver(plain=True)`` or the
environment variable ``THERETURN_PLAIN_PYMUNK=1`` (to rule the fast path out when numbers differ).

It writes a gear joint's phase and a body's velocity, and reads a body's state, in their C structs
directly (Chipmunk's layout: :data:`PHASE`, :data:`POSITION`, ...), where the setters would also
wake the bodies: the studio's space never sleeps, so waking is a no-op there. The layout is
checked when a solver is made (written through the API and read raw, written raw and read through
the API): a pymunk whose structs differ gets the C setters instead (:attr:`Solver.raw` False).

One reading goes below it too, in either path: what a contact holds as it begins
(:func:`held_impulse_y`, an arbiter's ``_arbiter`` struct, checked with pymunk 7.3.1).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import setitem
from typing import Any

import pymunk

#: Set (to anything but "" or "0") to step with plain pymunk calls only.
PLAIN_ENV = "THERETURN_PLAIN_PYMUNK"

#: What a figure's state is read as: x, y, vx, vy, angle, spin.
State = tuple[float, float, float, float, float, float]

#: Where the solver keeps a gear joint's phase, and a body's position, velocity and angle (then
#: its spin), counted in doubles from the start of the C struct (Chipmunk 7's cpGearJoint and
#: cpBody, both 64-bit builds).
PHASE = 13
POSITION, VELOCITY, ANGLE = 8, 10, 14


def _cffi() -> tuple[Any, Any] | None:
    """The solver's own C functions and cffi's types (pymunk's cffi build), or None for a
    pymunk without them or without the private attributes the fast path reads (pymunk 6 has no
    ``_bodies_to_check``)."""
    try:
        from pymunk._chipmunk_cffi import ffi, lib  # noqa: PLC0415
    except ImportError:
        return None
    space, body = pymunk.Space(), pymunk.Body(1.0, 1.0)
    gear = pymunk.GearJoint(body, pymunk.Body(1.0, 1.0), 0.0, 1.0)
    needed = [
        (space, ("_space", "_bodies_to_check", "_removed_shapes")),
        (body, ("_body",)),
        (gear, ("_constraint",)),
    ]
    if not all(hasattr(obj, name) for obj, names in needed for name in names):
        return None
    return lib, ffi


def _laid_out_as_known(lib: Any, ffi: Any) -> bool:
    """Whether the solver's structs keep a gear joint's phase and a body's state where
    :data:`PHASE`, :data:`POSITION`, :data:`VELOCITY` and :data:`ANGLE` say: numbers written
    through the API are read raw there, and numbers written raw there are read through the API."""
    a, b = pymunk.Body(1.0, 1.0), pymunk.Body(1.0, 1.0)
    gear = pymunk.GearJoint(a, b, 0.0, 1.0)
    gear.phase = 1234.5
    a.position, a.velocity, a.angle, a.angular_velocity = (-7.25, 3.5), (6.75, -2.125), 0.375, 9.5
    phase = ffi.cast("double *", gear._constraint)
    body = ffi.cast("double *", a._body)
    if phase[PHASE] != 1234.5 or ffi.unpack(body + POSITION, 4) != [-7.25, 3.5, 6.75, -2.125]:
        return False
    if ffi.unpack(body + ANGLE, 2) != [0.375, 9.5]:
        return False
    phase[PHASE] = -42.25
    body[VELOCITY], body[VELOCITY + 1] = 1.5, -0.75
    return bool(lib.cpGearJointGetPhase(gear._constraint) == -42.25 and a.velocity == (1.5, -0.75))


def _set_phase(servo: pymunk.GearJoint, phase: float) -> None:
    servo.phase = phase


def _set_phases(servos: Iterable[pymunk.GearJoint], phases: Iterable[float]) -> None:
    for servo, phase in zip(servos, phases):  # noqa: B905 - as many as the caller gives
        servo.phase = phase


def _set_velocity(body: pymunk.Body, velocity: Sequence[float]) -> None:
    body.velocity = (velocity[0], velocity[1])


def _state(body: pymunk.Body) -> State:
    (x, y), (vx, vy) = body.position, body.velocity
    return (x, y, vx, vy, body.angle, body.angular_velocity)


class Solver:
    """How the stage writes targets into pymunk, reads the figures back and steps the space.

    A *handle* is what the setters and :meth:`state` take: a raw pointer on the fast path, the
    pymunk object itself on the plain one. Get them once (:meth:`servo`, :meth:`body`) and keep
    them: the hot loop calls ``set_phases(handles, values)`` and ``set_velocity(handle, (vx,
    vy))``.
    """

    def __init__(self, plain: bool | None = None) -> None:
        if plain is None:
            plain = os.environ.get(PLAIN_ENV, "") not in ("", "0")
        found = None if plain else _cffi()
        #: True when the solver's own functions and structs are used directly
        self.fast = found is not None
        #: True when the numbers are written into the structs, not through the C setters
        self.raw = found is not None and _laid_out_as_known(*found)
        self._lib: Any = found[0] if found is not None else None
        self._ffi: Any = found[1] if found is not None else None
        self.set_phase: Callable[[Any, float], None] = _set_phase
        #: every servo's phase of ``handles`` set to the ``values`` given, in turn
        self.set_phases: Callable[[Iterable[Any], Iterable[float]], None] = _set_phases
        self.set_velocity: Callable[[Any, Sequence[float]], None] = _set_velocity
        lib = self._lib
        if self.raw:
            self.set_phase = _write_first
            self.set_phases = _write_firsts
            self.set_velocity = _write_velocity
        elif lib is not None:
            self.set_phase = lib.cpGearJointSetPhase
            self.set_phases = _caller(lib.cpGearJointSetPhase)
            self.set_velocity = lib.cpBodySetVelocity

    def servo(self, joint: pymunk.GearJoint) -> Any:
        """The handle :attr:`set_phase` takes for ``joint``: on the raw path, its phase's own
        address, which does not keep the joint alive (keep the joint as long as the handle)."""
        if self.raw:
            return self._ffi.cast("double *", joint._constraint) + PHASE
        return joint._constraint if self.fast else joint

    def body(self, body: pymunk.Body) -> Any:
        """The handle :attr:`set_velocity` and :meth:`state` take for ``body`` (on the raw path
        its address, which does not keep the body alive)."""
        if self.raw:
            return self._ffi.cast("double *", body._body)
        return body._body if self.fast else body

    def state(self, handle: Any) -> State:
        """A body's position, velocity, angle and spin (for the health check)."""
        if self.raw:
            x, y, vx, vy = self._ffi.unpack(handle + POSITION, 4)
            a, w = self._ffi.unpack(handle + ANGLE, 2)
            return (x, y, vx, vy, a, w)
        lib = self._lib
        if lib is None:
            return _state(handle)
        p, v = lib.cpBodyGetPosition(handle), lib.cpBodyGetVelocity(handle)
        return (
            p.x,
            p.y,
            v.x,
            v.y,
            lib.cpBodyGetAngle(handle),
            lib.cpBodyGetAngularVelocity(handle),
        )

    def stepper(self, space: pymunk.Space, dt: float) -> Callable[[], None]:
        """A function that steps ``space`` by ``dt``.

        Fast: the solver's own step, unless bodies were added (pymunk checks their masses) or
        shapes removed (pymunk forgets them) since the last step, as after a figure is reset;
        then pymunk's own :meth:`~pymunk.Space.step`. A space that may sleep is refused on the
        raw path, whose writes wake nothing."""
        lib = self._lib
        if lib is None:
            return lambda: space.step(dt)
        if self.raw and space.sleep_time_threshold != math.inf:
            raise ValueError(
                f"physics/solver.py: a space with sleep_time_threshold "
                f"{space.sleep_time_threshold}: the raw path expects a space that never sleeps "
                f"(leave it at infinity, or make the Solver with plain=True)"
            )
        raw, pointer = lib.cpSpaceStep, space._space

        def step() -> None:
            if space._bodies_to_check or space._removed_shapes:
                space.step(dt)
            else:
                raw(pointer, dt)

        return step


def _write_first(pointer: Any, value: float) -> None:
    pointer[0] = value


def _write_firsts(pointers: Iterable[Any], values: Iterable[float]) -> None:
    # the writes run in C, one after another (each returns None: any() runs the whole map)
    any(map(setitem, pointers, repeat(0), values))


def _write_velocity(body: Any, velocity: Sequence[float]) -> None:
    body[VELOCITY : VELOCITY + 2] = velocity


def _caller(
    setter: Callable[[Any, float], None],
) -> Callable[[Iterable[Any], Iterable[float]], None]:
    """``setter`` called on each handle and value in turn."""

    def each(handles: Iterable[Any], values: Iterable[float]) -> None:
        any(map(setter, handles, values))

    return each


#: Where pymunk's C solver calls back into Python (velocity and position functions, collision
#: handlers, each_arbiter): an exception raised there is printed and swallowed, not raised.
_CALLBACKS = os.path.join("pymunk", "_callbacks.py")


def called_back(frame: Any) -> bool:
    """Whether Python code running in ``frame`` was called by pymunk's C solver.

    A signal handler that raises to stop the work must not raise there: the solver swallows
    the exception (cffi prints "Exception ignored" and the step goes on), so the stop would be
    lost.

    >>> import sys
    >>> called_back(sys._getframe())
    False
    """
    while frame is not None:
        if frame.f_code.co_filename.endswith(_CALLBACKS):
            return True
        frame = frame.f_back
    return False


def held_impulse_y(arbiter: pymunk.Arbiter) -> float:
    """The vertical impulse (N s) ``arbiter``'s contacts hold now, summed and signed as its
    :attr:`~pymunk.Arbiter.total_impulse` is after a step (each contact's normal and tangent
    impulse turned by the normal, on the first shape's body: negated unless the pair is swapped).

    pymunk reads it only after a step; read in a ``begin`` callback it is what the solver carries
    over from a contact's last touch (see :class:`.weight.Retouches`). 0 for a pymunk whose
    arbiters do not expose their contacts.
    """
    arb: Any = getattr(arbiter, "_arbiter", None)
    try:
        n, contacts = arb.n, arb.contacts
        up = sum(n.x * contacts[i].jtAcc + n.y * contacts[i].jnAcc for i in range(arb.count))
        return float(up if arb.swapped else -up)
    except AttributeError:
        return 0.0
