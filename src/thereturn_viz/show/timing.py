"""Time expressions: one parser for the files, the command line and the score.

Accepted forms, all measured in seconds from the start of the piece:

- seconds: ``12.5``, or a clock as ``cues`` prints it: ``01:23.5``
- a cue: ``lift_apex``; a cue with an offset in seconds: ``conversation+2.5``, ``kneel - 2``
- bars and beats through the sheet's tempo map: ``bar 12`` (its downbeat), ``bar 12 beat 3``,
  ``bar 12.3`` (the same), ``bar 12 beat 2.5`` (half way through beat 2)
- counts from a cue, as a dancer counts them: ``together+8b`` (eight beats after the cue),
  ``together+2bar`` (two bars), ``lift_apex-1.5b``, ``together+2bar+3b``; each beat as long as
  the tempo in force there makes it. Seconds may be mixed in: ``together+2bar+0.25``.
- counts on the music: ``together+8c`` is eight beats after the cue, then on the nearest beat
  of the tempo map. A cue may fall between beats; a count never does, so an arrival written in
  counts lands on the music (``together+8b`` keeps the cue's place within its beat).

Anything else is a :class:`TimeError` whose message says what would have been understood, and
whose ``fault`` says the same as data (an unknown cue's name is its ``subject``).
"""

from __future__ import annotations

import math
import re

from .cues import CueSheet
from .errors import Fault, FaultError, Kind, closest

#: A number as a time expression writes it, and the units it may follow (seconds, beats, bars,
#: counts on the music); show/counts.py reads and rewrites the same terms.
NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
TIME_UNIT = r"(?:bars?|beats?|b|counts?|c|s)"
_TERM = re.compile(rf"\s*([+-])\s*({NUMBER})\s*({TIME_UNIT})?", re.IGNORECASE)
_CUE = re.compile(
    rf"^([A-Za-z_][A-Za-z0-9_]*)((?:\s*[+-]\s*{NUMBER}\s*{TIME_UNIT}?)*)$", re.IGNORECASE
)
_BAR = re.compile(r"^bar\s*(\d+)(?:\.(\d+))?(?:\s+beat\s*(\d+(?:\.\d*)?))?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d+):([0-5]?\d(?:\.\d*)?)$")
_FORMS = (
    "use seconds (12.5), a cue (lift_apex), a cue with an offset (lift_apex+2) "
    "bars (bar 12 beat 3, bar 12.3) or counts from a cue (together+8b, together+8c, together+2bar)"
)
_FORMS_SHORT = "seconds, a cue, a cue with an offset, bars or counts (together+8b)"


class TimeError(FaultError):
    """A time expression that cannot be read; the message says what would be."""

    def __init__(
        self, message: str, kind: Kind = Kind.TIME, suggestion: str = "", subject: str = ""
    ) -> None:
        super().__init__(Fault(kind, message, _FORMS_SHORT, suggestion, subject))


def parse_time(expr: str | float | int, sheet: CueSheet) -> float:
    """Seconds from the start of the piece for ``expr``.

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> sheet = CueSheet((Cue("open", 0.0, ""), Cue("kneel", 347.0, "")), TempoMap(10.0, 60, 4))
    >>> parse_time("kneel+2", sheet), parse_time("kneel - 2", sheet), parse_time("7.5", sheet)
    (349.0, 345.0, 7.5)
    >>> parse_time("kneel+4.5", sheet), parse_time(12, sheet), parse_time("01:02.5", sheet)
    (351.5, 12.0, 62.5)
    >>> parse_time("bar 2 beat 3", sheet), parse_time("bar 2.3", sheet), parse_time("bar 2", sheet)
    (16.0, 16.0, 14.0)
    >>> parse_time("kneel-2b", sheet), parse_time("kneel+1bar", sheet)
    (345.0, 351.0)
    >>> parse_time("kneel+1bar+2b", sheet)
    353.0
    >>> parse_time("kneel+1bar-0.5", sheet), parse_time("kneel + 2 beats", sheet)
    (350.5, 349.0)
    >>> parse_time("kneel+0.4+2c", sheet), parse_time("kneel+0.6-1c", sheet)
    (349.0, 347.0)
    >>> parse_time("knee", sheet)
    Traceback (most recent call last):
    ...
    thereturn_viz.show.timing.TimeError: unknown cue "knee" (did you mean "kneel"?)
    >>> parse_time(10**400, sheet)
    Traceback (most recent call last):
    ...
    thereturn_viz.show.timing.TimeError: expected a time, got a 401-digit number
    >>> try:
    ...     parse_time("bar 2 beat 5", sheet)
    ... except TimeError as e:
    ...     print(e.fault.message, e.fault.suggestion, sep=": ")
    "bar 2 beat 5": bar 2 has 4 beats (1 to 4.999): did you mean "bar 3 beat 1"?
    """
    if isinstance(expr, bool):
        raise TimeError(f"expected a time, got {str(expr).lower()}", Kind.TYPE)
    if isinstance(expr, int | float):
        try:
            value = float(expr)
        except OverflowError:  # a TOML integer has no size limit
            digits = len(str(abs(expr)))
            raise TimeError(f"expected a time, got a {digits}-digit number", Kind.RANGE) from None
    elif isinstance(expr, str):
        value = _parse_text(expr.strip(), sheet)
    else:
        raise TimeError(
            f"expected seconds or a time expression, got {type(expr).__name__}", Kind.TYPE
        )
    if not math.isfinite(value):
        raise TimeError(f"time must be a finite number of seconds, got {expr!r}", Kind.RANGE)
    return value


