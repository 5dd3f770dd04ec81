"""Checks shared by every file: numbers in a range, keys the format knows, times in the piece."""

from __future__ import annotations

import math
from typing import Any

from ..cues import CueSheet
from ..errors import Fault, KeyPath, Kind, describe, did_you_mean
from ..reading import Checker
from ..timing import TimeError, parse_time


def is_number(value: Any) -> bool:
    """A TOML integer or float (a boolean is neither, though Python counts it as one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_fault(value: Any, lo: float, hi: float, unit: str) -> Fault | None:
    """What is wrong with ``value`` as a number in ``[lo, hi]``, or None if nothing is.

    Each way of being wrong gets its own words: a choreographer fixes a NaN differently from a
    typo'd exponent or a string where a number belongs.

    >>> str(number_fault(float("nan"), 0, 1, "m")), str(number_fault(1e300, 0, 1, "m"))
    ('expected m from 0 to 1, got nan (not a number)', 'expected m from 0 to 1, got 1e+300 (absurdly large)')

    TOML integers have no size limit, so one too large for a float is absurd, not a crash:

    >>> str(number_fault(10**400, 0, 1, "m")), number_fault(0.5, 0, 1, "m")
    ('expected m from 0 to 1, got a 401-digit number (absurdly large)', None)
    """  # noqa: E501
    wanted = f"{unit} from {lo:g} to {hi:g}"
    expected = f"expected {wanted}"
    if value is None:
        return Fault(Kind.MISSING, f"missing: {expected}", wanted)
    if not is_number(value):
        return Fault(Kind.TYPE, f"{expected}, got {describe(value)} (not a number)", wanted)
    try:
        v = float(value)
    except OverflowError:
        digits = len(str(abs(value)))
        return Fault(
            Kind.RANGE, f"{expected}, got a {digits}-digit number (absurdly large)", wanted
        )
    if math.isnan(v):
        return Fault(Kind.RANGE, f"{expected}, got nan (not a number)", wanted)
    if math.isinf(v):
        return Fault(Kind.RANGE, f"{expected}, got {'-' if v < 0 else ''}inf (infinite)", wanted)
    if not lo <= v <= hi:
        size = " (absurdly large)" if abs(v) > 1e6 else ""
        return Fault(Kind.RANGE, f"{expected}, got {value:g}{size}", wanted)
    return None


def check_number(
    chk: Checker, path: KeyPath, value: Any, lo: float, hi: float, unit: str, suggestion: str = ""
) -> bool:
    """Report ``value`` at ``path`` unless it is a number in ``[lo, hi]``; True if it is."""
    fault = number_fault(value, lo, hi, unit)
    if fault is None:
        return True
    chk.add(path, fault.kind, fault.message, suggestion, expected=fault.expected)
    return False


def unknown_keys(
    chk: Checker, table: dict[str, Any], path: KeyPath, known: tuple[str, ...]
) -> None:
    """A problem for every key of ``table`` not in ``known``, with the closest known one."""
    for key in table:
        if key not in known:
            chk.add(
                (*path, key),
                Kind.UNKNOWN_KEY,
                f'unknown key "{key}"',
                did_you_mean(key, known) or "expected one of: " + ", ".join(known),
                expected="one of: " + ", ".join(known),
                subject=key,
            )


def check_time(
    chk: Checker, path: KeyPath, value: Any, sheet: CueSheet, what: str = "a time"
) -> float | None:
    """The time ``value`` names, in seconds within the piece; None once it is reported."""
    if value is None:
        chk.add(
            path,
            Kind.MISSING,
            f"missing: {what} (seconds, a cue, cue+2 or bar 12 beat 3)",
            expected=what,
        )
        return None
    if not isinstance(value, str) and not is_number(value):
        message = f"expected {what} (seconds or a cue expression), got {describe(value)}"
        chk.add(path, Kind.TYPE, message, expected=what)
        return None
    try:
        t = parse_time(value, sheet)
    except TimeError as exc:
        chk.fault(path, exc.fault)
        return None
    if not 0.0 <= t <= sheet.duration:
        shown = f"{t:.3g} s (absurd)" if abs(t) > 1e6 else f"{t:.2f} s"
        side = "before the start" if t < 0 else 'after "end"'
        message = f"{shown} is {side}: the piece runs from 0 to {sheet.duration:g} s"
        chk.add(path, Kind.TIME, message, expected=f"a time from 0 to {sheet.duration:g} s")
        return None
    return t
