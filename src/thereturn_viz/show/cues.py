"""The cue sheet: the named moments of the piece, read from ``choreography/cues.toml``.

The cue sheet is the one place where story beats have times. Everything else refers to cues by
name, so moving a cue moves the choreography, the score, the light and the camera together. The
sheet also carries the tempo map, so that times can be written in bars and beats.
"""

from __future__ import annotations

import bisect
import math
import re
import stat
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import ChoreographyError, Problem, Source, describe, did_you_mean

#: The cues of STORY.md, in order. A sheet must contain exactly these.
STORY_CUES: tuple[str, ...] = (
    "open",
    "first_note",
    "second_note",
    "partner_enters",
    "eyes_meet",
    "conversation",
    "together",
    "heartbeat",
    "lift_begin",
    "lift_apex",
    "music_resumes",
    "after",
    "collapse",
    "kneel",
    "pan_out",
    "last_breath",
    "touch",
    "music_end",
    "end",
)

#: The longest piece a sheet may describe (s): beyond this a number is a typo, not a plan.
MAX_SECONDS = 36000.0
#: The files of a choreography folder.
FILES = ("cues.toml", "poses.toml", "lead.toml", "partner.toml", "duet.toml")
#: The largest choreography file read (the shipped ones are tens of kilobytes).
MAX_FILE_BYTES = 8_000_000
BPM_RANGE = (20.0, 240.0)
CUE_KEYS = ("name", "t", "about")
TEMPO_KEYS = ("origin", "bpm", "meter", "beats_per_bar", "change")
CHANGE_KEYS = ("at", "bpm", "meter", "beats_per_bar")
_EPS = 1e-9


@dataclass(frozen=True)
class Cue:
    name: str
    t: float
    about: str


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


@dataclass(frozen=True)
class CueSheet:
    cues: tuple[Cue, ...]
    tempo: TempoMap

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cues)

    @property
    def duration(self) -> float:
        """The time of the last cue (``end``): the length of the piece."""
        return self.cues[-1].t

    def time_of(self, name: str) -> float:
        for cue in self.cues:
            if cue.name == name:
                return cue.t
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.cues)

    def cue_at(self, t: float) -> str:
        """The name of the cue in force at ``t`` (the last one at or before it)."""
        times = [c.t for c in self.cues]
        i = bisect.bisect_right(times, t) - 1
        return self.cues[max(i, 0)].name

    def index_of(self, name: str) -> int:
        return self.names.index(name)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_problem(value: Any, lo: float, hi: float, unit: str) -> str:
    """What is wrong with ``value`` as a number in ``[lo, hi]``, or "" if nothing is.

    Each way of being wrong gets its own words: a choreographer fixes a NaN differently from a
    typo'd exponent or a string where a number belongs.

    >>> number_problem(float("nan"), 0, 1, "m"), number_problem(1e300, 0, 1, "m")
    ('expected m from 0 to 1, got nan (not a number)', 'expected m from 0 to 1, got 1e+300 (absurdly large)')

    TOML integers have no size limit, so one too large for a float is absurd, not a crash:

    >>> number_problem(10**400, 0, 1, "m")
    'expected m from 0 to 1, got a 401-digit number (absurdly large)'
    """  # noqa: E501
    expected = f"expected {unit} from {lo:g} to {hi:g}"
    if value is None:
        return f"missing: {expected}"
    if not _number(value):
        return f"{expected}, got {describe(value)} (not a number)"
    try:
        v = float(value)
    except OverflowError:
        return f"{expected}, got a {len(str(abs(value)))}-digit number (absurdly large)"
    if math.isnan(v):
        return f"{expected}, got nan (not a number)"
    if math.isinf(v):
        return f"{expected}, got {'-' if v < 0 else ''}inf (infinite)"
    if not lo <= v <= hi:
        size = " (absurdly large)" if abs(v) > 1e6 else ""
        return f"{expected}, got {value:g}{size}"
    return ""


def unknown_keys(
    src: Source, table: dict[str, Any], path: tuple[str | int, ...], known: tuple[str, ...]
) -> list[Problem]:
    """A problem for every key of ``table`` not in ``known``, with the closest known one."""
    return [
        src.problem(
            (*path, key),
            f'unknown key "{key}"',
            did_you_mean(key, known) or "expected one of: " + ", ".join(known),
        )
        for key in table
        if key not in known
    ]


def parse_cues(data: dict[str, Any], file: str, text: str = "") -> CueSheet:
    """Build a cue sheet from parsed TOML, collecting every problem."""
    sheet, problems = collect_cues(data, Source(file, "cues", text))
    if problems or sheet is None:
        raise ChoreographyError(problems)
    return sheet


