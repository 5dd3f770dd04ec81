"""Gallery hours (``kiosk --hours``): inside them the piece plays; outside them the screen is
black and the sound off, and the piece starts from the top when the doors open again.

The hours are written as rules, separated by ``;`` or by lines (in a file, ``#`` starts a
comment)::

    RULE  = [DAYS] SPANS                  no DAYS: every day
    DAYS  = DAY["-"DAY] {"," DAY["-"DAY]}  Mo Tu We Th Fr Sa Su; a range may wrap (Fr-Mo)
    SPANS = SPAN {"," SPAN}
    SPAN  = HH:MM"-"HH:MM                 00:00 to 24:00; an end before its start runs on
                                          past midnight into the next day

``Tu-Su 10:00-18:00``; ``Mo-Fr 09:00-17:00; Sa,Su 11:00-16:00``; ``Th 10:00-13:00,14:00-21:00``;
``Fr,Sa 20:00-02:00`` (Friday and Saturday nights). Times are the machine's local time. Pure:
the kiosk asks :meth:`Hours.is_open` with its own clock, so tests give it a fake one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .args import UsageError

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_MINUTES = 24 * 60
EXAMPLE = "e.g. Tu-Su 10:00-18:00"


class HoursError(UsageError):
    """Opening hours that cannot be read: the CLI prints the message and exits 2."""


@dataclass(frozen=True)
class Span:
    """Open from ``start`` to ``end``, minutes after midnight; ``end <= start`` runs past
    midnight into the next day."""

    start: int
    end: int

    @property
    def overnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class Rule:
    days: frozenset[int]  # 0 = Monday, as datetime.weekday()
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Hours:
    rules: tuple[Rule, ...]
    text: str  # as written, for the log

    def is_open(self, when: datetime) -> bool:
        """
        >>> h = parse_hours("Tu-Su 10:00-18:00")
        >>> h.is_open(datetime(2026, 12, 1, 9, 59)), h.is_open(datetime(2026, 12, 1, 10, 0))
        (False, True)
        >>> h.is_open(datetime(2026, 12, 1, 18, 0)), h.is_open(datetime(2026, 11, 30, 12, 0))
        (False, False)
        >>> late = parse_hours("Fr 20:00-02:00")  # Friday night into Saturday
        >>> late.is_open(datetime(2026, 12, 5, 1, 59)), late.is_open(datetime(2026, 12, 5, 2, 0))
        (True, False)
        """
        day, minute = when.weekday(), when.hour * 60 + when.minute
        yesterday = (day - 1) % 7
        for rule in self.rules:
            for span in rule.spans:
                if span.overnight:
                    if (day in rule.days and minute >= span.start) or (
                        yesterday in rule.days and minute < span.end
                    ):
                        return True
                elif day in rule.days and span.start <= minute < span.end:
                    return True
        return False

    def next_change(self, when: datetime) -> datetime | None:
        """When the doors next open (if closed at ``when``) or close (if open); None if never.

        >>> h = parse_hours("Tu-Su 10:00-18:00")
        >>> h.next_change(datetime(2026, 11, 30, 12, 0))  # a Monday
        datetime.datetime(2026, 12, 1, 10, 0)
        >>> parse_hours("00:00-24:00").next_change(datetime(2026, 11, 30, 12, 0)) is None
        True
        """
        now_open = self.is_open(when)
        bounds = {m % DAY_MINUTES for r in self.rules for s in r.spans for m in (s.start, s.end)}
        midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
        candidates = sorted(
            midnight + timedelta(days=d, minutes=m) for d in range(9) for m in bounds
        )
        return next((c for c in candidates if c > when and self.is_open(c) != now_open), None)


def describe(when: datetime) -> str:
    """A moment as the log and ``systemctl status`` say it: the day and the time.

    >>> describe(datetime(2026, 12, 1, 10, 0))
    'Tu 10:00'
    """
    return f"{DAYS[when.weekday()]} {when:%H:%M}"


def parse_hours(text: str) -> Hours:
    """Rules separated by ``;`` or lines, as the module's docstring says.

    >>> rules = parse_hours("Mo-Fr 09:00-17:00; Sa,Su 11:00-16:00").rules
    >>> sorted(rules[1].days), rules[1].spans
    ([5, 6], (Span(start=660, end=960),))
    >>> sorted(parse_hours("Fr-Mo 10:00-12:00").rules[0].days)
    [0, 4, 5, 6]
    >>> parse_hours("Tu-Sx 10:00-18:00")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    thereturn_viz.run.hours.HoursError: 'Tu-Sx': expected days Mo Tu We Th Fr Sa Su, a range ...
    >>> parse_hours("Tu-Su 10-18")
    Traceback (most recent call last):
    ...
    thereturn_viz.run.hours.HoursError: '10-18': expected a time span HH:MM-HH:MM, e.g. 10:00-18:00
    """
    rules = []
    for number, line in enumerate(text.splitlines() or [""], 1):
        try:
            rules += [_rule(r) for r in line.split("#", 1)[0].split(";") if r.strip()]
        except HoursError as exc:
            where = f"line {number}: " if len(text.splitlines()) > 1 else ""
            raise HoursError(f"{where}{exc}") from None
    if not rules:
        raise HoursError(f"no opening hours given: expected at least one rule, {EXAMPLE}")
    return Hours(tuple(rules), "; ".join(_plain(text)))


def read_hours(value: str, option: str = "--hours") -> Hours:
    """``--hours``: the rules themselves, or a file of them (one rule a line)."""
    path = Path(value)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise HoursError(f"{option} {value}: cannot read: {exc}") from None
        try:
            return parse_hours(text)
        except HoursError as exc:
            raise HoursError(f"{option} {value}: {exc}") from None
    if "/" in value or re.search(r"\.[A-Za-z]\w*$", value):  # a file's name, not hours
        raise HoursError(f"{option} {value}: no such file, and not opening hours ({EXAMPLE})")
    try:
        return parse_hours(value)
    except HoursError as exc:
        raise HoursError(f"{option} '{value}': {exc}") from None


def _plain(text: str) -> list[str]:
    rules = (r.strip() for ln in text.splitlines() for r in ln.split("#", 1)[0].split(";"))
    return [" ".join(r.split()) for r in rules if r]


def _rule(text: str) -> Rule:
    first_digit = re.search(r"\d", text)
    days_text = text[: first_digit.start()] if first_digit else text
    if first_digit is None:
        raise HoursError(f"'{text.strip()}': expected opening times after the days, {EXAMPLE}")
    spans_text = text[first_digit.start() :]
    days = _days("".join(days_text.split())) if days_text.strip() else frozenset(range(7))
    return Rule(days, tuple(_span(s) for s in "".join(spans_text.split()).split(",")))


def _days(text: str) -> frozenset[int]:
    names = {name.lower(): i for i, name in enumerate(DAYS)}
    days: set[int] = set()
    for item in text.split(","):
        ends = item.split("-")
        if len(ends) > 2 or not all(e.lower() in names for e in ends):
            raise HoursError(
                f"'{text}': expected days {' '.join(DAYS)}, a range (Tu-Su) or a list (Sa,Su)"
            )
        first, last = names[ends[0].lower()], names[ends[-1].lower()]
        days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
    return frozenset(days)


def _span(text: str) -> Span:
    m = re.fullmatch(r"(\d{1,2}):(\d\d)-(\d{1,2}):(\d\d)", text)
    if not m:
        raise HoursError(f"'{text}': expected a time span HH:MM-HH:MM, e.g. 10:00-18:00")
    h0, m0, h1, m1 = (int(g) for g in m.groups())
    start, end = h0 * 60 + m0, h1 * 60 + m1
    if m0 > 59 or m1 > 59 or start >= DAY_MINUTES or end > DAY_MINUTES:
        raise HoursError(f"'{text}': expected times from 00:00 to 24:00")
    if start == end:
        raise HoursError(
            f"'{text}': opens and closes at the same time (for all day and night write 00:00-24:00)"
        )
    return Span(start, end)
