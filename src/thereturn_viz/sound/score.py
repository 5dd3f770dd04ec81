"""What is played when: the composition as data, derived from the cue sheet and its tempo map.

Every event is placed relative to a named cue or on the bar grid of ``sheet.tempo``, so moving a
cue in ``cues.toml`` moves the music with it. The composition is plain data (:class:`Score`);
:mod:`.synth` turns it into samples and :mod:`.cache` keeps the result.

The public contract: :func:`render_score` returns ``(rate, samples)`` with ``samples`` an int16
array of shape ``(n, 2)`` covering ``0 .. sheet.duration`` exactly.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..show.choreography import Choreography
from ..show.cues import CueSheet

RATE = 48_000
#: Bumped by hand when the composition changes in a way the source hash would not show.
SCORE_VERSION = 4

#: The opening key (A minor) and the key after the lift (its relative major, C major).
MINOR_TONIC = 57  # A3
MAJOR_TONIC = 60  # C4
HEARTBEAT_PER_MINUTE = 56.0
#: How much softer the music is after the lift than the same notes would sound before it (dB).
AFTER_SOFTER_DB = 5.0
#: The strings that creep in with the partner: a bow's level, far under the piano's sparse notes.
ENTERING_STRINGS = 0.05
#: The chord held at eyes_meet: soft, rolled slowly from the bass up (seconds between notes),
#: and its strings' level. A minor with its ninth sounds fuller than F major 9 did at 0.2, 0.3.
MEET_VELOCITY, MEET_ROLL, MEET_STRINGS = 0.12, 0.12, 0.25
#: Before the silence at the apex: the last chord wants this long to ring (seconds), and the
#: pedal and the hands come up this long before the silence, so the chord breathes out into it.
LAST_CHORD_RING, LET_GO = 1.5, 0.3
#: The longest release of a bow (the synth's): strings that must be gone by a moment stop
#: bowing this long before it.
BOW_RELEASE_MAX = 2.0


@dataclass(frozen=True)
class Note:
    t: float  # onset, seconds
    dur: float  # how long the key (or bow) is held; the pedal may hold a piano note longer
    pitch: int  # MIDI note number
    vel: float  # 0 .. 1
    voice: str  # "piano" or "strings"


@dataclass(frozen=True)
class Score:
    duration: float
    notes: tuple[Note, ...]
    pedal: tuple[tuple[float, float], ...]  # (down, up): the piano's sustain pedal
    heartbeats: tuple[float, ...]  # the "lub" of each lub-dub
    breaths: tuple[float, ...]
    silences: tuple[tuple[float, float], ...]  # total silence, everything included
    music_end: float  # the last sound has decayed shortly after this


# Chords as MIDI voicings: (bass, *upper) ; the key is fixed by the section.
_MINOR: dict[str, tuple[int, ...]] = {
    "Am": (45, 52, 57, 60, 64),
    "Am/G": (43, 52, 57, 60, 64),  # the bass steps down through the tonic
    "Am/E": (40, 52, 57, 60, 64),  # the cadential six-four: the tonic over the dominant's bass
    "Am(add9)": (45, 52, 57, 60, 71),  # the held moment: the tonic, a ninth above it
    "F": (41, 48, 57, 60, 65),
    "G": (43, 50, 55, 59, 62),
    "Dm": (50, 57, 62, 65, 69),
    "Dm/F": (41, 50, 57, 62, 65),  # iv6: its bass falls a semitone to the dominant (Phrygian)
    "Bm7b5": (47, 50, 57, 62, 65),  # the half-diminished ii: B D F A, wanting E
    "E": (40, 47, 52, 56, 59),
    "E/G#": (44, 52, 56, 59, 64),  # the leading tone in the bass, a semitone under A
    "E7": (40, 50, 56, 59, 64),
    "Esus4": (40, 47, 52, 57, 59),  # A held over the dominant, falling to G sharp
}
#: In ``together`` the dominant stands on E3, not E2: its 82 Hz would fill the heartbeat's
#: 40-80 Hz band. Only the last four bars go down to E2, where the bass sways E-E-F-E and the
#: dominant is left hanging, deep, into the silence. D minor over F stands on F3, a semitone
#: above that E3: the Phrygian cadence, iv6-V.
_TOGETHER_VOICING: dict[str, tuple[int, ...]] = {
    "E": (52, 59, 64, 68, 71),
    "E7": (52, 59, 62, 68, 71),
    "Esus4": (52, 59, 64, 69, 71),
    "Am/E": (52, 57, 60, 64, 69),
    "Dm/F": (53, 57, 62, 65, 69),
}
#: Chords under which a line takes the leading tone (G sharp) for G: the dominant's.
_DOMINANTS = frozenset({"E", "E/G#", "E7", "Esus4"})
_MAJOR: dict[str, tuple[int, ...]] = {
    "C": (48, 55, 60, 64, 67),
    "Am": (45, 52, 57, 60, 64),
    "F": (41, 48, 57, 60, 65),
    "G": (43, 50, 55, 59, 62),
    "Em": (40, 47, 55, 59, 64),
    "Cadd9": (36, 43, 52, 62, 72),  # the last chord: C5 on top, the opening's second note
}
#: One harmony per two-bar phrase: each call and its answer. Tonic and dominant frame the
#: dialogue; the pull of F to E (bVI to V) and the subdominant colour it, never the major.
_CONVERSATION = ("Am", "E", "F", "E", "Dm", "Am", "Bm7b5", "E", "Am", "Dm", "F", "E7", "Am")
#: ``together`` as (harmony, bars), in three phrases of sixteen bars that grow: i-iv-V-i and
#: the F-E pull through the Phrygian cadence (iv6-V); the descent from A to E (the Andalusian
#: cadence); at the height a harmony a bar, the cadential six-four, a deceptive V-bVI as the
#: lift begins, and the dominant left hanging into the silence. Each phrase closes on its
#: dominant or its tonic, never on C.
_TOGETHER_HEAD: tuple[tuple[str, int], ...] = (
    ("Am", 2), ("Dm", 2), ("E", 2), ("Am", 2),
    ("F", 2), ("Dm/F", 2), ("Esus4", 1), ("E", 1), ("Am", 2),
    ("Am", 2), ("G", 2), ("F", 2), ("E", 2),
    ("Dm", 2), ("Am", 2), ("Bm7b5", 2), ("E7", 2),
    ("Am", 1), ("Am/G", 1), ("F", 1), ("E", 1),
    ("Dm", 1), ("E/G#", 1), ("Am", 2),
    ("F", 2), ("Dm", 1), ("Bm7b5", 1),
)  # fmt: skip
_TOGETHER_TAIL: tuple[tuple[str, int], ...] = (("Am/E", 1), ("E7", 1), ("F", 1), ("E", 1))
#: The line of the first phrase of ``together``, written out: (bar, beat, beats, pitch).
#: It falls from E to the B under it, reaches up to A through the dominant, sighs down over
#: F and D minor, and climbs to A over the held fourth, which falls to G sharp and home.
_THEME: tuple[tuple[int, int, int, int], ...] = (
    (0, 0, 3, 76), (1, 0, 2, 72), (1, 2, 1, 71),  # Am: E5 .. C5 B4
    (2, 0, 2, 69), (2, 2, 1, 74), (3, 0, 3, 77),  # Dm: A4 D5 F5
    (4, 0, 2, 76), (4, 2, 1, 74), (5, 0, 3, 71),  # E: E5 D5 B4
    (6, 0, 2, 72), (6, 2, 1, 76), (7, 0, 3, 81),  # Am: C5 E5 A5
    (8, 0, 2, 81), (8, 2, 1, 79), (9, 0, 2, 77), (9, 2, 1, 76),  # F: A5 G5 F5 E5
    (10, 0, 2, 74), (10, 2, 1, 76), (11, 0, 2, 77), (11, 2, 1, 79),  # Dm: D5 E5 F5 G5
    (12, 0, 3, 81), (13, 0, 2, 80), (13, 2, 1, 83),  # Esus4 A5, E: G#5 B5
    (14, 0, 3, 81), (15, 2, 1, 76),  # Am: A5, and E5 leading on
)  # fmt: skip
#: Bars to fill when the section is longer than the plan: the descent and its cadence again.
_TOGETHER_MORE: tuple[tuple[str, int], ...] = (
    ("Am", 2), ("Am/G", 2), ("F", 2), ("E", 2), ("Dm/F", 2), ("E", 2), ("Am", 2), ("E7", 2),
)  # fmt: skip
_AFTER = ("C", "Am", "F", "G", "C", "Em", "F", "G")
_A_MINOR_SCALE = tuple(p for p in range(45, 89) if p % 12 in {9, 11, 0, 2, 4, 5, 7})
_C_MAJOR_SCALE = _A_MINOR_SCALE  # the same notes: the relative major only moves the centre
#: Rhythms of a two-bar phrase in 3/4, as (beat, length in beats): varied, never a loop.
_RHYTHMS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((0, 1.0), (1, 1.0), (2, 2.0), (4, 2.0)),
    ((0, 2.0), (2, 1.0), (3, 3.0)),
    ((0, 1.5), (1.5, 0.5), (2, 1.0), (3, 3.0)),
    ((1, 1.0), (2, 1.0), (3, 1.0), (4, 2.0)),
    ((0, 1.0), (1, 2.0), (3, 1.0), (4, 2.0)),
    ((0, 3.0), (3, 1.0), (4, 1.0), (5, 1.0)),
)
#: A player's touch: onsets a few milliseconds either side of the grid, velocities that breathe.
LATE_MAX, EARLY_MAX, VEL_SPREAD = 0.016, 0.006, 0.06


def _db(db: float) -> float:
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

    >>> round(float(20 * np.log10(piano_loudness(softer(0.4, 5.0)) / piano_loudness(0.4))), 6)
    -5.0
    """
    return (piano_loudness(vel) * _db(-db) - 0.15) / 0.85