def collect_cues(data: dict[str, Any], src: Source) -> tuple[CueSheet | None, list[Problem]]:
    """The sheet and every problem in it; the sheet is still usable (to check the other files)
    when only its tempo is wrong, and None when the cues themselves are."""
    problems: list[Problem] = unknown_keys(src, data, (), ("cue", "tempo"))
    raw = data.get("cue")
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        problems.append(
            src.problem(
                ("cue",),
                "expected a list of [[cue]] tables, each with name, t and about",
                "see docs/choreography.md",
            )
        )
        return None, problems
    cues: list[Cue] = []
    rows: list[int] = []  # the [[cue]] index of each cue read
    for i, entry in enumerate(raw):
        path: tuple[str | int, ...] = ("cue", i)
        problems += unknown_keys(src, entry, path, CUE_KEYS)
        name, t, about = entry.get("name"), entry.get("t"), entry.get("about", "")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            what = "missing" if name is None else f"got {describe(name)}"
            problems.append(
                src.problem((*path, "name"), f"expected a cue name (letters, digits, _), {what}")
            )
            continue
        bad = number_problem(t, 0.0, MAX_SECONDS, "seconds")
        if bad:
            problems.append(src.problem((*path, "t"), bad))
            continue
        if not isinstance(about, str):
            problems.append(
                src.problem((*path, "about"), f"expected a string, got {describe(about)}")
            )
            about = ""
        cues.append(Cue(name, float(t), about))
        rows.append(i)
    names = [c.name for c in cues]
    for i, cue in enumerate(cues):
        if names.index(cue.name) != i:
            problems.append(
                src.problem(("cue", rows[i], "name"), f'cue "{cue.name}" appears twice')
            )
        if i and cue.t < cues[i - 1].t:
            problems.append(
                src.problem(
                    ("cue", rows[i], "t"),
                    f'"{cue.name}" at {cue.t:g} s comes before "{cues[i - 1].name}" '
                    f"at {cues[i - 1].t:g} s",
                    "cues must be in time order",
                )
            )
    extra = [n for n in names if n not in STORY_CUES]
    for name in STORY_CUES:
        if name in names:
            continue
        hint = did_you_mean(name, extra)
        if len(cues) < len(raw) and not hint:
            continue  # perhaps it is the entry that could not be read: said there already
        # a misspelling is reported where it is written
        near = [n for n in extra if f'"{n}"' in hint]
        where: tuple[str | int, ...] = ("cue",)
        if near:
            where = ("cue", rows[names.index(near[0])], "name")
        problems.append(
            src.problem(
                where,
                f'missing the cue "{name}" of STORY.md',
                hint or "every cue of STORY.md must be in the sheet",
            )
        )
    if not problems and [n for n in names if n in STORY_CUES] != list(STORY_CUES):
        problems.append(
            src.problem(("cue",), "the cues of STORY.md are out of order", " -> ".join(STORY_CUES))
        )
    if not problems and names[-1] != "end":
        problems.append(src.problem(("cue", rows[-1], "name"), 'the last cue must be "end"'))
    if not problems and cues[-1].t <= 0.0:
        problems.append(src.problem(("cue", rows[-1], "t"), "the piece must last more than 0 s"))
    usable = not problems
    tempo, tempo_problems = _parse_tempo(data.get("tempo", {}), cues, src)
    problems += tempo_problems
    return (CueSheet(tuple(cues), tempo) if usable else None), problems


def stand_in_sheet(path: Path) -> CueSheet | None:
    """The cues of a broken sheet that could be read (each name once, in time order), to check
    the other files against, so that one mistake in ``cues.toml`` does not hide every other
    file's; None when not even that much can be read. Never a sheet to perform from.

    The tempo is left at its default (a broken tempo must not stop the check), and a sheet that
    lost its ``end`` ends as late as a sheet may, so nothing is reported after a lost end.
    """
    try:
        data, _src = read_source(path, "cues")
    except ChoreographyError:
        return None
    raw = data.get("cue")
    if not isinstance(raw, list):
        return None
    seen: dict[str, Cue] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        name, t = entry.get("name"), entry.get("t")
        if not isinstance(name, str) or name in seen or not isinstance(t, int | float):
            continue
        if not number_problem(t, 0.0, MAX_SECONDS, "s"):
            seen[name] = Cue(name, float(t), "")
    cues = sorted(seen.values(), key=lambda c: c.t)
    if not cues:
        return None
    if "end" not in seen:
        cues.append(Cue("end", MAX_SECONDS, ""))
    elif cues[-1].name != "end":
        cues = [c for c in cues if c.name != "end"] + [Cue("end", max(c.t for c in cues), "")]
    return CueSheet(tuple(cues), TempoMap())


