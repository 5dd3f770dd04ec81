"""Gestures and holds in a dancer's keyframes.

A keyframe with ``joints`` and no ``pose`` is a gesture: a few joints laid over the phrase the
other keyframes make, reached at ``at`` from the keyframe before it, and given back to the
phrase over the same time once it has held. ``hold`` (counts, bars or seconds: ``"4b"``,
``"1bar"``, ``1.5``) keeps a pose or a gesture where it is for that long after ``at``.
"""

from __future__ import annotations

from typing import Any

from ..anatomy import JOINTS, LIMITS
from ..choreography import Gesture
from ..counts import AmountError, parse_amount
from ..cues import CueSheet
from ..errors import KeyPath, Kind, describe, did_you_mean
from ..reading import Checker
from .fields import check_number, check_time, unknown_keys

GESTURE_KEYS = ("at", "joints", "hold")


def is_gesture(kf: dict[str, Any]) -> bool:
    """A keyframe that names joints and no pose is a gesture."""
    return "joints" in kf and "pose" not in kf


def check_hold(chk: Checker, path: KeyPath, value: Any, t: float, sheet: CueSheet) -> float | None:
    """When a hold that starts at ``t`` ends (``t`` itself without one); None once reported."""
    if value is None:
        return t
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        chk.add(
            path, Kind.TYPE, f'expected a length like "4b", "1bar" or 1.5, got {describe(value)}'
        )
        return None
    try:
        amount = parse_amount(str(value))
    except AmountError as exc:
        chk.add(path, Kind.TIME, str(exc), 'write "4b" (beats), "1bar" or seconds')
        return None
    if amount.value <= 0:
        chk.add(path, Kind.RANGE, f"a hold must be longer than 0, got {value!r}")
        return None
    return amount.after(t, sheet)


def check_gesture(
    kf: dict[str, Any], path: KeyPath, sheet: CueSheet, lead_in: float | None, chk: Checker
) -> Gesture | None:
    """The gesture of ``kf``, reached from ``lead_in`` (the keyframe before it); None once
    every problem is reported."""
    before = chk.count
    unknown_keys(chk, kf, path, GESTURE_KEYS)
    t = check_time(chk, (*path, "at"), kf.get("at"), sheet, "when the gesture is reached")
    joints = kf.get("joints")
    named: list[tuple[int, float]] = []
    if not isinstance(joints, dict) or not joints:
        chk.add(
            (*path, "joints"),
            Kind.TYPE,
            f"expected a table of joint angles like {{ r_shoulder = 170 }}, got {describe(joints)}",
            expected="a table of joint angles",
        )
    else:
        for joint, angle in joints.items():
            if joint not in LIMITS:
                chk.add(
                    (*path, "joints", joint),
                    Kind.UNKNOWN_NAME,
                    f'unknown joint "{joint}"',
                    did_you_mean(joint, JOINTS),
                    subject=joint,
                )
                continue
            lo, hi = LIMITS[joint]
            if check_number(chk, (*path, "joints", joint), angle, lo, hi, "degrees"):
                named.append((JOINTS.index(joint), float(angle)))
    if lead_in is None:
        chk.add(path, Kind.ORDER, "a gesture needs a keyframe with a pose before it to lie over")
    end = check_hold(chk, (*path, "hold"), kf.get("hold"), t, sheet) if t is not None else None
    if chk.count > before or t is None or end is None or lead_in is None:
        return None
    if t <= lead_in:
        return Gesture(t, t, t, t, (), ())  # the caller reports the order
    named.sort()
    release = end + (t - lead_in)
    return Gesture(lead_in, t, end, release, tuple(j for j, _ in named), tuple(a for _, a in named))
