"""Reading a choreography file: every way it can fail becomes a :class:`Problem`, never a crash.

A file is read only if it is a regular file of reasonable size (a pipe would wait forever,
``/dev/zero`` never ends), decoded as UTF-8 (a byte-order mark forgiven) and parsed as TOML. What
is read keeps its text, so that a problem found later at a key path can be given its line.
:class:`Checker` is how the validators collect what they find in one file.
"""

from __future__ import annotations

import bisect
import re
import stat
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import ChoreographyError, Fault, KeyPath, Kind, Problem, did_you_mean

#: The files of a choreography folder.
FILES = ("cues.toml", "poses.toml", "lead.toml", "partner.toml", "duet.toml")
#: The largest choreography file read (the shipped ones are tens of kilobytes).
MAX_FILE_BYTES = 8_000_000

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
    return Layout(text).locate(path)


class Layout:
    """Where the headers and keys of one TOML text are, found in one pass over its lines, so
    that placing many problems in one file costs each a lookup, not a read of the whole file
    (8,000 unknown keys took 37 s when each problem re-read the file)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.header_lines: list[int] = []  # every header's line index, in order
        self.headers: dict[str, list[int]] = {}  # a table's name -> the lines of its headers
        for n, line in enumerate(self.lines):
            m = _HEADER.match(line)
            if m:
                self.header_lines.append(n)
                self.headers.setdefault(m.group(1).replace(" ", ""), []).append(n)
        self._keys: dict[int, dict[str, int]] = {}  # a block's first line -> its keys' lines

    def _block_end(self, start: int) -> int:
        i = bisect.bisect_left(self.header_lines, start)
        return self.header_lines[i] if i < len(self.header_lines) else len(self.lines)

    def _key(self, start: int, key: str) -> int | None:
        keys = self._keys.get(start)
        if keys is None:
            keys = {}
            for n in range(start, self._block_end(start)):
                m = _ASSIGN.match(self.lines[n])
                if m:
                    keys.setdefault(m.group(1).strip("\"'"), n)
            self._keys[start] = keys
        return keys.get(key)

    def locate(self, path: Sequence[str | int]) -> int:
        """:func:`locate` in this text."""
        start = 0
        table = ""
        found = 0
        i = 0
        parts = list(path)
        while i < len(parts):
            part = parts[i]
            index = parts[i + 1] if i + 1 < len(parts) and isinstance(parts[i + 1], int) else None
            name = f"{table}.{part}" if table else str(part)
            at = self.headers.get(name, [])
            nth = 0 if index is None else int(index)
            if 0 <= nth < len(at):
                table = name
                found = at[nth] + 1
                start = at[nth] + 1
                i += 2 if index is not None else 1
                continue
            key_at = self._key(start, str(part))
            return found if key_at is None else key_at + 1
        return found


@dataclass(frozen=True)
class Source:
    """One file's name and text, so that a key path can be turned into a line number."""

    file: str
    stem: str  # the prefix of every key path in this file: "partner" in partner.keyframes[3]
    text: str = ""

    @cached_property
    def layout(self) -> Layout:
        """The text's headers and keys, found once for all the problems placed in it."""
        return Layout(self.text)

    def key(self, path: Sequence[str | int]) -> str:
        """The printed key path.

        >>> Source("partner.toml", "partner").key(("keyframes", 12, "pose"))
        'partner.keyframes[12].pose'
        """
        out = self.stem
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def place(self, path: Sequence[str | int], fault: Fault) -> Problem:
        """``fault`` found at ``path`` of this file, with its line when it can be found."""
        line = self.layout.locate(path) if self.text and path else 0
        return Problem(
            self.file,
            self.key(path),
            fault.message,
            fault.suggestion,
            line,
            kind=fault.kind,
            expected=fault.expected,
            subject=fault.subject,
            path=tuple(path),
        )