class _Writer:
    """Collects events; every time goes through the sheet's cues or its bar grid."""

    def __init__(self, sheet: CueSheet) -> None:
        self.sheet = sheet
        self.notes: list[Note] = []
        self.pedal: list[tuple[float, float]] = []
        self.rng = np.random.default_rng(20_260_514)
        self.touch = np.random.default_rng(20_260_515)  # separate: the notes do not move with it
        self.here = sheet.tempo.origin

    def cue(self, name: str) -> float:
        return self.sheet.time_of(name)

    def at(self, t: float) -> None:
        """Where the next events go: beats and bars follow the tempo span in force there."""
        self.here = t

    @property
    def beat(self) -> float:
        return self.sheet.tempo.span_at(self.here).beat_seconds

    @property
    def per_bar(self) -> int:
        return self.sheet.tempo.span_at(self.here).beats_per_bar

    @property
    def bar(self) -> float:
        return self.beat * self.per_bar

    def bars(self, start: str, end: str) -> list[float]:
        """Downbeats of the tempo map from cue ``start`` (inclusive) to cue ``end`` (exclusive)."""
        return self.sheet.tempo.downbeats(self.cue(start), self.cue(end))

    def piano(self, t: float, pitch: int, vel: float, dur: float, exact: bool = False) -> None:
        """A piano note; unless ``exact`` (a note that marks a cue) it gets a player's touch."""
        if not exact:
            t += float(self.touch.uniform(-EARLY_MAX, LATE_MAX))
            vel *= float(np.exp(self.touch.normal(0.0, VEL_SPREAD)))
        vel = min(max(vel, 0.05), 1.0)
        if dur <= 0.0:
            return  # a section with no room for the note: silence, not a note of no length
        self.notes.append(Note(round(t, 6), round(dur, 6), int(pitch), round(vel, 4), "piano"))

    def strings(self, t: float, pitch: int, vel: float, dur: float) -> None:
        if dur <= 0.0:
            return
        self.notes.append(Note(round(t, 6), round(dur, 6), int(pitch), round(vel, 4), "strings"))

    def pedal_span(self, down: float, up: float) -> None:
        if up <= down:
            return
        self.pedal.append((round(down, 6), round(up, 6)))

    def pick(self, options: tuple[int, ...]) -> int:
        return int(options[int(self.rng.integers(len(options)))])


