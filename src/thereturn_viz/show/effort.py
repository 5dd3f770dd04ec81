"""Effort: the quality of a movement, in words a choreographer uses, as control numbers.

Words follow Laban's effort factors: weight (``light``/``strong``), time
(``sustained``/``sudden``), flow (``free``/``bound``) and space (``direct``/``indirect``).
``stiffness`` scales how hard a joint is pulled toward its target, ``speed`` how fast it may move.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Fault, FaultError, Kind, closest

WORDS: dict[str, tuple[float, float]] = {
    # word: (stiffness factor, speed factor)
    "light": (0.7, 1.0),
    "strong": (1.5, 1.0),
    "sustained": (1.0, 0.6),
    "sudden": (1.2, 1.8),
    "free": (0.85, 1.2),
    "bound": (1.3, 0.8),
    "direct": (1.1, 1.0),
    "indirect": (0.9, 1.0),
    "neutral": (1.0, 1.0),
}


#: Laban's factors: the two words of a factor are its opposite ends and cannot be combined.
FACTORS: dict[str, tuple[str, str]] = {
    "weight": ("light", "strong"),
    "time": ("sustained", "sudden"),
    "flow": ("free", "bound"),
    "space": ("direct", "indirect"),
}


@dataclass(frozen=True)
class Effort:
    stiffness: float = 1.0
    speed: float = 1.0


class EffortError(FaultError):
    """Effort words that cannot be read; ``fault.subject`` is the unknown word, if one is."""


def _refuse(kind: Kind, message: str, suggestion: str = "", subject: str = "") -> EffortError:
    return EffortError(
        Fault(kind, message, "effort words: " + ", ".join(WORDS), suggestion, subject)
    )


def parse_effort(text: str) -> Effort:
    """Multiply the factors of every word; at most one word per Laban factor.

    >>> parse_effort("sudden strong")
    Effort(stiffness=1.8, speed=1.8)
    >>> parse_effort("floaty")
    Traceback (most recent call last):
    ...
    thereturn_viz.show.effort.EffortError: unknown effort word "floaty"
    >>> parse_effort("sudden sustained")
    Traceback (most recent call last):
    ...
    thereturn_viz.show.effort.EffortError: "sudden" and "sustained" are opposite ends of time: choose one
    """  # noqa: E501
    stiffness, speed = 1.0, 1.0
    words = text.lower().split()
    if not words:
        raise _refuse(Kind.MISSING, "empty effort: use words like " + ", ".join(sorted(WORDS)))
    for word in words:
        if word not in WORDS:
            near = closest(word, WORDS)
            hint = f'did you mean "{near}"?' if near is not None else ""
            raise _refuse(Kind.UNKNOWN_NAME, f'unknown effort word "{word}"', hint, word)
    for factor, (a, b) in FACTORS.items():
        if a in words and b in words:
            first, second = sorted((a, b), key=words.index)
            message = f'"{first}" and "{second}" are opposite ends of {factor}: choose one'
            raise _refuse(Kind.CONFLICT, message)
    for word in dict.fromkeys(words):
        k, s = WORDS[word]  # a repeated word counts once
        stiffness *= k
        speed *= s
    return Effort(round(stiffness, 6), round(speed, 6))
