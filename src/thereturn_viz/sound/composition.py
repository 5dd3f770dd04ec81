"""The composition as data: what the composer hands the synthesizer, and all the samples depend on.

A :class:`Composition` is plain frozen data (notes, pedal, heartbeats, breaths, silences and the
seeds of every random draw), so the score's cache can be keyed by the composition itself and by
:data:`SYNTHESIS_VERSION`, never by the text of the code that made it. What a velocity means to
the ear (:func:`piano_loudness`) and how long a bow may take to release are the two numbers both
sides rely on; they live here so that neither side imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Samples per second of the rendered score (and of the mixer that plays it).
RATE = 48_000
#: The synthesizer's version: bumped by hand whenever the synthesis (sound/instruments.py,
#: sound/room.py, sound/synthesis.py, :func:`piano_loudness`) changes a sample, so that a
#: score cached by an older synthesizer is not taken for the new one. A change of the notes
#: needs no bump: the composition's own data is in the key.
SYNTHESIS_VERSION = 1
#: The longest release of a bow: strings that must be gone by a moment stop bowing this long
#: before it (the composer), and no bow rings on longer than this after its note (the synth).
BOW_RELEASE_MAX = 2.0


@dataclass(frozen=True)
class Seeds:
    """Where every random draw of the score starts, in one place.

    The composer draws the shape of its phrases and a player's touch from two generators, and
    after the silence from two fresh ones, so what is played before the lift never moves a note
    after it. The synthesizer's noise (a hammer's thump, a bow's vibrato, the breath, the room)
    comes from one root; each sound draws its own stream under it, named by the sound's own
    numbers and by a tag, so a note's noise does not depend on the notes around it.
    Changing any of these changes the score (and with it the cache key).
    """

    #: The composer's choices before the silence: rhythms, contours, the steps of the line.
    phrases: int = 20_260_514
    #: A player's touch before the silence: onsets a little off the grid, breathing velocities.
    touch: int = 20_260_515
    #: The same two after the silence.
    phrases_after: int = 20_260_516
    touch_after: int = 20_260_517
    #: The root of the synthesizer's noise. A hammer's stream is (pitch, velocity in 1/1000).
    noise: int = 20_260_514
    #: The tag of a bow's stream, after (pitch, bow): its vibrato's rate and phase.
    bow: int = 7
    #: The tag of the breath's stream, after the breath's take.
    breath: int = 99
    #: The room's stream: the noise of its reverberant tail.
    room: int = 4242


#: The seeds the piece is played with.
SEEDS = Seeds()


@dataclass(frozen=True)
class Note:
    t: float  # onset, seconds
    dur: float  # how long the key (or bow) is held; the pedal may hold a piano note longer
    pitch: int  # MIDI note number
    vel: float  # 0 .. 1
    voice: str  # "piano" or "strings"


@dataclass(frozen=True)
class Composition:
    """The whole score as events in piece time, and the seeds it was made and is played with."""

    duration: float
    notes: tuple[Note, ...]
    pedal: tuple[tuple[float, float], ...]  # (down, up): the piano's sustain pedal
    heartbeats: tuple[float, ...]  # the "lub" of each lub-dub
    breaths: tuple[float, ...]
    silences: tuple[tuple[float, float], ...]  # total silence, everything included
    music_end: float  # the last sound has decayed shortly after this
    seeds: Seeds = field(default=SEEDS)


def db_gain(db: float) -> float:
    """The amplitude factor of ``db`` decibels.

    >>> db_gain(0.0), round(db_gain(-20.0), 6)
    (1.0, 0.1)
    """
    return float(10.0 ** (db / 20.0))


def piano_loudness(vel: float) -> float:
    """How a velocity scales a piano note's amplitude: a soft note is never silent.

    >>> piano_loudness(0.0), piano_loudness(1.0)
    (0.15, 1.0)
    """
    return 0.15 + 0.85 * vel


def softer(vel: float, db: float) -> float:
    """The velocity at which a piano note sounds ``db`` softer than it does at ``vel``.

    Loudness is affine in velocity, so scaling the velocity by ``db`` would give less than
    ``db``; this inverts :func:`piano_loudness` instead.

    >>> import math
    >>> round(20 * math.log10(piano_loudness(softer(0.4, 5.0)) / piano_loudness(0.4)), 6)
    -5.0
    """
    return (piano_loudness(vel) * db_gain(-db) - 0.15) / 0.85


def pedal_release(note: Note, pedal: tuple[tuple[float, float], ...]) -> float:
    """When the dampers fall on a piano ``note``: key up, or later if the pedal is down then.

    >>> note = Note(1.0, 0.5, 60, 0.5, "piano")
    >>> pedal_release(note, ((0.0, 3.0),)), pedal_release(note, ((2.0, 3.0),))
    (3.0, 1.5)
    """
    up = note.t + note.dur
    for down, lift in pedal:
        if down <= up < lift:
            return lift
    return up