def compose(sheet: CueSheet) -> Score:
    """The whole score as events, from the cue sheet alone."""
    w = _Writer(sheet)
    _opening(w)
    _eyes_meet(w)
    _conversation(w)
    _together(w)
    _after(w)
    apex, resumes, music_end = w.cue("lift_apex"), w.cue("music_resumes"), w.cue("music_end")
    # nothing may start in the silence; the gate in the synth silences what still rings
    notes = tuple(
        sorted(
            (n for n in w.notes if not apex <= n.t < resumes and n.t < music_end),
            key=lambda n: (n.t, n.voice, n.pitch),
        )
    )
    period = 60.0 / HEARTBEAT_PER_MINUTE
    beats: list[float] = []
    k = 0
    while (t := w.cue("heartbeat") + k * period) < music_end - 0.5:
        if not apex - 0.6 <= t < resumes:
            beats.append(round(t, 6))
        k += 1
    return Score(
        duration=sheet.duration,
        notes=notes,
        pedal=tuple(sorted(w.pedal)),
        heartbeats=tuple(beats),
        breaths=(w.cue("last_breath"),),
        silences=((apex, resumes),),
        music_end=music_end,
    )


def _opening(w: _Writer) -> None:
    """One note, let ring; another; then sparse notes; strings creep in with the partner."""
    first, second, enters, meet = (
        w.cue("first_note"),
        w.cue("second_note"),
        w.cue("partner_enters"),
        w.cue("eyes_meet"),
    )
    w.at(first)
    w.piano(first, 76, 0.55, second - first, exact=True)  # E5, falling into the empty room
    w.pedal_span(first, second - 0.05)
    w.piano(second, 72, 0.5, 2 * w.bar, exact=True)  # C5
    w.pedal_span(second, second + 2 * w.bar)
    sparse = (69, 71, 72, 64, 67, 69, 76, 74, 72, 71, 69, 64)
    i = 0
    for bar_t in w.bars("second_note", "eyes_meet"):
        w.at(bar_t)
        if bar_t < second + w.bar:
            continue
        beat = 1 if i % 2 else 0
        t = bar_t + beat * w.beat
        if t >= meet - w.beat:
            break
        w.piano(t, sparse[i % len(sparse)], 0.36 + 0.1 * (i % 3 == 1), 2 * w.beat)
        if i % 3 == 0:
            w.piano(bar_t, 45 if i % 2 == 0 else 41, 0.3, 2 * w.bar)
        w.pedal_span(bar_t, bar_t + w.bar - 0.05)
        i += 1
    # strings, barely audible: a low A-minor pad that swells slowly until the held chord
    for pitch in (45, 52, 57):
        w.strings(enters, pitch, ENTERING_STRINGS, meet - enters + 0.5)


