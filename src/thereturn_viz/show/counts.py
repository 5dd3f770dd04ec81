"""Moving a time expression by an amount while keeping the way it was written.

A choreographer writes ``together+8b``; moved by two beats it should read ``together+10b``, not
a number of seconds, and moved back it should read ``together+8b`` again, byte for byte. So an
amount in the same unit as the expression's last term is added to that term (a term that comes
to zero is removed), and any other amount is appended as a term of its own. Terms apply in
order (see :mod:`.timing`), so the moved expression means exactly "the old time, then the
amount". Plain seconds, clocks and bars are moved through the tempo map and written back in
their own form.

A count on the music (``together+16c``, on the beat nearest sixteen beats after the cue) is a
unit of its own: a shift by beats is appended to it (``together+16c+2b``, on a beat still) and
taken off again, so the round trip is exact. An amount is not given in counts: snapping to a beat
cannot be undone, so ``-2c`` after ``+2c`` would not give every time back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .cues import CueSheet
from .timing import NUMBER, TIME_UNIT, parse_time

#: An amount's units: seconds, beats, bars (not counts: landing on a beat cannot be undone).
_UNIT = r"(?:bars?|beats?|b|s)"
_LAST = re.compile(rf"([+-])\s*({NUMBER})\s*({TIME_UNIT})?\s*$", re.IGNORECASE)
_CUED = re.compile(
    rf"^[A-Za-z_][A-Za-z0-9_]*(?:\s*[+-]\s*{NUMBER}\s*{TIME_UNIT}?)*$", re.IGNORECASE
)
_AMOUNT = re.compile(rf"^\s*([+-]?)\s*({NUMBER})\s*({_UNIT})?\s*$", re.IGNORECASE)
_COUNTS = re.compile(rf"^\s*[+-]?\s*{NUMBER}\s*(?:counts?|c)\s*$", re.IGNORECASE)
_SUFFIX = {"s": "", "b": "b", "bar": "bar"}


class AmountError(ValueError):
    """An amount that is not a signed number of seconds, beats or bars."""


@dataclass(frozen=True)
class Amount:
    """How far to move: ``value`` in ``unit`` (``"s"``, ``"b"`` or ``"bar"``)."""

    value: float
    unit: str

    def __neg__(self) -> Amount:
        return Amount(-self.value, self.unit)

    def __str__(self) -> str:
        return ("+" if self.value >= 0 else "-") + _number(abs(self.value)) + _SUFFIX[self.unit]

    def after(self, t: float, sheet: CueSheet) -> float:
        """``t`` moved by this amount through the sheet's tempo map."""
        if self.unit == "bar":
            return sheet.tempo.after_bars(t, self.value)
        if self.unit == "b":
            return sheet.tempo.after_beats(t, self.value)
        return t + self.value


def parse_amount(text: str) -> Amount:
    """An amount as the commands take it: ``+2b``, ``-1bar``, ``2 beats``, ``0.5`` (seconds).

    >>> parse_amount("+2b"), parse_amount("-1 bar"), parse_amount("1.5")
    (Amount(value=2.0, unit='b'), Amount(value=-1.0, unit='bar'), Amount(value=1.5, unit='s'))
    >>> parse_amount("two")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    thereturn_viz.show.counts.AmountError: cannot read amount "two": write +2b, ...
    >>> parse_amount("+2c")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    thereturn_viz.show.counts.AmountError: cannot move by counts ("+2c"): write beats (+2b), ...
    """
    match = _AMOUNT.match(text)
    if not match and _COUNTS.match(text):
        raise AmountError(
            f'cannot move by counts ("{text.strip()}"): write beats (+2b), which keep a count on '
            "its beat and can be taken back"
        )
    if not match:
        raise AmountError(f'cannot read amount "{text}": write +2b, -1bar or 0.5 (seconds)')
    sign, number, unit = match.groups()
    value = float(number) * (-1.0 if sign == "-" else 1.0)
    if not math.isfinite(value):
        raise AmountError(f'amount "{text}" is not a finite number')
    return Amount(value, _unit(unit or ""))


def _unit(text: str) -> str:
    text = text.lower()
    if text.startswith("c"):
        return "c"
    if text.startswith("bar"):
        return "bar"
    if text.startswith("b"):
        return "b"
    return "s"


def _number(value: float, decimals: int = 0) -> str:
    """``value`` without a trailing zero or exponent, with at least ``decimals`` decimals.

    >>> _number(21.8), _number(3.0), _number(2.5, 2), _number(1e-9)
    ('21.8', '3', '2.50', '0')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    have = len(text.split(".")[1]) if "." in text else 0
    if decimals > have:
        text += ("." if have == 0 else "") + "0" * (decimals - have)
    return text


def shift_text(text: str, by: Amount, sheet: CueSheet) -> str | float:
    """``text`` (a time expression of the files) moved by ``by``, written as it was written.

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> sheet = CueSheet((Cue("open", 0.0, ""), Cue("kneel", 30.0, "")), TempoMap(10.0, 60, 4))
    >>> two, back = Amount(2, "b"), Amount(-2, "b")
    >>> shift_text("kneel+8b", two, sheet), shift_text("kneel", back, sheet)
    ('kneel+10b', 'kneel-2b')
    >>> shift_text("kneel+20.8", two, sheet), shift_text("kneel+20.8+2b", back, sheet)
    ('kneel+20.8+2b', 'kneel+20.8')
    >>> shift_text("kneel+1.50", Amount(1, "s"), sheet)
    'kneel+2.50'
    >>> shift_text("bar 3 beat 2", Amount(1, "bar"), sheet)
    'bar 4 beat 2'
    >>> shift_text("kneel+16c", two, sheet), shift_text("kneel+16c+2b", back, sheet)
    ('kneel+16c+2b', 'kneel+16c')
    >>> shift_text("kneel+16c-0.25", Amount(0.5, "s"), sheet)
    'kneel+16c+0.25'
    """
    stripped = text.strip()
    if not _CUED.match(stripped):
        return _shift_plain(text, by, sheet)
    last = _LAST.search(stripped)
    if last is None or _unit(last.group(3) or "") != by.unit:
        return stripped + str(by)
    sign, number, unit = last.groups()
    value = float(number) * (-1.0 if sign == "-" else 1.0) + by.value
    head = stripped[: last.start()].rstrip()
    if abs(value) < 1e-9:
        return head
    decimals = len(number.split(".")[1]) if "." in number else 0
    return f"{head}{'+' if value > 0 else '-'}{_number(abs(value), decimals)}{unit or ''}"


def _shift_plain(text: str, by: Amount, sheet: CueSheet) -> str | float:
    """Seconds, a clock or bars: the moved time in the same form (a clock as seconds)."""
    t = by.after(parse_time(text, sheet), sheet)
    if text.strip().lower().startswith("bar"):
        bar, beat = sheet.tempo.bar_beat(t)
        return f"bar {bar}" if abs(beat - 1.0) < 1e-6 else f"bar {bar} beat {_number(beat)}"
    return round(t, 6)


def shift_value(value: str | float, by: Amount, sheet: CueSheet) -> str | float:
    """A time as the files hold it (a string or a number of seconds) moved by ``by``."""
    if isinstance(value, str):
        return shift_text(value, by, sheet)
    moved = round(by.after(float(value), sheet), 6)
    if isinstance(value, int) and moved == int(moved):
        return int(moved)
    return moved
