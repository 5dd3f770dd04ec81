"""The body plan turned into physical numbers: lengths, radii, masses, strengths, limits.

Everything a :class:`~thereturn_viz.physics.dancer.Dancer` is built from is data here, so the
figure can be tuned without touching the control code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..show.anatomy import SEGMENTS, SegmentSpec
from ..show.kinematics import CONTACT_RADIUS, relative_angles

#: Body density in kg per square meter of silhouette (a 2-D figure): tuned so that a 1.80 m
#: figure weighs about 70 kg.
AREAL_DENSITY = 105.0

#: Peak torque (N m) of the muscles at each joint of a 1.80 m figure; scales with height cubed.
#: The pelvis entry is the torque that keeps the trunk upright against the guide.
JOINT_STRENGTH: dict[str, float] = {
    "pelvis": 900.0,
    "waist": 500.0,
    "neck": 120.0,
    "head": 60.0,
    "l_shoulder": 220.0,
    "l_elbow": 120.0,
    "l_wrist": 30.0,
    "r_shoulder": 220.0,
    "r_elbow": 120.0,
    "r_wrist": 30.0,
    "l_hip": 600.0,
    "l_knee": 500.0,
    "l_ankle": 220.0,
    "r_hip": 600.0,
    "r_knee": 500.0,
    "r_ankle": 220.0,
}

#: How quickly (1/s) a joint closes its error at stiffness 1: the P gain of the servo. The
#: constraint solver supplies the damping, so the servo is critically damped by construction.
JOINT_GAIN: dict[str, float] = {j: 22.0 for j in JOINT_STRENGTH} | {
    "l_wrist": 16.0,
    "r_wrist": 16.0,
}

#: The fastest a joint may turn (rad/s) at effort speed 1.
JOINT_SPEED = 7.0

#: Degrees of slack beyond the anatomical range, so a target on the limit is not fought over.
LIMIT_SLACK_DEG = 4.0

#: Segments that keep the two figures apart (arms and hands may pass in front of the other body:
#: in a side view they are at a different depth, and they hold hands and waists).
CORE = frozenset({"pelvis", "chest", "head", "l_thigh", "r_thigh", "l_shin", "r_shin"})

#: Floor contact: a planted foot grips; a free foot (a leg raised in an arabesque, a toe brushing
#: the floor in a developpe) slides off the floor instead of sticking to it and bending the leg;
#: the rest slides a little (a body lying down can be turned over).
PLANTED_FRICTION = 3.0
FREE_FOOT_FRICTION = 0.3
DEFAULT_FRICTION = 0.6

#: Collision categories. Every figure's shapes share a group (so it never collides with itself).
FLOOR = 0b0001
GOWN = 0b1000


def core_category(index: int) -> int:
    """The category of figure ``index``'s body (index 0 or 1): 0b0010 or 0b0100."""
    return 0b0010 << index


@dataclass(frozen=True)
class Bone:
    spec: SegmentSpec
    length: float
    ra: float
    rb: float
    radius: float  # the collision capsule's radius
    mass: float
    moment: float
    strength: float  # peak joint torque, N m
    gain: float  # 1/s


def bones(height: float) -> tuple[Bone, ...]:
    """Every segment of a figure of ``height`` meters, with mass from its silhouette area.

    >>> total = sum(b.mass for b in bones(1.8))
    >>> 55 < total < 85
    True
    """
    out = []
    scale = (height / 1.8) ** 3
    for spec, r in zip(SEGMENTS, CONTACT_RADIUS, strict=True):
        length = spec.length * height
        ra, rb = spec.radius_a * height, spec.radius_b * height
        area = length * (ra + rb) + math.pi * 0.5 * (ra * ra + rb * rb)
        mass = AREAL_DENSITY * area
        moment = mass * (length * length / 12.0 + (ra * ra + rb * rb) / 4.0)
        out.append(
            Bone(
                spec,
                length,
                ra,
                rb,
                float(r) * height,
                mass,
                moment,
                JOINT_STRENGTH[spec.joint] * scale,
                JOINT_GAIN[spec.joint],
            )
        )
    return tuple(out)


def limits_rad(facing: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Relative-angle limits (radians) of every joint for a figure showing ``facing``.

    Mirroring swaps and negates a range; mid-turn the range is what the scaled angles can reach.

    >>> lo, hi = limits_rad(-1.0)
    >>> [round(math.degrees(v)) for v in (lo[11], hi[11])]  # the left knee bends the other way
    [-4, 159]
    """
    lo_deg = np.array([s.limits[0] - LIMIT_SLACK_DEG for s in SEGMENTS])
    hi_deg = np.array([s.limits[1] + LIMIT_SLACK_DEG for s in SEGMENTS])
    f = np.array([facing])
    a = relative_angles(lo_deg[None, :], f)[0]
    b = relative_angles(hi_deg[None, :], f)[0]
    return np.minimum(a, b), np.maximum(a, b)