def _eyes_meet(w: _Writer) -> None:
    """A held moment: one chord, rolled once and sustained until the conversation.

    The tonic, A minor with a ninth above it: stillness, the key itself, with B over the top
    (its root doubled and no G, so that it cannot be heard as C major with a sixth).
    """
    meet, conv = w.cue("eyes_meet"), w.cue("conversation")
    w.at(meet)
    chord = _MINOR["Am(add9)"]
    for j, pitch in enumerate(chord):
        w.piano(meet + MEET_ROLL * j, pitch, MEET_VELOCITY, conv - meet, exact=True)
        w.strings(meet, pitch, MEET_STRINGS, conv - meet + 0.8)
    w.pedal_span(meet, conv - 0.05)


def _tones(chord: tuple[int, ...]) -> set[int]:
    return {c % 12 for c in chord}


def _near(pitch: float, chord: tuple[int, ...], scale: tuple[int, ...] = _A_MINOR_SCALE) -> int:
    """The chord tone of ``scale`` nearest ``pitch`` (the lower one on a tie)."""
    tones = [p for p in scale if p % 12 in _tones(chord)]
    return min(tones, key=lambda p: (abs(p - pitch), p))


def _walk(start: int, steps: list[int], scale: tuple[int, ...]) -> list[int]:
    """Pitches moving ``steps`` scale degrees at a time from ``start`` (held at the edges).

    >>> _walk(60, [1, 2, -1, 5], (57, 59, 60, 62, 64, 65))
    [60, 62, 65, 64, 65]
    """
    i = scale.index(start)
    out = [start]
    for step in steps:
        i = min(max(i + step, 0), len(scale) - 1)
        out.append(scale[i])
    return out


