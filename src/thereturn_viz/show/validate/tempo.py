"""The ``[tempo]`` table of ``cues.toml``: bpm, meter, the origin of bar 1 and later changes."""

from __future__ import annotations

import re
from typing import Any

from ..cues import MAX_SECONDS, Cue, CueSheet
from ..errors import KeyPath, Kind, describe
from ..reading import Checker
from ..tempo import TempoMap
from ..timing import TimeError, parse_time
from .fields import number_fault, unknown_keys

BPM_RANGE = (20.0, 240.0)
TEMPO_KEYS = ("origin", "bpm", "meter", "beats_per_bar", "change")
CHANGE_KEYS = ("at", "bpm", "meter", "beats_per_bar")
_METER = re.compile(r"\s*(\d{1,2})\s*/\s*(1|2|4|8|16)\s*")
_AT_BAR = re.compile(r"\s*bar\s+(\d+)\s*", re.I)


def check_tempo(raw: Any, cues: list[Cue], chk: Checker) -> TempoMap:
    """The tempo map, reporting every problem; what is wrong is left at its default."""
    if not isinstance(raw, dict):
        chk.add(("tempo",), Kind.TYPE, "expected a [tempo] table")
        return TempoMap()
    unknown_keys(chk, raw, ("tempo",), TEMPO_KEYS)
    bpm = _bpm(raw, ("tempo",), chk) or 64.0
    per_bar = _meter(raw, ("tempo",), chk) or 3
    sheet = CueSheet(tuple(cues), TempoMap())
    tempo = TempoMap(_origin(raw.get("origin", 0.0), sheet, chk), bpm, per_bar)
    changes = raw.get("change", [])
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        chk.add(("tempo", "change"), Kind.TYPE, "expected [[tempo.change]] tables")
        changes = []
    end = cues[-1].t if cues else MAX_SECONDS
    for i, change in enumerate(changes):
        tempo = _change(change, ("tempo", "change", i), tempo, sheet, end, chk)
    return tempo


def _origin(value: Any, sheet: CueSheet, chk: Checker) -> float:
    path: KeyPath = ("tempo", "origin")
    if isinstance(value, str) and value.strip().lower().startswith("bar"):
        chk.add(path, Kind.TIME, "bars count from the origin: use a cue")
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            return parse_time(value, sheet)
        except TimeError as exc:
            chk.fault(path, exc.fault)
    else:
        chk.add(path, Kind.TYPE, f"expected a cue or seconds, got {describe(value)}")
    return 0.0


def _meter(raw: dict[str, Any], path: KeyPath, chk: Checker) -> int | None:
    """Beats per bar from ``meter = "3/4"`` or ``beats_per_bar = 3`` (None: not given)."""
    per_bar: int | None = None
    if "meter" in raw:
        meter = raw["meter"]
        m = _METER.fullmatch(meter) if isinstance(meter, str) else None
        if m is None or not 1 <= int(m.group(1)) <= 16:
            chk.add(
                (*path, "meter"),
                Kind.TYPE if m is None else Kind.RANGE,
                f'expected a meter like "3/4" (1 to 16 beats), got {describe(meter)}',
                expected='a meter like "3/4"',
            )
        else:
            per_bar = int(m.group(1))
    if "beats_per_bar" in raw:
        value = raw["beats_per_bar"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 16:
            chk.add(
                (*path, "beats_per_bar"),
                Kind.RANGE,
                f"expected 1 to 16 beats, got {describe(value)}",
                expected="1 to 16 beats",
            )
        elif per_bar is not None and per_bar != value:
            chk.add(
                (*path, "beats_per_bar"),
                Kind.CONFLICT,
                f"{value} beats per bar disagrees with meter {raw['meter']!r}",
                "give one of meter and beats_per_bar",
            )
        else:
            per_bar = value
    return per_bar


def _bpm(raw: dict[str, Any], path: KeyPath, chk: Checker) -> float | None:
    if "bpm" not in raw:
        return None
    fault = number_fault(raw["bpm"], *BPM_RANGE, "beats per minute")
    if fault is not None:
        chk.fault((*path, "bpm"), fault)
        return None
    return float(raw["bpm"])


def _change(
    change: dict[str, Any],
    path: KeyPath,
    tempo: TempoMap,
    sheet: CueSheet,
    end: float,
    chk: Checker,
) -> TempoMap:
    """``tempo`` with one ``[[tempo.change]]`` more, or as it was if that one is wrong."""
    unknown_keys(chk, change, path, CHANGE_KEYS)
    before = chk.count
    bpm = _bpm(change, path, chk)
    per_bar = _meter(change, path, chk)
    if chk.count > before:
        return tempo
    if bpm is None and per_bar is None:
        chk.add(path, Kind.MISSING, "a change needs a new bpm, meter or both")
        return tempo
    at = change.get("at")
    bar: int | None = None
    if isinstance(at, int) and not isinstance(at, bool):
        bar = at
    elif isinstance(at, str) and (m := _AT_BAR.fullmatch(at)):
        bar = int(m.group(1))
    if bar is not None:
        return _change_at_bar(bar, bpm, per_bar, (*path, "at"), tempo, end, chk)
    return _change_at_time(at, bpm, per_bar, (*path, "at"), tempo, sheet, end, chk)


def _change_at_bar(
    bar: int,
    bpm: float | None,
    per_bar: int | None,
    path: KeyPath,
    tempo: TempoMap,
    end: float,
    chk: Checker,
) -> TempoMap:
    last = tempo.spans[-1]
    if bar <= last.bar:
        message = f"bar {bar} is not after the previous change (bar {last.bar})"
        chk.add(path, Kind.ORDER, message)
        return tempo
    if bar > last.bar + MAX_SECONDS or tempo.time_of(bar) > end:
        shown = f"bar {bar}" if bar < 10**9 else f"a {len(str(bar))}-digit bar"
        chk.add(path, Kind.TIME, f"{shown} starts after the end ({end:g} s)")
        return tempo
    return tempo.change_at_bar(bar, bpm, per_bar)


def _change_at_time(
    at: Any,
    bpm: float | None,
    per_bar: int | None,
    path: KeyPath,
    tempo: TempoMap,
    sheet: CueSheet,
    end: float,
    chk: Checker,
) -> TempoMap:
    if not isinstance(at, str | float) or isinstance(at, bool):
        what = "missing" if at is None else f"got {describe(at)}"
        chk.add(
            path,
            Kind.MISSING if at is None else Kind.TYPE,
            f'expected a bar (12, "bar 12") or a cue, {what}',
            expected='a bar (12, "bar 12") or a cue',
        )
        return tempo
    try:
        t = parse_time(at, sheet)
    except TimeError as exc:
        chk.fault(path, exc.fault)
        return tempo
    last = tempo.spans[-1]
    if not last.t < t <= end:
        chk.add(
            path,
            Kind.ORDER,
            f"{t:g} s is not between the previous change ({last.t:g} s) and the end",
            "changes come in time order, after the origin",
        )
        return tempo
    return tempo.change_at_time(t, bpm, per_bar)
