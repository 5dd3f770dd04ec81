"""One ``[[keyframes]]`` table of ``lead.toml`` or ``partner.toml``: when, which pose, where.

A new key of a keyframe (a depth, a yaw) is read here, in a function of its own like
:func:`_facing`, named in :data:`KEYFRAME_KEYS`, and carried on :class:`~..choreography.Keyframe`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..choreography import HOME_DEPTH, Keyframe, Pose
from ..cues import CueSheet
from ..easing import NAMED, Ease, EaseError, make_ease
from ..effort import WORDS, Effort, EffortError, parse_effort
from ..errors import KeyPath, Kind, Names, describe, did_you_mean
from ..reading import Checker
from .fields import check_number, check_time, unknown_keys

KEYFRAME_KEYS = ("at", "pose", "x", "y", "facing", "ease", "effort", "depth", "hold", "fall")
#: Floor positions a keyframe may use (the studio is x in [-6, 6]).
STAGE_X = (-5.5, 5.5)
#: How far (m) a keyframe may raise the pelvis (a lift, a jump) or lower it.
STAGE_Y = (-1.5, 2.5)
#: How far from the mirror (m) a dancer may stand: from the barre to the front of the picture.
STAGE_DEPTH = (0.6, 6.0)
FACINGS: dict[object, float] = {"right": 1.0, "left": -1.0, 1: 1.0, -1: -1.0}


@dataclass(frozen=True)
class Known:
    """What a dancer's keyframes are checked against."""

    sheet: CueSheet
    #: the poses that could be resolved
    poses: Mapping[str, Pose]
    #: every name poses.toml defines; None when it could not be read (names go unchecked)
    pose_names: Names | None


def check_keyframe(
    kf: dict[str, Any], path: KeyPath, known: Known, previous: Keyframe | None, chk: Checker
) -> tuple[Keyframe, Ease] | None:
    """One keyframe and its easing, or None after reporting everything wrong with it.

    ``x``, ``depth`` and ``facing`` carry over from the ``previous`` keyframe when not given.
    """
    before = chk.count
    unknown_keys(chk, kf, path, KEYFRAME_KEYS)
    t = check_time(chk, (*path, "at"), kf.get("at"), known.sheet, "when this keyframe is reached")
    pose = _pose(kf.get("pose"), (*path, "pose"), known, chk)
    x = kf.get("x", previous.x if previous else 0.0)
    check_number(chk, (*path, "x"), x, *STAGE_X, "a floor position in meters")
    y = kf.get("y", 0.0)
    check_number(chk, (*path, "y"), y, *STAGE_Y, "meters above the grounded pose")
    depth = kf.get("depth", previous.depth if previous else HOME_DEPTH)
    check_number(
        chk, (*path, "depth"), depth, *STAGE_DEPTH, "meters from the mirror (larger: nearer us)"
    )
    facing = _facing(kf.get("facing", previous.facing if previous else 1.0), path, chk)
    ease_raw = kf.get("ease", "in_out_sine")
    ease = _ease(ease_raw, path, chk)
    effort = _effort(kf.get("effort", "neutral"), path, chk)
    fall = _fall(kf.get("fall", False), path, chk)
    if chk.count > before or t is None or ease is None or effort is None:
        return None
    assert pose is not None and facing is not None
    if pose not in known.poses:
        return None  # the pose itself is broken: poses.toml has the message
    spec = ease_raw if isinstance(ease_raw, str) else tuple(float(v) for v in ease_raw)
    angles = known.poses[pose]
    made = Keyframe(t, pose, angles, float(x), facing, float(y), spec, effort, float(depth), fall)
    return made, ease


def _pose(pose: Any, path: KeyPath, known: Known, chk: Checker) -> str | None:
    if not isinstance(pose, str):
        what = "missing" if pose is None else f"got {describe(pose)}"
        chk.add(
            path,
            Kind.MISSING if pose is None else Kind.TYPE,
            f"expected a pose name from poses.toml, {what}",
            expected="a pose name from poses.toml",
        )
        return None
    if known.pose_names is not None and pose not in known.pose_names:
        chk.add(
            path,
            Kind.UNKNOWN_NAME,
            f'unknown pose "{pose}"',
            did_you_mean(pose, known.pose_names) or "poses are defined in poses.toml",
            expected="a pose name from poses.toml",
            subject=pose,
        )
    return pose


def _facing(value: Any, path: KeyPath, chk: Checker) -> float | None:
    facing = None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        facing = FACINGS.get(value)
    if facing is None:
        hint = did_you_mean(value, ("left", "right")) if isinstance(value, str) else ""
        chk.add(
            (*path, "facing"),
            Kind.UNKNOWN_NAME if isinstance(value, str) else Kind.TYPE,
            f'expected "left" or "right", got {describe(value)}',
            hint,
            expected='"left" or "right"',
        )
    return facing


def _fall(value: Any, path: KeyPath, chk: Checker) -> bool:
    """Whether the move into the keyframe is a designed fall (its weight leaves its support)."""
    if isinstance(value, bool):
        return value
    chk.add(
        (*path, "fall"),
        Kind.TYPE,
        f"expected true or false, got {describe(value)}",
        "write fall = true on the keyframe a fall arrives at, or leave it out",
        expected="true or false",
    )
    return False


def _ease(value: Any, path: KeyPath, chk: Checker) -> Ease | None:
    try:
        return make_ease(value)
    except EaseError as exc:
        f = exc.fault
        suggestion = f.suggestion or "names: " + ", ".join(NAMED)
        chk.add(
            (*path, "ease"), f.kind, f.message, suggestion, expected=f.expected, subject=f.subject
        )
        return None


def _effort(value: Any, path: KeyPath, chk: Checker) -> Effort | None:
    if not isinstance(value, str):
        chk.add(
            (*path, "effort"),
            Kind.TYPE,
            f'expected words like "sustained light", got {describe(value)}',
            expected='words like "sustained light"',
        )
        return None
    try:
        return parse_effort(value)
    except EffortError as exc:
        f = exc.fault
        suggestion = f.suggestion or "words: " + ", ".join(WORDS)
        chk.add(
            (*path, "effort"), f.kind, f.message, suggestion, expected=f.expected, subject=f.subject
        )
        return None
