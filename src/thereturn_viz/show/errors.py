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
import math
from collections.abc import Iterable, Iterator
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


#: How alike a word and a known name must be (difflib's ratio) to be offered as a suggestion.
CUTOFF = 0.6
#: The most known names one suggestion is sought among: those nearest the word in length (only
#: they can reach :data:`CUTOFF`). Bounds the cost of a suggestion in a file of thousands of
#: names, where one per unknown word against all of them made ``check`` quadratic.
POOL = 400


class Names:
    """Known names, indexed once by length, each word's suggestion remembered: a file with
    thousands of unknown names against thousands of known ones stays linear.

    >>> names = Names(["reach_high", "stand"]); names.closest("reach_hi"), names.closest("zzz")
    ('reach_high', None)
    """

    def __init__(self, names: Iterable[object]) -> None:
        self.names = tuple(dict.fromkeys(str(n) for n in names))
        self._by_length: dict[int, list[str]] = {}
        for name in self.names:
            self._by_length.setdefault(len(name), []).append(name)
        self._memo: dict[str, str | None] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self._by_length.get(len(name), ()) if isinstance(name, str) else False

    def closest(self, word: str) -> str | None:
        if word not in self._memo:
            self._memo[word] = _closest(word, self._pool(word))
        return self._memo[word]

    def _pool(self, word: str) -> list[str]:
        """The names whose length lets them reach the cutoff (a ratio is at most
        2 min(a, b) / (a + b)), nearest in length first, at most :data:`POOL` of them."""
        n = len(word)
        lo, hi = math.ceil(n * CUTOFF / (2 - CUTOFF)), math.floor(n * (2 - CUTOFF) / CUTOFF)
        lengths = sorted(range(lo, hi + 1), key=lambda m: (abs(m - n), m))
        pool: list[str] = []
        for m in lengths:
            pool.extend(self._by_length.get(m, ()))
            if len(pool) >= POOL:
                return pool[:POOL]
        return pool


def _closest(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=CUTOFF)
    return close[0] if close else None


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known name closest to ``word``, if any is close enough to be what was meant (a
    :class:`Names` answers from its index).

    >>> closest("reach_hi", ["reach_high", "stand"]), closest("zzz", ["stand"])
    ('reach_high', None)
    """
    if isinstance(choices, Names):
        return choices.closest(word)
    return _closest(word, [str(c) for c in choices])


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
