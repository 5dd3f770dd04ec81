"""``lead.toml`` and ``partner.toml``: a dancer's height, entrance and keyframes in time order."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from ..choreography import DancerScript, Gesture, Keyframe
from ..easing import NAMED, Ease
from ..errors import KeyPath, Kind, describe
from ..reading import Checker
from ..traits import traits_for
from .fields import check_number, check_time, unknown_keys
from .gesture import check_gesture, check_hold, is_gesture
from .keyframe import Known, check_keyframe

DANCER_KEYS = ("height", "enters")
HEIGHT_RANGE = (1.2, 2.2)
#: The height (m) of a dancer whose file gives none.
DEFAULT_HEIGHT = {"lead": 1.8, "partner": 1.65}


def check_dancer(
    name: str, data: dict[str, Any], known: Known, chk: Checker
) -> DancerScript | None:
    """The dancer's script, or None once every problem in the file is reported."""
    before = chk.count
    unknown_keys(chk, data, (), ("dancer", "keyframes"))
    head = data.get("dancer", {})
    if not isinstance(head, dict):
        chk.add(("dancer",), Kind.TYPE, "expected a [dancer] table with height and enters")
        head = {}
    unknown_keys(chk, head, ("dancer",), DANCER_KEYS)
    height = head.get("height", DEFAULT_HEIGHT.get(name, 1.65))
    if not check_number(chk, ("dancer", "height"), height, *HEIGHT_RANGE, "a height in meters"):
        height = 1.75
    enters = check_time(chk, ("dancer", "enters"), head.get("enters", 0.0), known.sheet)
    raw = data.get("keyframes")
    if not isinstance(raw, list) or not raw:
        what = "missing" if raw is None else f"got {describe(raw)}"
        chk.add(
            ("keyframes",),
            Kind.MISSING if raw is None else Kind.TYPE,
            f"expected a list of [[keyframes]] tables, {what}",
            expected="[[keyframes]] tables",
        )
        return None
    frames, eases, gestures = _keyframes(raw, known, chk)
    if chk.count > before or enters is None or not frames:
        return None
    script = DancerScript(
        name, float(height), enters, tuple(frames), tuple(eases), traits_for(name)
    )
    return replace(script, gestures=tuple(gestures))


def _keyframes(
    raw: list[Any], known: Known, chk: Checker
) -> tuple[list[Keyframe], list[Ease], list[Gesture]]:
    """The keyframes that are sound, each later than the one before (or than the end of its
    hold), with their easings; a held keyframe is followed by its copy where the hold ends.
    Gestures (keyframes of joints only) take their place in the order and are kept apart."""
    frames: list[Keyframe] = []
    eases: list[Ease] = []
    gestures: list[Gesture] = []
    last: _Last = (-math.inf, -1, "")
    for i, kf in enumerate(raw):
        path: KeyPath = ("keyframes", i)
        if not isinstance(kf, dict):
            chk.add(path, Kind.TYPE, f"expected a [[keyframes]] table, got {describe(kf)}")
            continue
        if is_gesture(kf):
            lead_in = last[0] if frames else None
            gesture = check_gesture(kf, path, known.sheet, lead_in, chk)
            if gesture is None:
                continue
            if not _in_order(gesture.t, kf.get("at"), last, path, chk):
                continue
            gestures.append(gesture)
            # the phrase goes on underneath: the next keyframe need only come after ``at``
            last = (gesture.t, i, as_written(kf.get("at"), gesture.t))
            continue
        found = check_keyframe(kf, path, known, frames[-1] if frames else None, chk)
        if found is None:
            continue
        keyframe, ease = found
        if not _in_order(keyframe.t, kf.get("at"), last, path, chk):
            continue
        hold = kf.get("hold")
        end = check_hold(chk, (*path, "hold"), hold, keyframe.t, known.sheet)
        if end is None:
            continue
        written = as_written(kf.get("at"), keyframe.t)
        if end > keyframe.t:
            written = f"where its hold ends: {written} + {hold} = {end:.2f} s"
        last = (end, i, written)
        frames.append(keyframe)
        eases.append(ease)
        if end > keyframe.t:
            frames.append(replace(keyframe, t=end, fall=False))
            eases.append(NAMED["linear"])
    return frames, eases, gestures


#: the time the next keyframe must come after, the index of the keyframe that set it, and
#: that time as the file writes it
_Last = tuple[float, int, str]


def _in_order(t: float, at: Any, last: _Last, path: KeyPath, chk: Checker) -> bool:
    """True if ``t`` comes after the keyframe before (the end of its hold); else reported with
    both times as written."""
    last_t, last_i, last_at = last
    if t > last_t:
        return True
    chk.add(
        (*path, "at"),
        Kind.ORDER,
        f"{as_written(at, t)} is not after keyframes[{last_i}] ({last_at})",
        "keyframes must be in time order, each later than the one before",
    )
    return False


def as_written(value: Any, t: float) -> str:
    """A time as the file writes it and in seconds, so an order error can be found by eye.

    >>> as_written("together+20.8", 140.8), as_written(12.5, 12.5)
    ('together+20.8 (140.80 s)', '12.50 s')
    """
    if isinstance(value, str) and value.strip() != f"{t:g}":
        return f"{value.strip()} ({t:.2f} s)"
    return f"{t:.2f} s"
