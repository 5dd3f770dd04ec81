"""Problems in choreography files, reported the way a choreographer can act on them.

Every loader collects :class:`Problem` objects instead of raising at the first one, so that
``check`` can list everything that is wrong in one pass. A problem names the file, the key path
inside it (``partner.keyframes[12].pose``), the line when it can be found, what was expected and,
for a misspelled name, the closest known one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, what was expected, and how to fix it."""

    file: str
    key: str
    message: str
    hint: str = ""
    line: int = 0  # 1-based; 0 when unknown
    column: int = 0  # 1-based; 0 when unknown

    @property
    def where(self) -> str:
        """``file:line:column`` as editors and terminals link it, as far as it is known."""
        place = self.file
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return place

    def __str__(self) -> str:
        where = f"{self.where}: {self.key}" if self.key else self.where
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ChoreographyError(Exception):
    """Raised with every problem found, never with just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known name, or an empty string.

    >>> did_you_mean("reach_hi", ["reach_high", "stand"])
    'did you mean "reach_high"?'
    >>> did_you_mean("zzz", ["stand"])
    ''
    """
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else ""


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


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")


def locate(text: str, path: Sequence[str | int]) -> int:
    """The 1-based line where a key path is written in TOML ``text``, or 0 if it is not found.

    ``path`` is a sequence of table names, array indexes and keys: ``("keyframes", 2, "pose")``
    is the ``pose`` key of the third ``[[keyframes]]`` table. It reads only the usual layout of
    our files (headers and ``key = value`` lines), which is all a pointer for a human needs.

    >>> doc = "[tempo]\\nbpm = 64\\n[[cue]]\\nname = 'a'\\n[[cue]]\\nname = 'b'\\nt = 3\\n"
    >>> locate(doc, ("tempo", "bpm")), locate(doc, ("cue", 1)), locate(doc, ("cue", 1, "t"))
    (2, 5, 7)
    >>> locate(doc, ("cue", 9))
    0
    """
    lines = text.splitlines()
    start, end = 0, _block_end(lines, 0)  # the block searched for keys: lines[start:end]
    table = ""
    found = 0
    i = 0
    parts = list(path)
    while i < len(parts):
        part = parts[i]
        index = parts[i + 1] if i + 1 < len(parts) and isinstance(parts[i + 1], int) else None
        name = f"{table}.{part}" if table else str(part)
        header_at = _find_header(lines, name, 0 if index is None else int(index))
        if header_at is not None:
            table = name
            found = header_at + 1
            start, end = header_at + 1, _block_end(lines, header_at + 1)
            i += 2 if index is not None else 1
            continue
        key_at = _find_key(lines, start, end, str(part))
        if key_at is None:
            return found
        return key_at + 1
    return found


def _find_header(lines: list[str], name: str, nth: int) -> int | None:
    seen = 0
    for n in range(len(lines)):
        m = _HEADER.match(lines[n])
        if m and m.group(1).replace(" ", "") == name:
            if seen == nth:
                return n
            seen += 1
    return None


def _block_end(lines: list[str], start: int) -> int:
    for n in range(start, len(lines)):
        if _HEADER.match(lines[n]):
            return n
    return len(lines)


def _find_key(lines: list[str], start: int, end: int, key: str) -> int | None:
    for n in range(start, end):
        if _HEADER.match(lines[n]):
            return None
        m = _ASSIGN.match(lines[n])
        if m and m.group(1).strip("\"'") == key:
            return n
    return None


@dataclass(frozen=True)
class Source:
    """One file's name and text, so that a key path can be turned into a line number."""

    file: str
    stem: str  # the prefix of every key path in this file: "partner" in partner.keyframes[3]
    text: str = ""

    def key(self, path: Sequence[str | int]) -> str:
        """The printed key path.

        >>> Source("partner.toml", "partner").key(("keyframes", 12, "pose"))
        'partner.keyframes[12].pose'
        """
        out = self.stem
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def problem(self, path: Sequence[str | int], message: str, hint: str = "") -> Problem:
        line = locate(self.text, path) if self.text and path else 0
        return Problem(self.file, self.key(path), message, hint, line)