@dataclass
class Checker:
    """What the validators found in one file, added to the list shared by a whole folder (whose
    order ``check`` prints)."""

    source: Source
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: KeyPath,
        kind: Kind,
        message: str,
        suggestion: str = "",
        *,
        expected: str = "",
        subject: str = "",
    ) -> None:
        self.fault(path, Fault(kind, message, expected, suggestion, subject))

    def fault(self, path: KeyPath, fault: Fault) -> None:
        self.problems.append(self.source.place(path, fault))

    @property
    def count(self) -> int:
        """How many problems are known so far: a validator compares it before and after a part
        to tell whether that part was sound."""
        return len(self.problems)


def _file_problem(file: str, message: str, suggestion: str = "", line: int = 0) -> Problem:
    return Problem(file, "", message, suggestion, line, kind=Kind.FILE)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of a sensible size."""
    file = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would hang or never end
            raise ChoreographyError(
                [_file_problem(file, "not a regular file (a pipe or a device?)", "use a TOML file")]
            )
        if info.st_size > MAX_FILE_BYTES:
            raise ChoreographyError(
                [
                    _file_problem(
                        file,
                        f"{info.st_size / 1e6:.0f} MB: too large for a choreography file",
                        f"these are text files of {MAX_FILE_BYTES // 1_000_000} MB at most",
                    )
                ]
            )
        return path.read_bytes()
    except FileNotFoundError:
        near = ""
        if path.parent.is_dir():  # a file of the folder misnamed, not another one it needs
            others = [p.name for p in path.parent.iterdir() if p.name not in FILES]
            near = did_you_mean(path.name, others)
        raise ChoreographyError(
            [_file_problem(file, "file not found", near or f"the folder needs a {path.name}")]
        ) from None
    except IsADirectoryError:
        raise ChoreographyError(
            [_file_problem(file, "is a folder, expected a TOML file")]
        ) from None
    except OSError as exc:
        raise ChoreographyError(
            [_file_problem(file, f"cannot read: {exc.strerror or exc}", "check its permissions")]
        ) from None


def _decode(file: str, raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise ChoreographyError(
            [_file_problem(file, "binary data, not text", "is this the right file?")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark, as some editors write: TOML does not allow one
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ChoreographyError(
            [_file_problem(file, f"not UTF-8 text (byte {exc.start})", "save it as UTF-8", line)]
        ) from None
    if not text.strip():
        raise ChoreographyError([_file_problem(file, "the file is empty")])
    return text


def _parse(file: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChoreographyError([_syntax_problem(file, exc)]) from None
    except RecursionError:
        raise ChoreographyError([_file_problem(file, "TOML nested too deeply")]) from None
    except ValueError as exc:  # Python refuses to read an integer of thousands of digits
        m = re.search(r"\d{1000,}", text)
        line = text[: m.start()].count("\n") + 1 if m else 0
        message = f"an absurd number: {exc}".split(";")[0]
        raise ChoreographyError([Problem(file, "", message, "", line, kind=Kind.RANGE)]) from None


def _syntax_problem(file: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error with its line and column, in the words of the parser.

    The parser of Python 3.11 to 3.13 gives them only inside its message (newer ones give them
    as fields too): that text is the TOML library's, not ours, so it is read here.
    """
    text = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    line = getattr(exc, "lineno", None) or (int(m.group(1)) if m else 0)
    column = getattr(exc, "colno", None) or (int(m.group(2)) if m else 0)
    message = getattr(exc, "msg", None) or re.sub(
        r"\s*\(at (line \d+, column \d+|end of document)\)", "", text
    )
    return Problem(file, "", f"TOML syntax error: {message}", "", line, column, kind=Kind.SYNTAX)


def read_source(path: Path, stem: str | None = None) -> tuple[dict[str, Any], Source]:
    """A TOML file's tables and its :class:`Source`; every way it can fail is a
    :class:`ChoreographyError`. ``stem`` starts the file's key paths (its name by default)."""
    file = str(path)
    text = _decode(file, _read_bytes(path))
    return _parse(file, text), Source(file, stem or path.stem, text)
