"""pymunk's fast path, in one place: the only module that reaches below pymunk's public API.

The stepping loop sets about 20 servo phases and 3 velocities per figure per step, 47,880 steps a
piece: through pymunk's properties each write costs 2-3x more than a call of the solver's own C
function, and :meth:`pymunk.Space.step` adds bookkeeping (new bodies checked, removed shapes
forgotten) that a step with nothing added or removed does not need. A :class:`Solver` hands out
either the C functions and the raw pointers they take (fast) or plain functions over the pymunk
objects themselves (plain): the same C calls underneath, so both give the same numbers to the bit
(``tests/physics/test_solver.py`` steps the piece both ways).

The fast path reads pymunk's private layer: ``pymunk._chipmunk_cffi.lib``, the objects' ``_body``,
``_constraint`` and ``_space`` pointers and the space's ``_bodies_to_check`` and
``_removed_shapes``. It was checked against pymunk 7.0.0 and 7.3.1, the versions pyproject.toml
allows (pymunk 6.6 lacks ``_bodies_to_check``). A pymunk without the cffi build or any of those
names falls back to the plain path; so does ``Solver(plain=True)`` or the environment variable
``THERETURN_PLAIN_PYMUNK=1`` (to rule the fast path out when numbers differ).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import pymunk

#: Set (to anything but "" or "0") to step with plain pymunk calls only.
PLAIN_ENV = "THERETURN_PLAIN_PYMUNK"

#: What a figure's state is read as: x, y, vx, vy, angle, spin.
State = tuple[float, float, float, float, float, float]


def _cffi() -> Any | None:
    """The solver's own C functions (pymunk's cffi build), or None for a pymunk without them or
    without the private attributes the fast path reads (pymunk 6 has no ``_bodies_to_check``)."""
    try:
        from pymunk._chipmunk_cffi import lib  # noqa: PLC0415
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
    return lib


def _set_phase(servo: pymunk.GearJoint, phase: float) -> None:
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
    them: the hot loop calls ``set_phase(handle, value)`` and ``set_velocity(handle, (vx, vy))``.
    """

    def __init__(self, plain: bool | None = None) -> None:
        if plain is None:
            plain = os.environ.get(PLAIN_ENV, "") not in ("", "0")
        lib = None if plain else _cffi()
        #: True when the C functions are called directly
        self.fast = lib is not None
        self._lib = lib
        self.set_phase: Callable[[Any, float], None] = _set_phase
        self.set_velocity: Callable[[Any, Sequence[float]], None] = _set_velocity
        if lib is not None:
            self.set_phase = lib.cpGearJointSetPhase
            self.set_velocity = lib.cpBodySetVelocity

    def servo(self, joint: pymunk.GearJoint) -> Any:
        """The handle :attr:`set_phase` takes for ``joint``."""
        return joint._constraint if self.fast else joint

    def body(self, body: pymunk.Body) -> Any:
        """The handle :attr:`set_velocity` and :meth:`state` take for ``body``."""
        return body._body if self.fast else body

    def state(self, handle: Any) -> State:
        """A body's position, velocity, angle and spin (for the health check)."""
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
        then pymunk's own :meth:`~pymunk.Space.step`."""
        lib = self._lib
        if lib is None:
            return lambda: space.step(dt)
        raw, pointer = lib.cpSpaceStep, space._space

        def step() -> None:
            if space._bodies_to_check or space._removed_shapes:
                space.step(dt)
            else:
                raw(pointer, dt)

        return step


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
