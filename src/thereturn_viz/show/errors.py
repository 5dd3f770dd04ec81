"""Problems in choreography files, as data a choreographer (and a program) can act on.

Every validator collects :class:`Problem` objects instead of raising at the first one, so that
``check`` can list everything that is wrong in one pass. A problem names the file, the key path
inside it (``partner.keyframes[12].pose``), the line when it can be found, its :class:`Kind`,
what was expected and a suggestion (for a misspelled name, the closest known one). Code that
needs to know more than the words (which cue was unknown, say) reads those fields, never the
message: the message is for people and may be reworded.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

KeyPath = tuple[str | int, ...]


class Kind(StrEnum):
    """What sort of thing is wrong: the same kind is fixed the same way wherever it occurs."""

    FILE = "file"  # the file itself: missing, unreadable, not text, too large, empty
    SYNTAX = "syntax"  # not TOML
    UNKNOWN_KEY = "unknown_key"  # a key the format does not have (a typo, most often)
    UNKNOWN_NAME = "unknown_name"  # a pose, joint, easing, effort word, kind, hand or facing
    UNKNOWN_CUE = "unknown_cue"  # a time naming a cue the sheet does not have
    MISSING = "missing"  # a key, table, cue or pose that must be there is not
    TYPE = "type"  # a value of the wrong type: a string where a number belongs
    RANGE = "range"  # a number outside its range, nan or infinite
    TIME = "time"  # a time that cannot be read, or falls outside the piece
    ORDER = "order"  # out of time order
    DUPLICATE = "duplicate"  # a name given twice
    CONFLICT = "conflict"  # two things that cannot both hold: overlaps, opposites, circles


@dataclass(frozen=True)
class Fault:
    """What is wrong with one value, before it is known where it was written.

    Parsers of values (times, efforts, easings) raise it inside a :class:`FaultError`; the
    validators place it in a file as a :class:`Problem`.
    """

    kind: Kind
    message: str
    expected: str = ""
    suggestion: str = ""
    #: the name or word at fault (an unknown cue's name), when there is one
    subject: str = ""

    def __str__(self) -> str:
        return f"{self.message} ({self.suggestion})" if self.suggestion else self.message


class FaultError(ValueError):
    """A value that cannot be read; ``fault`` says why, as data.

    >>> str(FaultError(Fault(Kind.UNKNOWN_CUE, 'unknown cue "knee"', "", 'did you mean "kneel"?')))
    'unknown cue "knee" (did you mean "kneel"?)'
    """

    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        super().__init__(str(fault))


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, what kind, what was expected, and how to fix it."""

    file: str
    key: str  # the key path as printed: partner.keyframes[12].pose ("" for the whole file)
    message: str
    suggestion: str = ""
    line: int = 0  # 1-based; 0 when unknown
    column: int = 0  # 1-based; 0 when unknown
    kind: Kind = Kind.FILE
    expected: str = ""
    #: the name or word at fault (an unknown cue's name), when there is one
    subject: str = ""
    path: KeyPath = ()  # the key path as data: ("keyframes", 12, "pose")

    @property
    def where(self) -> str:
        """``file:line:column`` as editors and terminals link it, as far as it is known."""
        place = self.file
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return place

    def text(self, where: str | None = None) -> str:
        """The problem on one line, ``where: key: message (suggestion)``; ``where`` is
        :attr:`where` unless given (a short form, for a screen)."""
        place = self.where if where is None else where
        head = f"{place}: {self.key}" if self.key else place
        text = f"{head}: {self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text

    def __str__(self) -> str:
        return self.text()


class ChoreographyError(Exception):
    """Raised with every problem found, never with just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known name closest to ``word``, if any is close enough to be what was meant.

    >>> closest("reach_hi", ["reach_high", "stand"]), closest("zzz", ["stand"])
    ('reach_high', None)
    """
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A suggestion naming the closest known name, or an empty string.

    >>> did_you_mean("reach_hi", ["reach_high", "stand"])
    'did you mean "reach_high"?'
    >>> did_you_mean("zzz", ["stand"])
    ''
    """
    near = closest(word, choices)
    return f'did you mean "{near}"?' if near is not None else ""


def describe(value: object) -> str:
    """A short, safe rendering of a value found in a file (never a screenful of junk).

    >>> describe(float("nan")), describe(True), describe("x" * 50)
    ('nan', 'true', '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value[:40] + ('..."' if len(value) > 40 else '"')
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."
