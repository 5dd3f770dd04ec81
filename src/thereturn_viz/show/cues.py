"""The cue sheet: the named moments of the piece, read from ``choreography/cues.toml``.

The cue sheet is the one place where story beats have times. Everything else refers to cues by
name, so moving a cue moves the choreography, the score, the light and the camera together. The
sheet also carries the tempo map (:mod:`.tempo`), so that times can be written in bars and beats.
Reading and checking the file is :mod:`.validate.cues`'s work; this module is the sheet itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .easing import Ease
from .tempo import TempoMap

#: The cues of docs/story.md, in order. A sheet must contain exactly these.
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

#: The longest piece a sheet may describe (s): 30 minutes. The score is mixed in one stereo
#: float32 buffer at 48 kHz (384 kB a second, with the int16 result and the room's reverb on
#: top), so 30 minutes asks about 1 GB of a gallery machine; the ten hours the sheet once
#: allowed asked 13.8 GB and failed. The shipped piece is under 7 minutes.
MAX_SECONDS = 1800.0
#: What a cue's time beyond :data:`MAX_SECONDS` is told.
TOO_LONG = "the score is made in memory and affords at most 30 minutes: shorten the piece"


@dataclass(frozen=True)
class Cue:
    name: str
    t: float
    about: str


@dataclass(frozen=True)
class CameraMove:
    """The camera arrives at ``zoom`` at ``t`` (seconds), from the previous move's zoom along
    ``ease`` (a ``[[camera]]`` table of ``cues.toml``)."""

    t: float
    zoom: float
    ease: Ease = field(compare=False, repr=False)


@dataclass(frozen=True)
class CueSheet:
    cues: tuple[Cue, ...]
    tempo: TempoMap
    #: the camera's moves in time order; none: the framing of :func:`~.looks.camera_zoom`
    camera: tuple[CameraMove, ...] = ()

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
