"""Time expressions: one parser for files, the command line and the score.

Accepted forms: seconds (``12.5``), a cue (``lift_apex``), a cue with an offset
(``conversation+2.5``, ``kneel-2``), bars and beats through the tempo map (``bar 12 beat 3``,
``bar 12.3`` meaning bar 12 beat 3), and a bar/beat offset from a cue is not needed: write a cue.
"""

from __future__ import annotations

import math
import re

from .cues import CueSheet
from .errors import did_you_mean

_CUE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:([+-])\s*(\d+(?:\.\d*)?|\.\d+))?$")
_BAR = re.compile(r"^bar\s+(\d+)(?:\.(\d+))?(?:\s+beat\s+(\d+(?:\.\d*)?))?$", re.IGNORECASE)


class TimeError(ValueError):
    """A time expression that cannot be read; the message says what would be."""


def parse_time(expr: str | float | int, sheet: CueSheet) -> float:
    """Seconds from the start of the piece for ``expr``.

    >>> from thereturn_viz.show.cues import Cue, CueSheet, TempoMap
    >>> sheet = CueSheet((Cue("open", 0.0, ""), Cue("kneel", 347.0, "")), TempoMap(10.0, 60, 4))
    >>> parse_time("kneel+2", sheet), parse_time("kneel - 2", sheet), parse_time("7.5", sheet)
    (349.0, 345.0, 7.5)
    >>> parse_time("bar 2 beat 3", sheet), parse_time("bar 2.3", sheet)
    (16.0, 16.0)
    >>> parse_time("knee", sheet)
    Traceback (most recent call last):
    ...
    thereturn_viz.show.timing.TimeError: unknown cue "knee" (did you mean "kneel"?)
    """
    if isinstance(expr, bool):
        raise TimeError(f"expected a time, got {expr!r}")
    if isinstance(expr, int | float):
        value = float(expr)
    elif isinstance(expr, str):
        value = _parse_text(expr.strip(), sheet)
    else:
        raise TimeError(f"expected seconds or a time expression, got {type(expr).__name__}")
    if not math.isfinite(value):
        raise TimeError(f"time must be finite, got {expr!r}")
    return value


def _parse_text(text: str, sheet: CueSheet) -> float:
    if not text:
        raise TimeError("empty time expression")
    try:
        return float(text)
    except ValueError:
        pass
    bar = _BAR.match(text)
    if bar:
        beat = bar.group(3) or bar.group(2) or "1"
        return sheet.tempo.time_of(float(bar.group(1)), float(beat))
    cue = _CUE.match(text)
    if cue:
        name, sign, offset = cue.groups()
        if name not in sheet:
            hint = did_you_mean(name, sheet.names)
            raise TimeError(f'unknown cue "{name}"' + (f" ({hint})" if hint else ""))
        base = sheet.time_of(name)
        if sign:
            base += float(offset) if sign == "+" else -float(offset)
        return base
    raise TimeError(
        f'cannot read time "{text}": use seconds (12.5), a cue (lift_apex), '
        "a cue with an offset (lift_apex+2) or bars (bar 12 beat 3)"
    )


def format_clock(t: float) -> str:
    """``mm:ss.s``.

    >>> format_clock(83.25)
    '01:23.2'
    """
    minutes = int(t // 60)
    return f"{minutes:02d}:{t - minutes * 60:04.1f}"