def _parse_meter(
    raw: dict[str, Any], path: tuple[str | int, ...], src: Source, problems: list[Problem]
) -> int | None:
    """Beats per bar from ``meter = "3/4"`` or ``beats_per_bar = 3`` (None: not given)."""
    per_bar: int | None = None
    if "meter" in raw:
        meter = raw["meter"]
        m = None
        if isinstance(meter, str):
            m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(1|2|4|8|16)\s*", meter)
        if m is None or not 1 <= int(m.group(1)) <= 16:
            problems.append(
                src.problem(
                    (*path, "meter"),
                    f'expected a meter like "3/4" (1 to 16 beats), got {describe(meter)}',
                )
            )
        else:
            per_bar = int(m.group(1))
    if "beats_per_bar" in raw:
        value = raw["beats_per_bar"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 16:
            problems.append(
                src.problem(
                    (*path, "beats_per_bar"), f"expected 1 to 16 beats, got {describe(value)}"
                )
            )
        elif per_bar is not None and per_bar != value:
            problems.append(
                src.problem(
                    (*path, "beats_per_bar"),
                    f"{value} beats per bar disagrees with meter {raw['meter']!r}",
                    "give one of meter and beats_per_bar",
                )
            )
        else:
            per_bar = value
    return per_bar


def _parse_bpm(
    raw: dict[str, Any], path: tuple[str | int, ...], src: Source, problems: list[Problem]
) -> float | None:
    if "bpm" not in raw:
        return None
    bad = number_problem(raw["bpm"], *BPM_RANGE, "beats per minute")
    if bad:
        problems.append(src.problem((*path, "bpm"), bad))
        return None
    return float(raw["bpm"])


def _parse_tempo(raw: Any, cues: list[Cue], src: Source) -> tuple[TempoMap, list[Problem]]:
    from .timing import TimeError, parse_time  # timing reads cue sheets: import it late

    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return TempoMap(), [src.problem(("tempo",), "expected a [tempo] table")]
    problems += unknown_keys(src, raw, ("tempo",), TEMPO_KEYS)
    bpm = _parse_bpm(raw, ("tempo",), src, problems) or 64.0
    per_bar = _parse_meter(raw, ("tempo",), src, problems) or 3
    sheet = CueSheet(tuple(cues), TempoMap())
    origin = 0.0
    origin_raw = raw.get("origin", 0.0)
    if isinstance(origin_raw, str) and origin_raw.strip().lower().startswith("bar"):
        problems.append(src.problem(("tempo", "origin"), "bars count from the origin: use a cue"))
    elif isinstance(origin_raw, str | int | float) and not isinstance(origin_raw, bool):
        try:
            origin = parse_time(origin_raw, sheet)
        except TimeError as exc:
            problems.append(src.problem(("tempo", "origin"), str(exc)))
    else:
        problems.append(
            src.problem(
                ("tempo", "origin"), f"expected a cue or seconds, got {describe(origin_raw)}"
            )
        )
    tempo = TempoMap(origin, bpm, per_bar)
    changes = raw.get("change", [])
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        problems.append(src.problem(("tempo", "change"), "expected [[tempo.change]] tables"))
        changes = []
    for i, change in enumerate(changes):
        path: tuple[str | int, ...] = ("tempo", "change", i)
        problems += unknown_keys(src, change, path, CHANGE_KEYS)
        before = len(problems)
        new_bpm = _parse_bpm(change, path, src, problems)
        new_per_bar = _parse_meter(change, path, src, problems)
        if len(problems) > before:
            continue
        if new_bpm is None and new_per_bar is None:
            problems.append(src.problem(path, "a change needs a new bpm, meter or both"))
            continue
        at = change.get("at")
        bar: int | None = None
        if isinstance(at, int) and not isinstance(at, bool):
            bar = at
        elif isinstance(at, str) and (m := re.fullmatch(r"\s*bar\s+(\d+)\s*", at, re.I)):
            bar = int(m.group(1))
        last = tempo.spans[-1]
        if bar is not None:
            if bar <= last.bar:
                problems.append(
                    src.problem(
                        (*path, "at"),
                        f"bar {bar} is not after the previous change (bar {last.bar})",
                    )
                )
                continue
            end = cues[-1].t if cues else MAX_SECONDS
            if bar > last.bar + MAX_SECONDS or tempo.time_of(bar) > end:
                shown = f"bar {bar}" if bar < 10**9 else f"a {len(str(bar))}-digit bar"
                problems.append(
                    src.problem((*path, "at"), f"{shown} starts after the end ({end:g} s)")
                )
                continue
            tempo = tempo.change_at_bar(bar, new_bpm, new_per_bar)
            continue
        if not isinstance(at, str | float) or isinstance(at, bool):
            what = "missing" if at is None else f"got {describe(at)}"
            problems.append(
                src.problem((*path, "at"), f'expected a bar (12, "bar 12") or a cue, {what}')
            )
            continue
        try:
            t = parse_time(at, sheet)
        except TimeError as exc:
            problems.append(src.problem((*path, "at"), str(exc)))
            continue
        if not last.t < t <= (cues[-1].t if cues else MAX_SECONDS):
            problems.append(
                src.problem(
                    (*path, "at"),
                    f"{t:g} s is not between the previous change ({last.t:g} s) and the end",
                    "changes come in time order, after the origin",
                )
            )
            continue
        tempo = tempo.change_at_time(t, new_bpm, new_per_bar)
    return tempo, problems


def read_source(path: Path, stem: str | None = None) -> tuple[dict[str, Any], Source]:
    """Read a TOML file, turning every way it can fail into a :class:`ChoreographyError`."""
    file = str(path)
    src = Source(file, stem or path.stem)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would hang or never end
            raise ChoreographyError(
                [Problem(file, "", "not a regular file (a pipe or a device?)", "use a TOML file")]
            )
        if info.st_size > MAX_FILE_BYTES:
            raise ChoreographyError(
                [
                    Problem(
                        file,
                        "",
                        f"{info.st_size / 1e6:.0f} MB: too large for a choreography file",
                        f"these are text files of {MAX_FILE_BYTES // 1_000_000} MB at most",
                    )
                ]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        near = ""
        if path.parent.is_dir():  # a file of the folder misnamed, not another one it needs
            others = [p.name for p in path.parent.iterdir() if p.name not in FILES]
            near = did_you_mean(path.name, others)
        raise ChoreographyError(
            [Problem(file, "", "file not found", near or f"the folder needs a {path.name}")]
        ) from None
    except IsADirectoryError:
        raise ChoreographyError([Problem(file, "", "is a folder, expected a TOML file")]) from None
    except OSError as exc:
        raise ChoreographyError(
            [Problem(file, "", f"cannot read: {exc.strerror or exc}", "check its permissions")]
        ) from None
    if b"\x00" in raw[:4096]:
        raise ChoreographyError(
            [Problem(file, "", "binary data, not text", "is this the right file?")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark, as some editors write: TOML does not allow one
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ChoreographyError(
            [Problem(file, "", f"not UTF-8 text (byte {exc.start})", "save it as UTF-8", line)]
        ) from None
    if not text.strip():
        raise ChoreographyError([Problem(file, "", "the file is empty")])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChoreographyError([_syntax_problem(file, exc)]) from None
    except RecursionError:
        raise ChoreographyError([Problem(file, "", "TOML nested too deeply")]) from None
    except ValueError as exc:  # Python refuses to read an integer of thousands of digits
        m = re.search(r"\d{1000,}", text)
        line = text[: m.start()].count("\n") + 1 if m else 0
        raise ChoreographyError(
            [Problem(file, "", f"an absurd number: {exc}".split(";")[0], "", line)]
        ) from None
    return data, Source(file, src.stem, text)


def _syntax_problem(file: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error with its line and column, in the words of the parser."""
    text = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    line = getattr(exc, "lineno", None) or (int(m.group(1)) if m else 0)
    column = getattr(exc, "colno", None) or (int(m.group(2)) if m else 0)
    message = getattr(exc, "msg", None) or re.sub(
        r"\s*\(at (line \d+, column \d+|end of document)\)", "", text
    )
    return Problem(file, "", f"TOML syntax error: {message}", "", line, column)


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning every way it can fail into a :class:`ChoreographyError`."""
    return read_source(path)[0]


def load_cues(path: Path) -> CueSheet:
    data, src = read_source(path, "cues")
    return parse_cues(data, src.file, src.text)


def collect_cue_file(path: Path) -> tuple[CueSheet | None, list[Problem]]:
    """:func:`collect_cues` for a file: a sheet usable by the other files, and every problem."""
    try:
        data, src = read_source(path, "cues")
    except ChoreographyError as exc:
        return None, list(exc.problems)
    return collect_cues(data, src)
