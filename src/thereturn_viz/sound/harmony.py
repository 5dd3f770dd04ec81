"""The harmonic material of the score: keys, chord voicings, the plans of the sections, the
written theme, rhythms, and the small pure rules a line follows through them.

Nothing here draws a random number or knows a time: :mod:`.composer` places this material on
the cue sheet's bar grid and adds a player's touch.
"""

from __future__ import annotations

import itertools

import numpy as np

#: The opening key (A minor) and the key after the lift (its relative major, C major).
MINOR_TONIC = 57  # A3
MAJOR_TONIC = 60  # C4

# Chords as MIDI voicings: (bass, *upper) ; the key is fixed by the section.
MINOR: dict[str, tuple[int, ...]] = {
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
TOGETHER_VOICING: dict[str, tuple[int, ...]] = {
    "E": (52, 59, 64, 68, 71),
    "E7": (52, 59, 62, 68, 71),
    "Esus4": (52, 59, 64, 69, 71),
    "Am/E": (52, 57, 60, 64, 69),
    "Dm/F": (53, 57, 62, 65, 69),
}
#: Chords under which a line takes the leading tone (G sharp) for G: the dominant's.
DOMINANTS = frozenset({"E", "E/G#", "E7", "Esus4"})
MAJOR: dict[str, tuple[int, ...]] = {
    "C": (48, 55, 60, 64, 67),
    "Am": (45, 52, 57, 60, 64),
    "F": (41, 48, 57, 60, 65),
    "G": (43, 50, 55, 59, 62),
    "Em": (40, 47, 55, 59, 64),
    "Cadd9": (36, 43, 52, 62, 72),  # the last chord: C5 on top, the opening's second note
}
#: One harmony per two-bar phrase: each call and its answer. Tonic and dominant frame the
#: dialogue; the pull of F to E (bVI to V) and the subdominant colour it, never the major.
CONVERSATION = ("Am", "E", "F", "E", "Dm", "Am", "Bm7b5", "E", "Am", "Dm", "F", "E7", "Am")
#: ``together`` as (harmony, bars), in three phrases of sixteen bars that grow: i-iv-V-i and
#: the F-E pull through the Phrygian cadence (iv6-V); the descent from A to E (the Andalusian
#: cadence); at the height a harmony a bar, the cadential six-four, a deceptive V-bVI as the
#: lift begins, and the dominant left hanging into the silence. Each phrase closes on its
#: dominant or its tonic, never on C.
TOGETHER_HEAD: tuple[tuple[str, int], ...] = (
    ("Am", 2), ("Dm", 2), ("E", 2), ("Am", 2),
    ("F", 2), ("Dm/F", 2), ("Esus4", 1), ("E", 1), ("Am", 2),
    ("Am", 2), ("G", 2), ("F", 2), ("E", 2),
    ("Dm", 2), ("Am", 2), ("Bm7b5", 2), ("E7", 2),
    ("Am", 1), ("Am/G", 1), ("F", 1), ("E", 1),
    ("Dm", 1), ("E/G#", 1), ("Am", 2),
    ("F", 2), ("Dm", 1), ("Bm7b5", 1),
)  # fmt: skip
TOGETHER_TAIL: tuple[tuple[str, int], ...] = (("Am/E", 1), ("E7", 1), ("F", 1), ("E", 1))
#: The line of the first phrase of ``together``, written out: (bar, beat, beats, pitch).
#: It falls from E to the B under it, reaches up to A through the dominant, sighs down over
#: F and D minor, and climbs to A over the held fourth, which falls to G sharp and home.
THEME: tuple[tuple[int, int, int, int], ...] = (
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
TOGETHER_MORE: tuple[tuple[str, int], ...] = (
    ("Am", 2), ("Am/G", 2), ("F", 2), ("E", 2), ("Dm/F", 2), ("E", 2), ("Am", 2), ("E7", 2),
)  # fmt: skip
AFTER = ("C", "Am", "F", "G", "C", "Em", "F", "G")
A_MINOR_SCALE = tuple(p for p in range(45, 89) if p % 12 in {9, 11, 0, 2, 4, 5, 7})
C_MAJOR_SCALE = A_MINOR_SCALE  # the same notes: the relative major only moves the centre
#: Rhythms of a two-bar phrase in 3/4, as (beat, length in beats): varied, never a loop.
RHYTHMS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((0, 1.0), (1, 1.0), (2, 2.0), (4, 2.0)),
    ((0, 2.0), (2, 1.0), (3, 3.0)),
    ((0, 1.5), (1.5, 0.5), (2, 1.0), (3, 3.0)),
    ((1, 1.0), (2, 1.0), (3, 1.0), (4, 2.0)),
    ((0, 1.0), (1, 2.0), (3, 1.0), (4, 2.0)),
    ((0, 3.0), (3, 1.0), (4, 1.0), (5, 1.0)),
)

#: Arpeggio shapes under the line, as indices into a chord's voicing, one per beat.
SHAPES = ((0, 1, 2), (0, 2, 1), (0, 1, 3), (0, 2, 3), (0, 3, 2))


def pitch_classes(chord: tuple[int, ...]) -> set[int]:
    """The pitch classes of a voicing (C = 0), whatever their octave.

    >>> sorted(pitch_classes(MINOR["E7"]))
    [2, 4, 8, 11]
    """
    return {c % 12 for c in chord}


def near(pitch: float, chord: tuple[int, ...], scale: tuple[int, ...] = A_MINOR_SCALE) -> int:
    """The chord tone of ``scale`` nearest ``pitch`` (the lower one on a tie).

    >>> near(66, MINOR["Am"]), near(70.5, MINOR["Am"])
    (64, 69)
    """
    tones = [p for p in scale if p % 12 in pitch_classes(chord)]
    return min(tones, key=lambda p: (abs(p - pitch), p))


def walk(start: int, steps: list[int], scale: tuple[int, ...]) -> list[int]:
    """Pitches moving ``steps`` scale degrees at a time from ``start`` (held at the edges).

    >>> walk(60, [1, 2, -1, 5], (57, 59, 60, 62, 64, 65))
    [60, 62, 65, 64, 65]
    """
    i = scale.index(start)
    out = [start]
    for step in steps:
        i = min(max(i + step, 0), len(scale) - 1)
        out.append(scale[i])
    return out


def arc(k: int, n: int) -> float:
    """A phrase's dynamic shape: it leans into its middle and lets go at its end.

    >>> [round(arc(k, 4), 2) for k in range(4)]
    [0.96, 1.08, 1.08, 0.96]
    """
    return 0.88 + 0.22 * float(np.sin(np.pi * (k + 0.5) / max(n, 1)))


def together_plan(n: int) -> list[tuple[str, int]]:
    """The harmonies of the ``n`` bars of ``together`` as (chord, bars), ending on its tail.

    The plan is written for the shipped cue sheet; a shorter section loses bars before its
    last four, a longer one hears the descent and its cadence again before them.

    >>> together_plan(7)
    [('Am', 2), ('Dm', 1), ('Am/E', 1), ('E7', 1), ('F', 1), ('E', 1)]
    >>> together_plan(2)
    [('F', 1), ('E', 1)]
    """
    more = itertools.cycle(TOGETHER_MORE)
    source = itertools.chain(TOGETHER_HEAD, more)
    room = n - sum(length for _, length in TOGETHER_TAIL)
    out: list[tuple[str, int]] = []
    while room > 0:
        name, length = next(source)
        out.append((name, min(length, room)))
        room -= length
    tail: list[tuple[str, int]] = []
    left = n - sum(length for _, length in out)
    for name, length in reversed(TOGETHER_TAIL):
        if left > 0:
            tail.insert(0, (name, min(length, left)))
            left -= length
    return out + tail


def scale_under(name: str, scale: tuple[int, ...]) -> tuple[int, ...]:
    """The notes a line may take over chord ``name``: G sharp for G under the dominant.

    >>> scale_under("E", (67, 69, 71)), scale_under("Am", (67, 69, 71))
    ((68, 69, 71), (67, 69, 71))
    """
    if name not in DOMINANTS:
        return scale
    return tuple(p + 1 if p % 12 == 7 else p for p in scale)


def toward(line: int, chord_tones: list[int], target: float, last: int = -1) -> int:
    """The chord tone a singing line moves to: near the phrase's target, by a small step, and
    neither the note it is on nor the one it began the last bar on (unless nothing else is
    within a fifth).

    >>> toward(76, [69, 72, 76, 81], 80.0), toward(76, [69, 72, 76, 81], 70.0)
    (81, 72)
    """
    close = [p for p in chord_tones if abs(p - line) <= 7] or chord_tones

    def cost(p: int) -> float:
        return abs(p - target) + 0.6 * abs(p - line) + 3.0 * (p == line) + 2.0 * (p == last)

    return min(close, key=lambda p: (cost(p), p))
