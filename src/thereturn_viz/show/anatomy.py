"""The body plan as data: segments, the joints between them, their rest angles and limits.

It lives in ``show/`` because the choreography is written in these joint names and validated
against these limits; ``physics/skeleton.py`` turns it into bodies, ``render/`` into silhouettes.

Conventions (for a figure facing right, +x): angles in degrees, counter-clockwise positive, each
joint angle relative to the parent segment's direction plus the segment's rest angle. So at the
neutral pose (all zeros) the figure stands straight with arms hanging. Positive ``*_shoulder`` and
``*_hip`` swing the limb forward, positive ``*_elbow`` bends the forearm forward, negative
``*_knee`` bends the knee, negative ``*_ankle`` points the foot, negative ``waist`` bends forward.
``pelvis`` is the tilt of the whole body from upright (positive leans back): +-90 lies down.
A figure facing left is the mirror image: the same pose, drawn with x flipped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentSpec:
    """One rigid segment, from its joint (end ``a``) to its far end (``b``)."""

    name: str
    parent: str | None
    joint: str
    #: where on the parent it attaches: 0 = the parent's ``a`` end, 1 = its ``b`` end
    attach: float
    rest_deg: float
    length: float  # fraction of the figure's height
    radius_a: float  # fraction of height: half-thickness at end a
    radius_b: float  # fraction of height: half-thickness at end b
    limits: tuple[float, float]  # joint angle limits, degrees


# fmt: off
SEGMENTS: tuple[SegmentSpec, ...] = (
    SegmentSpec("pelvis", None, "pelvis", 0.0, 90.0, 0.10, 0.075, 0.065, (-110.0, 110.0)),
    SegmentSpec("chest", "pelvis", "waist", 1.0, 0.0, 0.19, 0.060, 0.075, (-100.0, 45.0)),
    SegmentSpec("neck", "chest", "neck", 1.0, 0.0, 0.045, 0.028, 0.026, (-45.0, 45.0)),
    SegmentSpec("head", "neck", "head", 1.0, 0.0, 0.125, 0.050, 0.045, (-50.0, 50.0)),
    SegmentSpec("l_upper_arm", "chest", "l_shoulder", 1.0, 180.0, 0.17, 0.032, 0.026, (-80.0, 190.0)),  # noqa: E501
    SegmentSpec("l_forearm", "l_upper_arm", "l_elbow", 1.0, 0.0, 0.15, 0.025, 0.019, (0.0, 150.0)),
    SegmentSpec("l_hand", "l_forearm", "l_wrist", 1.0, 0.0, 0.08, 0.018, 0.014, (-70.0, 70.0)),
    SegmentSpec("r_upper_arm", "chest", "r_shoulder", 1.0, 180.0, 0.17, 0.032, 0.026, (-80.0, 190.0)),  # noqa: E501
    SegmentSpec("r_forearm", "r_upper_arm", "r_elbow", 1.0, 0.0, 0.15, 0.025, 0.019, (0.0, 150.0)),
    SegmentSpec("r_hand", "r_forearm", "r_wrist", 1.0, 0.0, 0.08, 0.018, 0.014, (-70.0, 70.0)),
    SegmentSpec("l_thigh", "pelvis", "l_hip", 0.0, 180.0, 0.245, 0.050, 0.034, (-45.0, 160.0)),
    SegmentSpec("l_shin", "l_thigh", "l_knee", 1.0, 0.0, 0.245, 0.033, 0.022, (-155.0, 0.0)),
    SegmentSpec("l_foot", "l_shin", "l_ankle", 1.0, 90.0, 0.11, 0.018, 0.012, (-80.0, 35.0)),
    SegmentSpec("r_thigh", "pelvis", "r_hip", 0.0, 180.0, 0.245, 0.050, 0.034, (-45.0, 160.0)),
    SegmentSpec("r_shin", "r_thigh", "r_knee", 1.0, 0.0, 0.245, 0.033, 0.022, (-155.0, 0.0)),
    SegmentSpec("r_foot", "r_shin", "r_ankle", 1.0, 90.0, 0.11, 0.018, 0.012, (-80.0, 35.0)),
)
# fmt: on

SEGMENT_NAMES: tuple[str, ...] = tuple(s.name for s in SEGMENTS)
JOINTS: tuple[str, ...] = tuple(s.joint for s in SEGMENTS)
LIMITS: dict[str, tuple[float, float]] = {s.joint: s.limits for s in SEGMENTS}

#: The joints the trace reports, and the segment point each one is taken from (0 = a, 1 = b).
TRACE_JOINTS: dict[str, tuple[str, float]] = {
    "head": ("head", 0.5),
    "pelvis": ("pelvis", 0.0),
    "l_hand": ("l_hand", 0.5),
    "r_hand": ("r_hand", 0.5),
    "l_foot": ("l_foot", 0.5),
    "r_foot": ("r_foot", 0.5),
}