def _arc(k: int, n: int) -> float:
    """A phrase's dynamic shape: it leans into its middle and lets go at its end.

    >>> [round(_arc(k, 4), 2) for k in range(4)]
    [0.96, 1.08, 1.08, 0.96]
    """
    return 0.88 + 0.22 * float(np.sin(np.pi * (k + 0.5) / max(n, 1)))


def _say(
    w: _Writer,
    t0: float,
    rhythm: tuple[tuple[float, float], ...],
    pitches: list[int],
    vel: float,
) -> None:
    for k, ((beat, length), pitch) in enumerate(zip(rhythm, pitches, strict=True)):
        w.piano(t0 + beat * w.beat, pitch, vel * _arc(k, len(rhythm)), length * w.beat)


def _conversation(w: _Writer) -> None:
    """Call and response, two bars each: her phrase reaches up high, his answers it from below.

    The answer takes the call's rhythm and turns its contour over (she rises, he bends), and
    lands on a tone of its own chord; each call is new, and the two registers draw closer as the
    section goes on, ready for ``together``.
    """
    bars = w.bars("conversation", "together")
    pairs = max(1, len(bars) // 4)
    steps: list[int] = []
    rhythm = _RHYTHMS[0]
    for i in range(0, len(bars) - 1, 2):
        phrase = i // 2
        name = _CONVERSATION[phrase % len(_CONVERSATION)]
        chord, scale = _MINOR[name], _scale_under(name, _A_MINOR_SCALE)
        t0 = bars[i]
        w.at(t0)
        span = bars[i + 1] + w.bar - t0 if i + 1 < len(bars) else 2 * w.bar
        closer = min(1.0, (phrase // 2) / pairs)  # 0 .. 1: the registers converge
        w.piano(t0, chord[0], 0.36, span)
        if phrase % 2 == 0:  # the call: a new rhythm and a contour that mostly rises
            rhythm = _RHYTHMS[int(w.rng.integers(len(_RHYTHMS)))]
            steps = [int(w.rng.choice((-1, 1, 1, 2, 2, -2))) for _ in rhythm[1:]]
            start = _near(72 - 3 * closer, chord, scale)
            pitches = _walk(start, steps, scale)
            pitches[-1] = _near(pitches[-1], chord, scale)
            _say(w, t0, rhythm, pitches, 0.5)
        else:  # the answer: her rhythm, her contour upside down, from below
            start = _near(60 + 3 * closer, chord, scale)
            pitches = _walk(start, [-s for s in steps], scale)
            pitches[-1] = _near(pitches[-1], chord, scale)
            _say(w, t0, rhythm, pitches, 0.46)
        # the strings hold the harmony low; under the dominant, its bass, fifth and third
        # (G sharp: the leading tone is heard, not only implied)
        voices = chord[:3]
        if name in _DOMINANTS:
            voices = (chord[0], *[p for p in chord[1:] if p % 12 in (8, 11)][:2])
        for pitch in voices:
            w.strings(t0, pitch, 0.2, span + 0.3)
        w.pedal_span(t0, t0 + span - 0.05)


def _step(w: _Writer, pitch: int, scale: tuple[int, ...]) -> int:
    """The next note of a singing line: a step or a small leap, turned back at its range's edge."""
    i = min(range(len(scale)), key=lambda j: abs(scale[j] - pitch))
    j = i + int(w.rng.choice((-2, -1, -1, 1, 1, 2)))
    if not 0 <= j < len(scale):
        j = i - (j - i)  # bounce back into the range
    return scale[min(max(j, 0), len(scale) - 1)]


#: Arpeggio shapes under the line, as indices into a chord's voicing, one per beat.
_SHAPES = ((0, 1, 2), (0, 2, 1), (0, 1, 3), (0, 2, 3), (0, 3, 2))


def _together_plan(n: int) -> list[tuple[str, int]]:
    """The harmonies of the ``n`` bars of ``together`` as (chord, bars), ending on its tail.

    The plan is written for the shipped cue sheet; a shorter section loses bars before its
    last four, a longer one hears the descent and its cadence again before them.

    >>> _together_plan(7)
    [('Am', 2), ('Dm', 1), ('Am/E', 1), ('E7', 1), ('F', 1), ('E', 1)]
    >>> _together_plan(2)
    [('F', 1), ('E', 1)]
    """
    more = itertools.cycle(_TOGETHER_MORE)
    source = itertools.chain(_TOGETHER_HEAD, more)
    room = n - sum(length for _, length in _TOGETHER_TAIL)
    out: list[tuple[str, int]] = []
    while room > 0:
        name, length = next(source)
        out.append((name, min(length, room)))
        room -= length
    tail: list[tuple[str, int]] = []
    left = n - sum(length for _, length in out)
    for name, length in reversed(_TOGETHER_TAIL):
        if left > 0:
            tail.insert(0, (name, min(length, left)))
            left -= length
    return out + tail


def _scale_under(name: str, scale: tuple[int, ...]) -> tuple[int, ...]:
    """The notes a line may take over chord ``name``: G sharp for G under the dominant.

    >>> _scale_under("E", (67, 69, 71)), _scale_under("Am", (67, 69, 71))
    ((68, 69, 71), (67, 69, 71))
    """
    if name not in _DOMINANTS:
        return scale
    return tuple(p + 1 if p % 12 == 7 else p for p in scale)


def _toward(line: int, tones: list[int], target: float, last: int = -1) -> int:
    """The chord tone a singing line moves to: near the phrase's target, by a small step, and
    neither the note it is on nor the one it began the last bar on (unless nothing else is
    within a fifth).

    >>> _toward(76, [69, 72, 76, 81], 80.0), _toward(76, [69, 72, 76, 81], 70.0)
    (81, 72)
    """
    near = [p for p in tones if abs(p - line) <= 7] or tones

    def cost(p: int) -> float:
        return abs(p - target) + 0.6 * abs(p - line) + 3.0 * (p == line) + 2.0 * (p == last)

    return min(near, key=lambda p: (cost(p), p))


def _lean(w: _Writer, pitch: int, scale: tuple[int, ...], target: float) -> int:
    """The next note within a bar: a step, more often toward the target than away from it."""
    i = min(range(len(scale)), key=lambda j: abs(scale[j] - pitch))
    toward = 1 if target > pitch else -1
    step = int(w.rng.choice((1, 1, 1, 2, -1, -1))) * toward
    j = i + step
    if not 0 <= j < len(scale):
        j = i - step  # turned back at the edge of the range, never held there
    return scale[min(max(j, 0), len(scale) - 1)]


def _together(w: _Writer) -> None:
    """Hand in hand: arpeggios under a singing line, piano and strings growing to the lift.

    The harmony is :data:`_TOGETHER_HEAD`: A minor throughout, cadencing through E. The line
    begins with the written theme (:data:`_THEME`, a note or two a bar), then sings on its
    own, two notes a bar and a note a beat at the height, rising and falling over each
    eight bars and climbing with the section; where a harmony changes under a note that is
    not its own, the line leans on it and falls a step into the chord (an appoggiatura: the
    sigh of F to E, A to G sharp). The arpeggio changes shape with each harmony, and in the
    last third the strings open an octave higher.
    Nothing is struck as the silence comes: the last chord (the dominant, left unresolved)
    falls on the last downbeat that leaves it time to ring, the strings bow out before it,
    and hands and pedal lift just before the apex, so the music breathes out into the
    silence instead of being cut.
    """
    apex = w.cue("lift_apex")
    bars = [t for t in w.bars("together", "lift_apex") if t <= apex - LAST_CHORD_RING]
    n = max(1, len(bars))
    high = tuple(p for p in _A_MINOR_SCALE if 69 <= p <= 86)
    line = downbeat = 76
    tail = sum(length for _, length in _TOGETHER_TAIL)
    theme = min(_THEME[-1][0] + 1, len(bars) - tail)  # the theme is the head's, never the tail's
    harmonies = [
        (h, name, k, length)
        for h, (name, length) in enumerate(_together_plan(len(bars)))
        for k in range(length)
    ]
    for i, (t0, (h, name, k, length)) in enumerate(zip(bars, harmonies, strict=True)):
        w.at(t0)
        growth = i / n  # 0 .. 1 across the section
        vel = 0.42 + 0.42 * growth
        deep = i >= len(bars) - tail  # the last bars, down to E2
        chord = _MINOR[name] if deep else _TOGETHER_VOICING.get(name, _MINOR[name])
        scale = _scale_under(name, high)
        tones = [p for p in scale if p % 12 in _tones(chord)]
        shape = _SHAPES[h % len(_SHAPES)]
        if t0 == bars[-1]:  # the last chord, rolled from the bass, left to ring
            let_go = apex - LET_GO
            line = _near(line, chord, scale)
            for j, pitch in enumerate(chord[:4]):
                w.piano(t0 + 0.04 * j, pitch, vel * 0.62, let_go - t0 - 0.04 * j)
            w.piano(t0, line, vel, let_go - t0)
            w.pedal_span(t0, let_go)
            break
        for beat in range(w.per_bar):
            lean = 1.08 if beat == 0 else 0.94  # the downbeat leans, the others follow
            w.piano(t0 + beat * w.beat, chord[shape[beat % 3]], vel * 0.62 * lean, w.beat * 1.5)
        if i < theme:  # the theme, as written
            written = [(beat, held, pitch) for bar, beat, held, pitch in _THEME if bar == i]
            for j, (beat, beats_held, pitch) in enumerate(written):
                line = pitch
                w.piano(t0 + beat * w.beat, line, vel * _arc(j, len(written)), beats_held * w.beat)
        else:
            beats: tuple[int, ...] = ((0,), (0, 2), (0, 1, 2))[min(2, int(growth * 3))]
            beats = (0, 2) if beats == (0,) else beats  # the theme has set the line moving
            beats = tuple(b for b in beats if b < w.per_bar)  # a bar of one or two beats
            # where the line goes in this bar: up and down over eight bars, higher as it grows
            target = 73.0 + 9.0 * growth + 3.5 * float(np.sin(np.pi * ((i % 8) + 0.5) / 8))
            # a new harmony under a note a step above one of its tones: lean on it, then fall
            # (where the line can afford to: not below where it is going)
            below = [p for p in tones if 0 < line - p <= 2]
            sigh = k == 0 and line % 12 not in _tones(chord) and bool(below) and line > target
            for j, beat in enumerate(beats):
                if sigh and j == 0:
                    pass  # the note held over from the last harmony, struck again
                elif sigh and j == 1:
                    line = below[-1]
                elif beat == 0:
                    line = _toward(line, tones, target, downbeat)
                else:
                    line = _lean(w, line, scale, target)
                if beat == 0:
                    downbeat = line
                held = w.beat * (w.per_bar - beat)
                lean = 1.1 if sigh and j == 0 else 1.0
                w.piano(t0 + beat * w.beat, line, vel * _arc(j, len(beats)) * lean, held)
        if k == 0:  # the strings hold each harmony for as long as it lasts
            # in the last third they open upward (an octave above the top), never downward:
            # the 40-80 Hz band stays the heartbeat's
            voices = chord[:4] + ((chord[-1] + 12,) if growth >= 2 / 3 else ())
            bow = min(length * w.bar + 0.3, apex - BOW_RELEASE_MAX - t0)  # gone by the silence
            for pitch in voices if bow >= w.beat else ():
                w.strings(t0, pitch, 0.22 + 0.3 * growth, bow)
        w.pedal_span(t0, t0 + w.bar - 0.05)


def _after(w: _Writer) -> None:
    """After the silence: the relative major, softer and slower, making room for the breath.

    The opening's two notes come back at ``after``, now at home in the major key: a memory.
    """
    resumes, after = w.cue("music_resumes"), w.cue("after")
    breath, music_end = w.cue("last_breath"), w.cue("music_end")
    soft = _db(-AFTER_SOFTER_DB)  # the strings' level is their amplitude
    # its own draws: what is played before the silence never moves the notes after it
    w.rng, w.touch = np.random.default_rng(20_260_516), np.random.default_rng(20_260_517)

    def quiet(vel: float) -> float:  # the piano's loudness is affine in its velocity
        return softer(vel, AFTER_SOFTER_DB)

    w.at(resumes)
    # the exhale: one soft chord exactly when the music returns
    first = _MAJOR["C"]
    for j, pitch in enumerate(first):
        w.piano(resumes + 0.09 * j, pitch, quiet(0.42), 2 * w.bar, exact=True)
        w.strings(resumes, pitch, 0.2 * soft, 2 * w.bar + 0.5)
    w.pedal_span(resumes, resumes + 2 * w.bar - 0.05)
    # the last chord falls on the last downbeat that leaves it a bar and a half to ring
    endings = [t for t in w.bars("music_resumes", "music_end") if t <= music_end - 1.5 * w.bar]
    if not endings:
        return  # too short a close for the last chord to ring: the exhale alone, then silence
    final = endings[-1]
    bars = [t for t in w.bars("music_resumes", "music_end") if t >= resumes + 2 * w.bar - 1e-6]
    memory = [t for t in bars if t >= after - 1e-6][:2]  # E5 then C5, as at the very start
    high = tuple(p for p in _C_MAJOR_SCALE if 67 <= p <= 81)
    line = 76
    for i, t0 in enumerate(bars):
        w.at(t0)
        if t0 + w.bar > final:
            break
        if breath - 2.5 * w.bar <= t0 < breath + w.bar:  # leave the breath alone in the room
            continue
        chord = _MAJOR[_AFTER[(i // 2) % len(_AFTER)]]
        if t0 in memory:
            chord = _MAJOR["C"] if t0 == memory[0] else _MAJOR["Am"]
        w.piano(t0, chord[0], quiet(0.36), w.bar)
        if t0 in memory:
            line = 76 if t0 == memory[0] else 72
            w.piano(t0, line, quiet(0.5), 2 * w.beat)
        else:
            beat = int(w.rng.integers(2)) if i % 4 != 3 else 0
            line = _near(line, chord, high) if beat == 0 else _step(w, line, high)
            w.piano(t0 + beat * w.beat, line, quiet(0.48), 2 * w.beat)
            if i % 4 == 1:  # now and then a second, quieter note answers within the bar
                line = _step(w, line, high)
                w.piano(t0 + 2 * w.beat, line, quiet(0.4), w.beat)
        if i % 2 == 0:
            for pitch in chord[:3]:
                w.strings(t0, pitch, 0.24 * soft, 2 * w.bar + 0.4)
        w.pedal_span(t0, t0 + w.bar - 0.05)
    # the last chord, left to ring; the pedal lifts when the music ends. C on top (and E in
    # the middle) rather than G doubled: the ending is heard at home in C, not on G, and as
    # C5 carries more than E4 did, it is struck a little softer
    w.at(final)
    last = _MAJOR["Cadd9"]
    for j, pitch in enumerate(last):
        w.piano(final + 0.11 * j, pitch, quiet(0.3), music_end - final, exact=True)
        w.strings(final, pitch, 0.18 * soft, music_end - final - 1.0)
    w.pedal_span(final, music_end)


_MEMO: dict[str, tuple[int, NDArray[np.int16]]] = {}


def render_score(choreography: Choreography) -> tuple[int, NDArray[np.int16]]:
    """The synthesized score, from the cache when it is there (keyed by all that shapes it)."""
    return render_sheet(choreography.sheet)


def render_sheet(sheet: CueSheet) -> tuple[int, NDArray[np.int16]]:
    """:func:`render_score` for a cue sheet alone: the score depends on nothing else.

    The synthesizer (and scipy with it, about 2 s to import) is loaded only on a cache miss, so
    a start with the score in the cache stays fast.
    """
    from . import cache

    score = compose(sheet)
    key = cache.score_key(score, RATE)
    hit = _MEMO.get(key)
    if hit is None:

        def make() -> NDArray[np.int16]:
            from . import synth

            return synth.synthesize(score, RATE, progress=synth.stderr_progress())

        samples = cache.load_or_make(key, RATE, make, round(score.duration * RATE))
        _MEMO.clear()  # one score in memory at a time
        hit = _MEMO[key] = (RATE, samples)
    return hit


def score_file(choreography: Choreography) -> Path:
    """A WAV file of the score for the mixer to stream: the cached one, made if needed."""
    from . import cache

    score = compose(choreography.sheet)
    key = cache.score_key(score, RATE)
    frames = round(score.duration * RATE)
    path = cache.cached_path(key, RATE, frames)
    if path is None:
        rate, samples = render_score(choreography)
        path = cache.cached_path(key, RATE, frames)
        if path is None:  # the cache folder is not writable: a temporary file will do
            import tempfile

            fd, name = tempfile.mkstemp(prefix="thereturn-score-", suffix=".wav")
            os.close(fd)
            path = Path(name)
            cache.write_wav(path, rate, samples)
    return path
