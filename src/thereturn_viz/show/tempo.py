"""The tempo map: bars and beats against seconds, across changes of tempo and meter.

Written in ``cues.toml`` beside the cues, so that a time in a choreography file can be given in
bars (``bar 12 beat 3``) and a change of tempo can start at a cue, as the music does.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, replace

_EPS = 1e-9


@dataclass(frozen=True)
class TempoSpan:
    """A stretch of constant tempo: from time ``t``, whose downbeat is bar number ``bar``."""

    t: float
    bar: int
    bpm: float
    beats_per_bar: int

    @property
    def beat_seconds(self) -> float:
        return 60.0 / self.bpm


@dataclass(frozen=True)
class TempoMap:
    """Bars and beats: ``bpm`` beats per minute, ``beats_per_bar``, bar 1 at ``origin`` s.

    ``changes`` are later spans (a new tempo or meter from a bar, or from a cue). A change at a
    cue that falls inside a bar cuts that bar short: the cue starts the next bar, so that the bar
    grid after a change lines up with the cue, as the music does. Before ``origin`` bars count
    down from 0. ``origin``, ``bpm``, ``beats_per_bar`` and ``beat_seconds`` are the first span's.
    """

    origin: float = 0.0
    bpm: float = 64.0
    beats_per_bar: int = 3
    changes: tuple[TempoSpan, ...] = ()

    @property
    def beat_seconds(self) -> float:
        return 60.0 / self.bpm

    @property
    def meter(self) -> str:
        return f"{self.beats_per_bar}/4"

    @property
    def spans(self) -> tuple[TempoSpan, ...]:
        return (TempoSpan(self.origin, 1, self.bpm, self.beats_per_bar), *self.changes)

    def span_at(self, t: float) -> TempoSpan:
        """The span in force at time ``t`` (the first one before the origin)."""
        spans = self.spans
        i = bisect.bisect_right([s.t for s in spans], t + _EPS) - 1
        return spans[max(i, 0)]

    def _span_of_bar(self, bar: float) -> TempoSpan:
        spans = self.spans
        i = bisect.bisect_right([s.bar for s in spans], bar + _EPS) - 1
        return spans[max(i, 0)]

    def time_of(self, bar: float, beat: float = 1.0) -> float:
        """Seconds at ``bar`` (1-based) and ``beat`` (1-based).

        >>> TempoMap(origin=10.0, bpm=60, beats_per_bar=4).time_of(2, 3)
        16.0
        >>> slower = TempoMap(10.0, 60, 4).change_at_bar(3, bpm=30, beats_per_bar=2)
        >>> slower.time_of(3), slower.time_of(4, 2)
        (18.0, 24.0)
        """
        span = self._span_of_bar(bar)
        beats = (bar - span.bar) * span.beats_per_bar + (beat - 1.0)
        return span.t + beats * span.beat_seconds

    def bar_beat(self, t: float) -> tuple[int, float]:
        """The (bar, beat) at time ``t``; before the origin bars count down from 0.

        >>> TempoMap(origin=10.0, bpm=60, beats_per_bar=4).bar_beat(16.5)
        (2, 3.5)
        >>> TempoMap(10.0, 60, 4).change_at_time(15.0, bpm=120, beats_per_bar=3).bar_beat(16.0)
        (3, 3.0)
        """
        span = self.span_at(t)
        beats = (t - span.t) / span.beat_seconds
        k = math.floor(beats / span.beats_per_bar + _EPS)
        beat = max(beats - k * span.beats_per_bar, 0.0)
        return span.bar + k, round(beat + 1.0, 6)

    def label(self, t: float) -> str:
        """``bar.beat`` (whole beats) as the cue list and the debug overlay print it.

        >>> TempoMap(origin=10.0, bpm=60, beats_per_bar=4).label(16.5), TempoMap(10.0).label(3)
        ('2.3', '-')
        """
        if t < self.origin - _EPS:
            return "-"
        bar, beat = self.bar_beat(t)
        return f"{bar}.{math.floor(beat + _EPS)}"

    def change_at_bar(
        self, bar: int, bpm: float | None = None, beats_per_bar: int | None = None
    ) -> TempoMap:
        """This map with a new tempo and/or meter from the downbeat of ``bar``."""
        last = self._span_of_bar(bar)
        span = TempoSpan(
            self.time_of(bar), bar, bpm or last.bpm, beats_per_bar or last.beats_per_bar
        )
        return replace(self, changes=(*self.changes, span))

    def change_at_time(
        self, t: float, bpm: float | None = None, beats_per_bar: int | None = None
    ) -> TempoMap:
        """This map with a new tempo and/or meter from time ``t``, which starts a new bar."""
        last = self.span_at(t)
        bar, beat = self.bar_beat(t)
        if beat > 1.0 + 1e-6:
            bar += 1
        span = TempoSpan(t, bar, bpm or last.bpm, beats_per_bar or last.beats_per_bar)
        return replace(self, changes=(*self.changes, span))

    def after_beats(self, t: float, beats: float) -> float:
        """The time ``beats`` beats after ``t`` (before it when negative), across tempo changes.

        Counted as the music counts them: each beat as long as the tempo in force makes it.

        >>> TempoMap(0.0, 60, 4).after_beats(1.5, 2), TempoMap(0.0, 60, 4).after_beats(3.0, -4)
        (3.5, -1.0)
        >>> TempoMap(0.0, 60, 2).change_at_bar(3, bpm=120).after_beats(3.0, 3)
        5.0
        """
        starts = [s.t for s in self.spans[1:]]  # where a new tempo begins
        while abs(beats) > _EPS:
            if beats > 0:
                span = self.span_at(t)
                i = bisect.bisect_right(starts, t + _EPS)
                edge = starts[i] if i < len(starts) else math.inf
            else:
                span = self.span_at(t - 2 * _EPS)  # the span that ends at t, if one starts there
                edge = span.t if span.t > self.origin + _EPS else -math.inf
            end = t + beats * span.beat_seconds
            if (end <= edge + _EPS) if beats > 0 else (end >= edge - _EPS):
                return end
            beats -= (edge - t) / span.beat_seconds
            t = edge
        return t

    def after_bars(self, t: float, bars: float) -> float:
        """The time ``bars`` bars after ``t``: each bar as many beats as its meter has there.

        >>> TempoMap(0.0, 60, 3).after_bars(1.0, 2), TempoMap(0.0, 60, 3).after_bars(1.0, 0.5)
        (7.0, 2.5)
        >>> TempoMap(0.0, 60, 2).change_at_bar(2, beats_per_bar=4).after_bars(0.0, -1), TempoMap(
        ...     0.0, 60, 2).change_at_bar(2, beats_per_bar=4).after_bars(0.0, 2)
        (-2.0, 6.0)
        """
        whole = math.floor(abs(bars))
        sign = 1 if bars >= 0 else -1
        for _ in range(whole):
            probe = t if sign > 0 else t - 2 * _EPS
            t = self.after_beats(t, sign * self.span_at(probe).beats_per_bar)
        rest = abs(bars) - whole
        if rest > _EPS:
            probe = t if sign > 0 else t - 2 * _EPS
            t = self.after_beats(t, sign * rest * self.span_at(probe).beats_per_bar)
        return t

    def downbeats(self, t0: float, t1: float) -> list[float]:
        """Times of every downbeat in ``[t0, t1)``, across tempo changes.

        >>> TempoMap(0.0, 60, 2).change_at_bar(3, bpm=120).downbeats(0.0, 6.0)
        [0.0, 2.0, 4.0, 5.0]
        """
        bar, beat = self.bar_beat(t0)
        if beat > 1.0 + 1e-6:
            bar += 1
        out: list[float] = []
        while (t := self.time_of(bar)) < t1 - _EPS:
            if t >= t0 - _EPS:
                out.append(t)
            bar += 1
        return out
