"""The cue sheet: the named moments of the piece, read from ``choreography/cues.toml``.

The cue sheet is the one place where story beats have times. Everything else refers to cues by
name, so moving a cue moves the choreography, the score, the light and the camera together.
"""

from __future__ import annotations

import bisect
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ChoreographyError, Problem

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


@dataclass(frozen=True)
class Cue:
    name: str
    t: float
    about: str


@dataclass(frozen=True)
class TempoMap:
    """Bars and beats: ``bpm`` beats per minute, ``beats_per_bar``, counted from ``origin`` s."""

    origin: float = 0.0
    bpm: float = 64.0
    beats_per_bar: int = 3

    @property
    def beat_seconds(self) -> float:
        return 60.0 / self.bpm

    def time_of(self, bar: float, beat: float = 1.0) -> float:
        """Seconds at ``bar`` (1-based) and ``beat`` (1-based).

        >>> TempoMap(origin=10.0, bpm=60, beats_per_bar=4).time_of(2, 3)
        16.0
        """
        beats = (bar - 1.0) * self.beats_per_bar + (beat - 1.0)
        return self.origin + beats * self.beat_seconds

    def bar_beat(self, t: float) -> tuple[int, float]:
        """The (bar, beat) at time ``t``; before the origin bars count down from 0.

        >>> TempoMap(origin=10.0, bpm=60, beats_per_bar=4).bar_beat(16.5)
        (2, 3.5)
        """
        beats = (t - self.origin) / self.beat_seconds
        bar = math.floor(beats / self.beats_per_bar)
        beat = beats - bar * self.beats_per_bar
        return bar + 1, round(beat + 1.0, 6)


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


def parse_cues(data: dict[str, Any], file: str) -> CueSheet:
    """Build a cue sheet from parsed TOML, collecting every problem."""
    problems: list[Problem] = []
    raw = data.get("cue")
    if not isinstance(raw, list) or not raw:
        raise ChoreographyError(
            [Problem(file, "cue", "expected a list of [[cue]] tables", "see docs/choreography.md")]
        )
    cues: list[Cue] = []
    for i, entry in enumerate(raw):
        key = f"cue[{i}]"
        if not isinstance(entry, dict):
            problems.append(Problem(file, key, "expected a table with name, t and about"))
            continue
        name, t, about = entry.get("name"), entry.get("t"), entry.get("about", "")
        if not isinstance(name, str) or not name:
            problems.append(Problem(file, f"{key}.name", "expected a cue name (a string)"))
            continue
        if (
            not isinstance(t, int | float)
            or isinstance(t, bool)
            or not (math.isfinite(t) and 0.0 <= t <= 36000.0)
        ):
            problems.append(
                Problem(file, f"{key}.t", f"expected seconds from 0 to 36000, got {t!r}")
            )
            continue
        if not isinstance(about, str):
            problems.append(Problem(file, f"{key}.about", "expected a string"))
            about = ""
        cues.append(Cue(name, float(t), about))
    names = [c.name for c in cues]
    for i, cue in enumerate(cues):
        if names.count(cue.name) > 1 and names.index(cue.name) != i:
            problems.append(Problem(file, f"cue[{i}].name", f'cue "{cue.name}" appears twice'))
        if i and cue.t < cues[i - 1].t:
            problems.append(
                Problem(
                    file,
                    f"cue[{i}].t",
                    f'"{cue.name}" at {cue.t} s comes before "{cues[i - 1].name}" '
                    f"at {cues[i - 1].t} s",
                    "cues must be in time order",
                )
            )
    missing = [n for n in STORY_CUES if n not in names]
    if missing and not problems:
        problems.append(
            Problem(file, "cue", f"missing cues: {', '.join(missing)}", "every cue of STORY.md")
        )
    if not problems and [n for n in names if n in STORY_CUES] != list(STORY_CUES):
        problems.append(Problem(file, "cue", "the cues of STORY.md are out of order"))
    tempo, tempo_problems = _parse_tempo(data.get("tempo", {}), cues, file)
    problems.extend(tempo_problems)
    if problems:
        raise ChoreographyError(problems)
    return CueSheet(tuple(cues), tempo)


def _parse_tempo(raw: Any, cues: list[Cue], file: str) -> tuple[TempoMap, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return TempoMap(), [Problem(file, "tempo", "expected a [tempo] table")]
    bpm = raw.get("bpm", 64.0)
    if not _number(bpm) or not 20.0 <= float(bpm) <= 240.0:
        problems.append(Problem(file, "tempo.bpm", f"expected 20 to 240 beats/min, got {bpm!r}"))
        bpm = 64.0
    per_bar = raw.get("beats_per_bar", 3)
    if not isinstance(per_bar, int) or isinstance(per_bar, bool) or not 1 <= per_bar <= 16:
        problems.append(Problem(file, "tempo.beats_per_bar", f"expected 1 to 16, got {per_bar!r}"))
        per_bar = 3
    origin_raw = raw.get("origin", 0.0)
    origin = 0.0
    if isinstance(origin_raw, str):
        found = [c.t for c in cues if c.name == origin_raw]
        if found:
            origin = found[0]
        else:
            problems.append(Problem(file, "tempo.origin", f'unknown cue "{origin_raw}"'))
    elif isinstance(origin_raw, int | float) and math.isfinite(origin_raw):
        origin = float(origin_raw)
    else:
        problems.append(Problem(file, "tempo.origin", "expected a cue name or seconds"))
    return TempoMap(origin, float(bpm), per_bar), problems


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning every way it can fail into a :class:`ChoreographyError`."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ChoreographyError([Problem(file, "", "file not found")]) from None
    except OSError as exc:
        raise ChoreographyError([Problem(file, "", f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ChoreographyError(
            [Problem(file, "", f"not UTF-8 text (byte {exc.start})", "is this a binary file?")]
        ) from None
    if not text.strip():
        raise ChoreographyError([Problem(file, "", "the file is empty")])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChoreographyError([Problem(file, "", f"TOML syntax error: {exc}")]) from None


def load_cues(path: Path) -> CueSheet:
    return parse_cues(read_toml(path), str(path))
