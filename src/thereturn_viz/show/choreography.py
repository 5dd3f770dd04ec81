"""The choreography: poses, each dancer's keyframes and the duet's contacts, as plain data.

What a choreography folder says once it has been read and checked (:mod:`.loader` does both).
Targets are sampled vectorised: :meth:`DancerScript.sample` turns an array of times into arrays
of joint angles, floor positions, facings and efforts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .anatomy import JOINTS, LIMITS
from .cues import CueSheet
from .easing import Ease, joint_arc
from .effort import Effort
from .traits import Traits

Arr = NDArray[np.float64]
#: A pose: joint angles in degrees, in :data:`~.anatomy.JOINTS` order.
Pose = tuple[float, ...]
_LO = np.array([LIMITS[j][0] for j in JOINTS])
_HI = np.array([LIMITS[j][1] for j in JOINTS])
DANCERS: tuple[str, ...] = ("lead", "partner")
#: The kinds of contact, each with the keys naming the body parts involved.
CONTACT_KINDS: dict[str, tuple[str, ...]] = {
    "hands": ("lead", "partner"),
    "waist": (),
    "lift": (),
}
HANDS = ("l_hand", "r_hand")
#: Where a dancer stands when no keyframe says: this many meters from the mirror (the plane the
#: camera's framing is made for, ``state.HOME_DEPTH``).
HOME_DEPTH = 3.0


@dataclass(frozen=True)
class Keyframe:
    t: float
    pose: str
    angles: Pose
    x: float
    facing: float  # +1 right, -1 left
    y: float  # meters the pelvis is raised above its grounded height (a lift, a jump)
    ease: str | tuple[float, ...]
    effort: Effort
    #: meters from the mirror (larger nearer the camera): where the picture places the figure;
    #: the physics keeps to its plane
    depth: float = HOME_DEPTH
    #: the move into this keyframe is a designed fall: the figure's weight leaves its support
    fall: bool = False


@dataclass(frozen=True)
class Gesture:
    """A few joints laid over the phrase: blended in from ``start`` to ``t``, held until
    ``end``, given back to the phrase by ``release``."""

    start: float
    t: float
    end: float
    release: float
    joints: tuple[int, ...]  # indices into JOINTS
    angles: tuple[float, ...]

    def weight(self, t: Arr) -> Arr:
        """How much of the gesture is in the body at ``t``: 0 on the phrase, 1 on the gesture.

        >>> g = Gesture(0.0, 1.0, 2.0, 3.0, (0,), (10.0,))
        >>> [float(w) for w in g.weight(np.array([-1.0, 0.5, 1.0, 1.5, 2.5, 3.0, 4.0]))]
        [0.0, 0.5, 1.0, 1.0, 0.5, 0.0, 0.0]
        """
        rise = np.clip((t - self.start) / max(self.t - self.start, 1e-9), 0.0, 1.0)
        fall = np.clip((t - self.end) / max(self.release - self.end, 1e-9), 0.0, 1.0)
        up = rise * rise * (3.0 - 2.0 * rise)
        down = fall * fall * (3.0 - 2.0 * fall)
        return np.where(t < self.start, 0.0, up * (1.0 - down))


@dataclass(frozen=True)
class Targets:
    """Targets for an array of times: what the physics steers toward."""

    angles: Arr  # (n, len(JOINTS)) degrees
    x: Arr  # (n,)
    y: Arr  # (n,) meters above the grounded height
    facing: Arr  # (n,) from -1 to +1
    stiffness: Arr  # (n,)
    speed: Arr  # (n,)
    visible: NDArray[np.bool_]  # (n,)
    depth: Arr  # (n,) meters from the mirror


@dataclass(frozen=True)
class _Table:
    """A script's keyframes as arrays, and the turn of each move into a keyframe: what every
    :meth:`DancerScript.sample` reads (made once, not from the keyframes at each call: the
    planner samples twice a figure a block, and the arrays were a fifth of a sample's cost)."""

    t: Arr
    angles: Arr  # (keyframes, joints)
    #: (keyframes, joints) the turn from the keyframe before into this one (the first: none)
    arcs: Arr
    x: Arr
    y: Arr
    facing: Arr
    stiffness: Arr
    speed: Arr
    depth: Arr
    #: the distinct easing curves, and which of them eases the move into each keyframe
    eases: tuple[Ease, ...]
    ease_of: NDArray[np.intp]


@dataclass(frozen=True)
class DancerScript:
    name: str
    height: float
    enters: float
    keyframes: tuple[Keyframe, ...]
    _eases: tuple[Ease, ...] = field(default=(), repr=False, compare=False)
    traits: Traits = Traits()
    #: joints laid over the keyframes for a while (keyframes that name joints and no pose)
    gestures: tuple[Gesture, ...] = ()

    def falling(self, times: Arr) -> NDArray[np.bool_]:
        """(n,) True at the times of a designed fall: from the keyframe before one marked
        ``fall`` to it."""
        t = np.asarray(times, dtype=np.float64)
        out = np.zeros(t.shape, dtype=bool)
        for before, k in zip(self.keyframes, self.keyframes[1:], strict=False):
            if k.fall:
                out |= (t >= before.t) & (t <= k.t)
        return out

    @cached_property
    def _table(self) -> _Table:
        keys = self.keyframes
        angles = np.array([k.angles for k in keys])
        arcs = np.zeros_like(angles)
        arcs[1:] = joint_arc(angles[:-1], angles[1:], _LO, _HI)
        # one curve per easing the keyframes name (the loader makes each keyframe's its own: 206
        # of them name the same bezier)
        named = [k.ease for k in keys] if len(self._eases) == len(keys) else []
        kinds = [named[i] if named else id(e) for i, e in enumerate(self._eases)]
        first: dict[object, Ease] = {}
        for kind, e in zip(kinds, self._eases, strict=True):
            first.setdefault(kind, e)
        distinct = list(first.values())
        where = {kind: i for i, kind in enumerate(first)}
        return _Table(
            t=np.array([k.t for k in keys]),
            angles=angles,
            arcs=arcs,
            x=np.array([k.x for k in keys]),
            y=np.array([k.y for k in keys]),
            facing=np.array([k.facing for k in keys]),
            stiffness=np.array([k.effort.stiffness for k in keys]),
            speed=np.array([k.effort.speed for k in keys]),
            depth=np.array([k.depth for k in keys]),
            eases=tuple(distinct),
            ease_of=np.array([where[kind] for kind in kinds], dtype=np.intp),
        )

    def sample(self, times: Arr | float) -> Targets:
        """Targets at ``times`` (any shape flattened); each move eases into its keyframe.

        Angles turn the shorter way round where the joint's range allows it (see
        :func:`~.easing.joint_arc`); positions, depth, lift and facing ease linearly in value.
        """
        t = np.atleast_1d(np.asarray(times, dtype=np.float64)).ravel()
        kf = self._table
        kt = kf.t
        i1 = np.clip(np.searchsorted(kt, t, side="right"), 1, len(kt) - 1)
        i0 = i1 - 1
        if len(kt) == 1:
            i0 = i1 = np.zeros_like(i1)
        span = np.maximum(kt[i1] - kt[i0], 1e-9)
        u = np.clip((t - kt[i0]) / span, 0.0, 1.0)
        u = np.where(i0 == i1, 0.0, u)
        if kf.eases:
            # one call per easing curve, not per keyframe: the curves work element by element
            eased = np.empty_like(u)
            group = kf.ease_of[i1]
            for g in np.unique(group).tolist():
                sel = group == g
                eased[sel] = kf.eases[g](u[sel])
        else:
            eased = u.copy()
        e = eased[:, None]
        ang = kf.angles[i0] + kf.arcs[i1] * e
        for g in self.gestures:
            if g.joints:
                cols = list(g.joints)
                w = g.weight(t)[:, None]
                ang[:, cols] += w * (np.array(g.angles) - ang[:, cols])
        xs, ys, fac, stiff, speed, ds = kf.x, kf.y, kf.facing, kf.stiffness, kf.speed, kf.depth
        return Targets(
            angles=ang,
            x=xs[i0] + (xs[i1] - xs[i0]) * eased,
            y=ys[i0] + (ys[i1] - ys[i0]) * eased,
            facing=fac[i0] + (fac[i1] - fac[i0]) * eased,
            stiffness=stiff[i1],
            speed=speed[i1],
            visible=t >= self.enters,
            depth=ds[i0] + (ds[i1] - ds[i0]) * eased,
        )


@dataclass(frozen=True)
class Contact:
    kind: str
    start: float
    end: float
    lead_part: str = ""
    partner_part: str = ""
    #: for a lift: how high (m) her pelvis is carried above the floor at the top
    height: float = 0.0


@dataclass(frozen=True)
class Choreography:
    folder: Path
    sheet: CueSheet
    poses: Mapping[str, Pose]
    dancers: Mapping[str, DancerScript]
    contacts: tuple[Contact, ...]

    def contacts_at(self, t: float) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.start <= t < c.end)