def _parse_text(text: str, sheet: CueSheet) -> float:
    if not text:
        raise TimeError("empty time expression: " + _FORMS)
    if len(text) > 80:
        raise TimeError(f'cannot read time "{text[:40]}...": ' + _FORMS)
    if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        return float(text)
    clock = _CLOCK.match(text)
    if clock:
        return int(clock.group(1)) * 60.0 + float(clock.group(2))
    bar = _BAR.match(text)
    if bar:
        return _bar_time(text, int(bar.group(1)), bar.group(3) or bar.group(2) or "1", sheet)
    if text.lower().startswith("bar"):
        raise TimeError(
            f'cannot read "{text}": write bars as "bar 12", "bar 12 beat 3" or "bar 12.3"'
        )
    cue = _CUE.match(text)
    if cue:
        name, terms = cue.groups()
        if name not in sheet:
            near = closest(name, sheet.names)
            hint = f'did you mean "{near}"?' if near is not None else ""
            raise TimeError(f'unknown cue "{name}"', Kind.UNKNOWN_CUE, hint, name)
        t = sheet.time_of(name)
        for sign, number, unit in _TERM.findall(terms):
            amount = float(number) if sign == "+" else -float(number)
            t = _counted(t, amount, unit.lower(), sheet)
        return t
    if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*[+-]", text):
        mended = mend_counts(text)
        raise TimeError(
            f'cannot read the offset in "{text}": write seconds (+2.5), beats (+8b), counts on '
            "the beat (+8c) or bars (+2bar), each with its sign, e.g. together+2bar+3b",
            suggestion=f'did you mean "{mended}"?' if mended else "",
        )
    raise TimeError(f'cannot read time "{text}": ' + _FORMS)


def mend_counts(text: str) -> str:
    """What a cue's offset most likely meant, or "" when no guess reads: doubled signs made one,
    a missing sign between terms put back, an unknown unit read as beats or counts.

    >>> mend_counts("together++2c"), mend_counts("together+2bar3b"), mend_counts("together+8x")
    ('together+2c', 'together+2bar+3b', 'together+8c')
    >>> mend_counts("together+8bb"), mend_counts("together+8 beets"), mend_counts("together+")
    ('together+8b', 'together+8b', '')
    """
    name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text)
    if name is None:
        return ""
    rest = re.sub(r"\s+", "", text[name.end() :])
    rest = re.sub(r"([+-])[+-]+", r"\1", rest)
    terms = re.findall(rf"([+-]?)({NUMBER})([A-Za-z]*)", rest)
    if not terms or "".join(a + b + c for a, b, c in terms) != rest:
        return ""
    out = name.group(0)
    for i, (sign, number, unit) in enumerate(terms):
        if not sign and i == 0:
            return ""
        low = unit.lower()
        if low and not re.fullmatch(TIME_UNIT, low):
            low = "bar" if low.startswith("bar") else "b" if low.startswith("b") else "c"
        out += (sign or "+") + number + low
    return out if _CUE.match(out) else ""


def _counted(t: float, amount: float, unit: str, sheet: CueSheet) -> float:
    """``t`` moved by ``amount`` seconds (no unit or ``s``), beats or bars of the tempo map."""
    if unit.startswith("bar"):
        return sheet.tempo.after_bars(t, amount)
    if unit.startswith("c"):
        return on_beat(sheet.tempo.after_beats(t, amount), sheet)
    if unit.startswith("b"):
        return sheet.tempo.after_beats(t, amount)
    return t + amount


def on_beat(t: float, sheet: CueSheet) -> float:
    """The beat of the tempo map nearest ``t`` (a count, as the dancers land on it).

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> sheet = CueSheet((Cue("open", 0.0, ""),), TempoMap(0.5, 60, 3))
    >>> on_beat(3.2, sheet), on_beat(3.9, sheet), on_beat(0.2, sheet)
    (3.5, 3.5, 0.5)
    """
    span = sheet.tempo.span_at(t)
    phase = ((t - span.t) / span.beat_seconds) % 1.0
    step = -phase if phase < 0.5 else 1.0 - phase
    return round(sheet.tempo.after_beats(t, step), 9)


def _bar_time(text: str, bar: int, beat_text: str, sheet: CueSheet) -> float:
    beat = float(beat_text)
    per_bar = sheet.tempo.span_at(sheet.tempo.time_of(bar)).beats_per_bar
    if not 1.0 <= beat < per_bar + 1.0:
        over = beat >= per_bar + 1.0
        beyond = sheet.tempo.bar_beat(sheet.tempo.after_beats(sheet.tempo.time_of(bar), beat - 1))
        hint = f'did you mean "bar {beyond[0]} beat {beyond[1]:g}"?' if over else ""
        raise TimeError(
            f'"{text}": bar {bar} has {per_bar} beats (1 to {per_bar}.999)', suggestion=hint
        )
    return sheet.tempo.time_of(bar, beat)


def format_clock(t: float) -> str:
    """``mm:ss.s``, as the cue list prints times (and :func:`parse_time` reads them back).

    >>> format_clock(83.25), format_clock(59.96)
    ('01:23.2', '01:00.0')
    """
    tenths = round(t * 10)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes:02d}:{rest / 10:04.1f}"
