"""Problems in choreography files, reported the way a choreographer can act on them.

Every loader collects :class:`Problem` objects instead of raising at the first one, so that
``check`` can list everything that is wrong in one pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, what was expected, and how to fix it."""

    file: str
    key: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
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
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else ""
